//! A mock runtime: the consortium is account 100, node owners are the accounts 1..=9.

use crate as pallet_node_authorization;
use frame_support::{derive_impl, ord_parameter_types, traits::ConstU32};
use frame_system::EnsureSignedBy;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		NodeAuthorization: pallet_node_authorization,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The consortium.
pub const CONSORTIUM: u64 = 100;
/// An account that may own nodes.
pub const ALICE: u64 = 1;
/// An account that may own nodes.
pub const BOB: u64 = 2;
/// An account that may not.
pub const OUTSIDER: u64 = 99;

ord_parameter_types! {
	pub const Consortium: u64 = CONSORTIUM;
}

/// A signed origin of an account 1..=9.
pub struct EnsureOwner;
impl frame_support::traits::EnsureOrigin<RuntimeOrigin> for EnsureOwner {
	type Success = u64;
	fn try_origin(o: RuntimeOrigin) -> Result<u64, RuntimeOrigin> {
		match o.clone().into() {
			Ok(frame_system::RawOrigin::Signed(who)) if (1..=9).contains(&who) => Ok(who),
			_ => Err(o),
		}
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		Ok(RuntimeOrigin::signed(ALICE))
	}
}

impl pallet_node_authorization::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type MaxWellKnownNodes = ConstU32<4>;
	type MaxPeerIdLength = ConstU32<8>;
	type MaxConnections = ConstU32<3>;
	type MaxNodesPerOwner = ConstU32<3>;
	type AddOrigin = EnsureSignedBy<Consortium, u64>;
	type RemoveOrigin = EnsureSignedBy<Consortium, u64>;
	type SwapOrigin = EnsureSignedBy<Consortium, u64>;
	type ResetOrigin = EnsureSignedBy<Consortium, u64>;
	type OwnerOrigin = EnsureOwner;
	type WeightInfo = ();
}

/// The peer id `[b]`.
pub fn peer(b: u8) -> crate::PeerId {
	crate::PeerId(vec![b])
}

/// Genesis: nodes 10 (Alice's) and 20 (Bob's) well known.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().expect("system genesis; qed");
	pallet_node_authorization::GenesisConfig::<Test> { nodes: vec![(peer(10), ALICE), (peer(20), BOB)] }
		.assimilate_storage(&mut storage)
		.expect("genesis; qed");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test` on fresh state, then check the invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		NodeAuthorization::do_try_state().expect("node-authorization invariants hold");
	});
}
