//! A mock runtime for the members pallet's tests.

use crate as pallet_members;
use frame_support::{derive_impl, ord_parameter_types, traits::ConstU32};
use frame_system::EnsureSignedBy;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Members: pallet_members,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The account that stands for the consortium in these tests.
pub const CONSORTIUM: u64 = 100;
/// A member broker at genesis.
pub const BROKER: u64 = 1;
/// A clearing bank at genesis.
pub const BANK: u64 = 2;
/// An account with no role.
pub const OUTSIDER: u64 = 9;

ord_parameter_types! {
	pub const Consortium: u64 = CONSORTIUM;
}

impl pallet_members::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ConsortiumOrigin = EnsureSignedBy<Consortium, u64>;
	type MaxMembersPerRole = ConstU32<3>;
	type WeightInfo = ();
}

/// State with one broker and one bank.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage =
		frame_system::GenesisConfig::<Test>::default().build_storage().expect("system genesis builds; qed");
	pallet_members::GenesisConfig::<Test> {
		members: vec![(BROKER, crate::Role::MemberBroker), (BANK, crate::Role::ClearingBank)],
	}
	.assimilate_storage(&mut storage)
	.expect("members genesis builds; qed");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test` on fresh state, then check the pallet's invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Members::do_try_state().expect("members invariants hold after the scenario");
	});
}
