//! A mock runtime for the compliance pallet's tests: the real ledger for instruments, fixed roles,
//! a settable clock and a stand-in investor registry.

use crate as pallet_compliance;
use crate::{sm2, Claim, Statement};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	derive_impl, ord_parameter_types, parameter_types,
	traits::{UnixTime, VariantCount},
};
use frame_system::EnsureSignedBy;
use qingsuan_primitives::{Role, RoleInspect};
use scale_info::TypeInfo;
use sp_runtime::BuildStorage;

pub use qingsuan_primitives::investors::mock::{set_frozen, set_investors, MockInvestors as TestInvestors};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Ledger: pallet_ledger,
		Compliance: pallet_compliance,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The consortium.
pub const CONSORTIUM: u64 = 100;
/// A member broker.
pub const BROKER: u64 = 1;
/// An attestor (a KYC agency).
pub const AGENCY: u64 = 70;
/// A second attestor (an exchange's board-permission desk).
pub const DESK: u64 = 71;
/// An attestor with no key registered.
pub const KEYLESS: u64 = 72;
/// An investor of [`BROKER`].
pub const INVESTOR: u64 = 1_001;
/// A second investor of [`BROKER`].
pub const INVESTOR2: u64 = 1_002;
/// No role.
pub const OUTSIDER: u64 = 99;
/// Cash.
pub const CNY: u32 = 1000;
/// A main-board security.
pub const MOUTAI: u32 = 1;
/// A STAR Market security.
pub const STAR_CO: u32 = 2;
/// A security nobody classified.
pub const NEW_CO: u32 = 3;
/// The mock's time at the start of a test: 2026-12-01 00:00 UTC, Unix milliseconds.
pub const T0: u64 = 1_796_083_200_000;
/// A day in milliseconds.
pub const DAY: u64 = 86_400_000;

ord_parameter_types! {
	pub const Consortium: u64 = CONSORTIUM;
}

parameter_types! {
	/// The mock clock, Unix milliseconds.
	pub static Now: u64 = T0;
	/// Roles revoked during a test.
	pub static RevokedRoles: Vec<(u64, Role)> = vec![];
	/// Roles granted during a test (benchmarks).
	pub static GrantedRoles: Vec<(u64, Role)> = vec![];
}

/// The settable clock.
pub struct MockTime;
impl UnixTime for MockTime {
	fn now() -> core::time::Duration {
		core::time::Duration::from_millis(Now::get())
	}
}

/// The bank issuing CNY.
pub const BANK: u64 = 50;

/// Roles: 1..=9 brokers, 50 a bank, 70..=79 attestors, plus grants, minus revocations.
pub struct TestRoles;
impl RoleInspect<u64> for TestRoles {
	fn has_role(who: &u64, role: Role) -> bool {
		if RevokedRoles::get().contains(&(*who, role)) {
			return false;
		}
		GrantedRoles::get().contains(&(*who, role))
			|| match role {
				Role::MemberBroker => (1..=9).contains(who),
				Role::Attestor => (70..=79).contains(who),
				Role::ClearingBank => *who == BANK,
				Role::Regulator | Role::Developer => false,
			}
	}
}
impl qingsuan_primitives::RoleGrant<u64> for TestRoles {
	fn grant(who: &u64, role: Role) {
		GrantedRoles::mutate(|g| g.push((*who, role)));
	}
}

/// Hold reasons of the tests (the ledger needs one; nothing holds here).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum TestReason {
	/// An open order.
	Order,
}
impl VariantCount for TestReason {
	const VARIANT_COUNT: u32 = 1;
}

impl pallet_ledger::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = TestReason;
	type ConsortiumOrigin = EnsureSignedBy<Consortium, u64>;
	type Members = TestRoles;
	type Investors = TestInvestors;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_ledger::benchmarking::Roles<TestRoles>;
}

/// A signed origin whose account holds `R`.
pub struct EnsureRole<R>(core::marker::PhantomData<R>);
impl<R: frame_support::traits::Get<Role>> frame_support::traits::EnsureOrigin<RuntimeOrigin> for EnsureRole<R> {
	type Success = u64;
	fn try_origin(o: RuntimeOrigin) -> Result<u64, RuntimeOrigin> {
		match o.clone().into() {
			Ok(frame_system::RawOrigin::Signed(who)) if TestRoles::has_role(&who, R::get()) => Ok(who),
			_ => Err(o),
		}
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		let who: u64 = frame_benchmarking::account("attestor", 0, 0);
		<TestRoles as qingsuan_primitives::RoleGrant<u64>>::grant(&who, R::get());
		Ok(RuntimeOrigin::signed(who))
	}
}
parameter_types! {
	pub const AttestorRole: Role = Role::Attestor;
}

impl pallet_compliance::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Instruments = Ledger;
	type Investors = TestInvestors;
	type Members = TestRoles;
	type Time = MockTime;
	type ConsortiumOrigin = EnsureSignedBy<Consortium, u64>;
	type AttestorOrigin = EnsureRole<AttestorRole>;
	type MaxTrusted = frame_support::traits::ConstU32<4>;
	type MaxClaims = frame_support::traits::ConstU32<6>;
	type MaxClaimLifetime = frame_support::traits::ConstU64<{ 3 * 365 * DAY }>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

/// Sets up the benchmarks' world in the mock.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<u64> for MockHelper {
	fn make_attestor(who: &u64) {
		<TestRoles as qingsuan_primitives::RoleGrant<u64>>::grant(who, Role::Attestor);
	}
	fn security() -> u32 {
		MOUTAI
	}
	fn set_time(ms: u64) {
		Now::set(ms);
	}
}

/// The SM2 secret of attestor `who` in the tests.
pub fn secret_of(who: u64) -> sm2::SecretKey {
	let mut bytes = [0u8; 32];
	bytes[24..].copy_from_slice(&who.to_be_bytes());
	bytes[0] = 0x5a;
	sm2::SecretKey::from_bytes(&bytes).expect("a scalar below n - 1; qed")
}

/// A claim by `attestor` about `subject`, valid from [`T0`] for a year, with `nonce`.
pub fn claim(attestor: u64, subject: u64, statement: Statement, nonce: u64) -> Claim<u64> {
	Claim { attestor, subject, statement, issued_at: T0, expires_at: T0 + 365 * DAY, nonce }
}

/// `claim` signed by its attestor's test key for this chain.
pub fn sign(claim: &Claim<u64>) -> sm2::Signature {
	secret_of(claim.attestor).sign(&claim.payload(&Compliance::genesis())).expect("signing works; qed")
}

fn security(code: &[u8], isin: [u8; 12]) -> pallet_ledger::Instrument<u64> {
	pallet_ledger::Instrument {
		kind: pallet_ledger::InstrumentKind::Security(pallet_ledger::SecurityInfo {
			code: code.to_vec().try_into().expect("fits; qed"),
			isin,
			name: code.to_vec().try_into().expect("fits; qed"),
			lot_size: 100,
			tick_size: 1,
		}),
		status: pallet_ledger::InstrumentStatus::Trading,
	}
}

/// CNY, Moutai (R3, main board), STAR Co (R4, STAR Market), New Co (unclassified); the agency
/// and the desk have keys; the agency is trusted for every kind, the desk for board
/// permissions.
pub fn new_test_ext() -> sp_io::TestExternalities {
	set_investors(&[(INVESTOR, BROKER), (INVESTOR2, BROKER)]);
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().expect("system genesis; qed");
	let cny = pallet_ledger::Instrument {
		kind: pallet_ledger::InstrumentKind::Cash(pallet_ledger::CashInfo { currency: *b"CNY", bank: BANK }),
		status: pallet_ledger::InstrumentStatus::Trading,
	};
	pallet_ledger::GenesisConfig::<Test> {
		instruments: vec![
			(CNY, cny),
			(MOUTAI, security(b"600519", *b"CNE0000018R8")),
			(STAR_CO, security(b"688981", *b"CNE1000041W8")),
			(NEW_CO, security(b"603999", *b"CNE1000099X4")),
		],
		securities: vec![],
	}
	.assimilate_storage(&mut storage)
	.expect("ledger genesis; qed");
	use crate::{Board, ClaimKind, RiskLevel};
	let boards = [Board::Star, Board::ChiNext, Board::Bse].map(ClaimKind::Board);
	pallet_compliance::GenesisConfig::<Test> {
		attestor_keys: [AGENCY, DESK].iter().map(|a| (*a, secret_of(*a).public().0.to_vec())).collect(),
		trust: ClaimKind::ALL
			.iter()
			.map(|k| (*k, if boards.contains(k) { vec![AGENCY, DESK] } else { vec![AGENCY] }))
			.collect(),
		products: vec![(MOUTAI, RiskLevel::R3, Board::Main), (STAR_CO, RiskLevel::R4, Board::Star)],
	}
	.assimilate_storage(&mut storage)
	.expect("compliance genesis; qed");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Now::set(T0);
	});
	ext
}

/// Run `test` on fresh state, then check the pallets' invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		check_invariants();
	});
}

/// The pallets' invariants.
pub fn check_invariants() {
	Ledger::do_try_state().expect("ledger invariants hold");
	Compliance::do_try_state().expect("compliance invariants hold");
}
