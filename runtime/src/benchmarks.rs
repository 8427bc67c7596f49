//! The pallets whose benchmarks the runtime exposes to `qingsuan-node benchmark pallet`.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_collective, Council]
	[pallet_membership, CouncilMembership]
	[pallet_sudo, Sudo]
	[pallet_members, Members]
	[pallet_validator_set, ValidatorSet]
);
