//! The pallets whose benchmarks the runtime exposes to `qingsuan-node benchmark pallet`.

pub mod sm_crypto;

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, frame_benchmarking::baseline::Pallet::<crate::Runtime>]
	[frame_system, frame_system_benchmarking::Pallet::<crate::Runtime>]
	[pallet_balances, crate::Balances]
	[pallet_timestamp, crate::Timestamp]
	[pallet_collective, crate::Council]
	[pallet_membership, crate::CouncilMembership]
	[pallet_sudo, crate::Sudo]
	[pallet_members, crate::Members]
	[pallet_node_authorization, crate::NodeAuthorization]
	[pallet_validator_set, crate::ValidatorSet]
	[pallet_ledger, crate::Ledger]
	[pallet_investors, crate::Investors]
	[pallet_compliance, crate::Compliance]
	[pallet_settlement, crate::Settlement]
	[pallet_orderbook, crate::Orderbook]
	[pallet_margin, crate::Margin]
	[sm_crypto, crate::benchmarks::sm_crypto::Pallet::<crate::Runtime>]
);
