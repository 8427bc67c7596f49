//! A mock runtime for the validator set pallet's tests.

use crate as pallet_validator_set;
use core::cell::RefCell;
use frame_support::{derive_impl, ord_parameter_types, traits::ConstU32};
use frame_system::EnsureSignedBy;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		ValidatorSet: pallet_validator_set,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The account that stands for the consortium in these tests.
pub const CONSORTIUM: u64 = 100;
/// An account with session keys that is not a validator at genesis.
pub const CANDIDATE: u64 = 10;
/// An account without session keys.
pub const KEYLESS: u64 = 11;

ord_parameter_types! {
	pub const Consortium: u64 = CONSORTIUM;
}

thread_local! {
	static KEYED: RefCell<Vec<u64>> = RefCell::new(vec![1, 2, 3, CANDIDATE, 12, 13]);
}

/// Session keys are registered for the accounts in `KEYED`.
pub struct MockKeys;
impl crate::SessionKeysRegistry<u64> for MockKeys {
	fn has_keys(who: &u64) -> bool {
		KEYED.with(|k| k.borrow().contains(who))
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmark(who: &u64) {
		KEYED.with(|k| k.borrow_mut().push(*who));
	}
}

impl pallet_validator_set::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ConsortiumOrigin = EnsureSignedBy<Consortium, u64>;
	type SessionKeys = MockKeys;
	type MinValidators = ConstU32<2>;
	type MaxValidators = ConstU32<4>;
	type WeightInfo = ();
}

/// State with validators 1, 2 and 3.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage =
		frame_system::GenesisConfig::<Test>::default().build_storage().expect("system genesis builds; qed");
	pallet_validator_set::GenesisConfig::<Test> { validators: vec![1, 2, 3] }
		.assimilate_storage(&mut storage)
		.expect("validator set genesis builds; qed");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test` on fresh state, then check the pallet's invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		ValidatorSet::do_try_state().expect("validator set invariants hold after the scenario");
	});
}
