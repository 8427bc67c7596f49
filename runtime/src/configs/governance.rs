//! The consortium: the member council, its origin, node authorization and the member registry.

use super::system::RuntimeBlockWeights;
use crate::{AccountId, BlockNumber, Council, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, MINUTES};
use frame_support::{
	parameter_types,
	traits::{ConstU32, EitherOfDiverse},
	weights::Weight,
};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

/// The council of member institutions.
pub type CouncilCollective = pallet_collective::Instance1;

/// The origin of administrative actions: two thirds of the council, or root (dev chain only).
pub type ConsortiumOrigin = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>,
>;

parameter_types! {
	pub const CouncilMotionDuration: BlockNumber = 10 * MINUTES;
	pub MaxProposalWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

/// The most members the council may have.
pub type CouncilMaxMembers = ConstU32<32>;

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = CouncilMaxMembers;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	// Membership is managed by `CouncilMembership`, which root alone may bypass.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Consideration = ();
}

impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = ConsortiumOrigin;
	type RemoveOrigin = ConsortiumOrigin;
	type SwapOrigin = ConsortiumOrigin;
	type ResetOrigin = ConsortiumOrigin;
	type PrimeOrigin = ConsortiumOrigin;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = CouncilMaxMembers;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

impl pallet_node_authorization::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type MaxWellKnownNodes = ConstU32<64>;
	type MaxPeerIdLength = ConstU32<128>;
	type MaxConnections = ConstU32<32>;
	type MaxNodesPerOwner = ConstU32<8>;
	type AddOrigin = ConsortiumOrigin;
	type RemoveOrigin = ConsortiumOrigin;
	type SwapOrigin = ConsortiumOrigin;
	type ResetOrigin = ConsortiumOrigin;
	// Claiming and connecting nodes: the consortium's institutions, not any funded account.
	type OwnerOrigin = pallet_members::EnsureAnyRole<Runtime>;
	type WeightInfo = pallet_node_authorization::weights::SubstrateWeight<Runtime>;
}

impl pallet_members::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ConsortiumOrigin = ConsortiumOrigin;
	type MaxMembersPerRole = ConstU32<1000>;
	type WeightInfo = pallet_members::weights::SubstrateWeight<Runtime>;
}
