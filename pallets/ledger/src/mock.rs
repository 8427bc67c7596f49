//! A mock runtime for the ledger pallet's tests.

use crate as pallet_ledger;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{derive_impl, ord_parameter_types, traits::VariantCount};
use frame_system::EnsureSignedBy;
use qingsuan_primitives::{Role, RoleInspect};
use scale_info::TypeInfo;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Ledger: pallet_ledger,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The account that stands for the consortium.
pub const CONSORTIUM: u64 = 100;
/// Member brokers.
pub const ALICE: u64 = 1;
/// A member broker.
pub const BOB: u64 = 2;
/// A clearing bank.
pub const BANK: u64 = 50;
/// An account with no role.
pub const OUTSIDER: u64 = 99;

/// A listed security at genesis (Kweichow Moutai's ISIN).
pub const MOUTAI: u32 = 1;
/// A cash asset at genesis, issued by [`BANK`].
pub const CNY: u32 = 1000;
/// Moutai's ISIN.
pub const MOUTAI_ISIN: [u8; 12] = *b"CNE0000018R8";

ord_parameter_types! {
	pub const Consortium: u64 = CONSORTIUM;
}

frame_support::parameter_types! {
	/// Roles granted during a test (benchmarks), beside the fixed ones.
	pub static GrantedRoles: Vec<(u64, Role)> = vec![];
}

/// Roles in the tests: accounts 1..=9 are brokers, 50..=59 clearing banks, plus [`GrantedRoles`].
pub struct TestRoles;
impl RoleInspect<u64> for TestRoles {
	fn has_role(who: &u64, role: Role) -> bool {
		GrantedRoles::get().contains(&(*who, role))
			|| match role {
				Role::MemberBroker => (1..=9).contains(who),
				Role::ClearingBank => (50..=59).contains(who),
				_ => false,
			}
	}
}
impl qingsuan_primitives::RoleGrant<u64> for TestRoles {
	fn grant(who: &u64, role: Role) {
		GrantedRoles::mutate(|g| g.push((*who, role)));
	}
}

/// Hold reasons of the tests.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum TestReason {
	/// An open order.
	Order,
	/// A pending instruction.
	Instruction,
}
impl VariantCount for TestReason {
	const VARIANT_COUNT: u32 = 2;
}

impl pallet_ledger::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = TestReason;
	type ConsortiumOrigin = EnsureSignedBy<Consortium, u64>;
	type Members = TestRoles;
	type Investors = ();
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarking::Roles<TestRoles>;
}

/// Moutai as the genesis security.
pub fn moutai() -> crate::Instrument<u64> {
	crate::Instrument {
		kind: crate::InstrumentKind::Security(crate::SecurityInfo {
			code: b"600519".to_vec().try_into().expect("6 bytes fit; qed"),
			isin: MOUTAI_ISIN,
			name: "贵州茅台".as_bytes().to_vec().try_into().expect("12 bytes fit; qed"),
			lot_size: 100,
			tick_size: 1,
		}),
		status: crate::InstrumentStatus::Trading,
	}
}

/// State with Moutai (Alice owns 1,000) and CNY issued by [`BANK`].
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().expect("system genesis; qed");
	pallet_ledger::GenesisConfig::<Test> {
		instruments: vec![
			(MOUTAI, moutai()),
			(
				CNY,
				crate::Instrument {
					kind: crate::InstrumentKind::Cash(crate::CashInfo { currency: *b"CNY", bank: BANK }),
					status: crate::InstrumentStatus::Trading,
				},
			),
		],
		securities: vec![(MOUTAI, ALICE, 1_000)],
	}
	.assimilate_storage(&mut storage)
	.expect("ledger genesis builds; qed");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test` on fresh state, then check the pallet's invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Ledger::do_try_state().expect("ledger invariants hold after the scenario");
	});
}
