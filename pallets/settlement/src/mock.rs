//! A mock runtime for the settlement pallet's tests: the real ledger, fixed roles, a settable
//! clock, stand-in investor and compliance registries, and a stand-in order book that only
//! declares its hold reason.

use crate as pallet_settlement;
use frame_support::{derive_impl, ord_parameter_types, parameter_types, traits::UnixTime};
use frame_system::EnsureSignedBy;
use pallet_ledger::{CashInfo, Instrument, InstrumentKind, InstrumentStatus, SecurityInfo};
use qingsuan_primitives::{Role, RoleGrant, RoleInspect};
use qingsuan_sm_crypto::sm2;
use sp_runtime::{BuildStorage, Perbill};

pub use qingsuan_primitives::investors::mock::{set_broker, set_frozen, set_investors, MockInvestors as TestInvestors};
use qingsuan_primitives::market::{Direction, PositionCheck};

type Block = frame_system::mocking::MockBlock<Test>;

/// The order book's only part these tests need: its hold reason.
#[frame_support::pallet]
pub mod orders {
	/// Config.
	#[pallet::config]
	pub trait Config: frame_system::Config {}
	/// Pallet.
	#[pallet::pallet]
	pub struct Pallet<T>(_);
	/// Why the order book holds balances.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An open order.
		OpenOrder,
	}
}

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Ledger: pallet_ledger,
		Settlement: pallet_settlement,
		Orders: orders,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl orders::Config for Test {}

/// The consortium.
pub const CONSORTIUM: u64 = 100;
/// Member brokers.
pub const ALICE: u64 = 1;
/// A member broker.
pub const BOB: u64 = 2;
/// A member broker.
pub const CAROL: u64 = 3;
/// The bank issuing CNY.
pub const BANK: u64 = 50;
/// The bank issuing USD.
pub const BANK2: u64 = 51;
/// A regulator.
pub const REGULATOR: u64 = 70;
/// No role.
pub const OUTSIDER: u64 = 99;
/// An investor of [`ALICE`].
pub const ANN: u64 = 11;
/// A second investor of [`ALICE`].
pub const AMY: u64 = 12;
/// An investor of [`BOB`].
pub const BEN: u64 = 21;
/// Receives handling fees.
pub const FEES: u64 = 200;
/// Receives stamp duty.
pub const TAX: u64 = 201;

/// Securities.
pub const MOUTAI: u32 = 1;
/// A second security.
pub const PINGAN: u32 = 2;
/// Cash issued by [`BANK`].
pub const CNY: u32 = 1000;
/// Cash issued by [`BANK2`].
pub const USD: u32 = 1001;

/// Alice's and Bob's cash at genesis.
pub const START_CASH: u128 = 10_000_000;

/// The secret key of [`BANK`]'s envelope key.
pub fn bank_secret() -> sm2::SecretKey {
	sm2::SecretKey::from_bytes(&[7u8; 32]).expect("a valid scalar; qed")
}

/// The secret key of [`REGULATOR`]'s envelope key (registered by the tests that need it).
pub fn regulator_secret() -> sm2::SecretKey {
	sm2::SecretKey::from_bytes(&[8u8; 32]).expect("a valid scalar; qed")
}

ord_parameter_types! {
	pub const Consortium: u64 = CONSORTIUM;
}

parameter_types! {
	/// Roles granted during a test, beside the fixed ones.
	pub static GrantedRoles: Vec<(u64, Role)> = vec![];
	/// Roles revoked during a test.
	pub static RevokedRoles: Vec<(u64, Role)> = vec![];
	/// What the stand-in compliance check refuses: `(account, security, direction)`.
	pub static Refused: Vec<(u64, u32, Direction)> = vec![];
	/// Price bands: `(security, cash, low, high)`.
	pub static Bands: Vec<(u32, u32, u128, u128)> = vec![(MOUTAI, CNY, 1_350, 1_650)];
	/// The accounts that are settlement contracts now.
	/// The contracts there are now, and each one's instance (a number a test changes to
	/// create a contract again at the same account): 300..=309 are contracts.
	pub static LiveContracts: Vec<(u64, u8)> = (300..310).map(|c| (c, 1)).collect();
	/// Wall-clock seconds.
	pub static NowSecs: u64 = 1_763_856_000; // 2025-11-23 00:00 UTC
	pub const FeeAccount: u64 = FEES;
	pub const TaxAccount: u64 = TAX;
}

/// Roles: 1..=9 brokers, 50..=59 banks, 70 a regulator, plus grants, minus revocations.
pub struct TestRoles;
impl RoleInspect<u64> for TestRoles {
	fn has_role(who: &u64, role: Role) -> bool {
		if RevokedRoles::get().contains(&(*who, role)) {
			return false;
		}
		GrantedRoles::get().contains(&(*who, role))
			|| match role {
				Role::MemberBroker => (1..=9).contains(who),
				Role::ClearingBank => (50..=59).contains(who),
				Role::Regulator => *who == REGULATOR,
				_ => false,
			}
	}
}
impl RoleGrant<u64> for TestRoles {
	fn grant(who: &u64, role: Role) {
		GrantedRoles::mutate(|g| g.push((*who, role)));
	}
}

/// A signed origin whose account holds `R`.
pub type EnsureRole<R> = pallet_members_like::EnsureRole<R>;
/// Origin checks over [`TestRoles`], as `pallet-members` gives the runtime.
pub mod pallet_members_like {
	use super::*;
	use frame_support::traits::{EnsureOrigin, Get};
	use frame_system::RawOrigin;
	/// Succeeds for a signed account holding `R::get()`.
	pub struct EnsureRole<R>(core::marker::PhantomData<R>);
	impl<R: Get<Role>> EnsureOrigin<RuntimeOrigin> for EnsureRole<R> {
		type Success = u64;
		fn try_origin(o: RuntimeOrigin) -> Result<u64, RuntimeOrigin> {
			match o.clone().into() {
				Ok(RawOrigin::Signed(who)) if TestRoles::has_role(&who, R::get()) => Ok(who),
				_ => Err(o),
			}
		}
		#[cfg(feature = "runtime-benchmarks")]
		fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
			let who: u64 = frame_benchmarking::account("member", 0, 0);
			TestRoles::grant(&who, R::get());
			Ok(RuntimeOrigin::signed(who))
		}
	}
}
parameter_types! {
	pub const BrokerRole: Role = Role::MemberBroker;
	pub const BankRole: Role = Role::ClearingBank;
	pub const RegulatorRole: Role = Role::Regulator;
}

/// The error the stand-in compliance check refuses with.
pub const NOT_COMPLIANT: sp_runtime::DispatchError = sp_runtime::DispatchError::Other("not compliant");

/// The contracts [`LiveContracts`] lists; instance `n` is `[n; 32]`.
pub struct TestContracts;
impl crate::DeployedContracts<u64> for TestContracts {
	fn instance(who: &u64) -> Option<crate::ContractInstance> {
		LiveContracts::get().iter().find(|(c, _)| c == who).map(|(_, n)| [*n; 32])
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn create(who: &u64) -> crate::ContractInstance {
		let mut live = LiveContracts::get();
		live.push((*who, 1));
		LiveContracts::set(live);
		[1; 32]
	}
}

/// Refuses what [`Refused`] lists.
pub struct TestCompliance;
impl PositionCheck<u64> for TestCompliance {
	fn may_change(who: &u64, security: u32, direction: Direction) -> Result<(), sp_runtime::DispatchError> {
		match Refused::get().contains(&(*who, security, direction)) {
			true => Err(NOT_COMPLIANT),
			false => Ok(()),
		}
	}
}

/// The price bands of [`Bands`].
pub struct TestPrices;
impl qingsuan_primitives::market::PriceLimits for TestPrices {
	fn price_limits(security: u32, cash: u32) -> Option<(u128, u128)> {
		Bands::get().into_iter().find(|b| (b.0, b.1) == (security, cash)).map(|b| (b.2, b.3))
	}
}

/// A clock the tests set.
pub struct MockTime;
impl UnixTime for MockTime {
	fn now() -> core::time::Duration {
		core::time::Duration::from_secs(NowSecs::get())
	}
}

impl pallet_ledger::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ConsortiumOrigin = EnsureSignedBy<Consortium, u64>;
	type Members = TestRoles;
	type Investors = ();
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_ledger::benchmarking::Roles<TestRoles>;
}

impl pallet_settlement::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Ledger = Ledger;
	type Instruments = Ledger;
	type Members = TestRoles;
	type Investors = TestInvestors;
	type Compliance = TestCompliance;
	type Contracts = TestContracts;
	type Prices = TestPrices;
	type MemberOrigin = EnsureRole<BrokerRole>;
	type BankOrigin = EnsureRole<BankRole>;
	type RegulatorOrigin = EnsureRole<RegulatorRole>;
	type ConsortiumOrigin = EnsureSignedBy<Consortium, u64>;
	type UnixTime = MockTime;
	type DayOffset = frame_support::traits::ConstU64<28_800>;
	type FeeAccount = FeeAccount;
	type TaxAccount = TaxAccount;
	type MaxLegs = frame_support::traits::ConstU32<4>;
	type MaxDuePerBlock = frame_support::traits::ConstU32<4>;
	type MaxInstructionLifetime = frame_support::traits::ConstU64<100>;
	type MaxEnvelopeLen = frame_support::traits::ConstU32<1024>;
	type MaxPendingRequests = frame_support::traits::ConstU32<3>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

/// Sets up the benchmarks' world in the mock.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<u64> for MockHelper {
	fn grant(who: &u64, role: Role) {
		TestRoles::grant(who, role);
	}
	fn create_security(asset: u32) {
		Ledger::do_register(asset, InstrumentKind::Security(security(&pallet_ledger::numbered_isin(asset))))
			.expect("a fresh security");
	}
	fn set_clock() {
		// The mock clock always reads a time after genesis.
	}
	fn create_cash(asset: u32, bank: &u64) {
		Ledger::do_register(asset, InstrumentKind::Cash(CashInfo { currency: *b"CNY", bank: *bank }))
			.expect("a fresh cash asset");
	}
	fn make_investor(broker: &u64, i: u32) -> u64 {
		qingsuan_primitives::investors::mock::open_numbered(*broker, i)
	}
	fn open_market(security: u32, cash: u32) {
		Bands::mutate(|b| b.push((security, cash, 900, 1_100)));
	}
	fn full_profile(_: &u64) {}
}

fn security(isin: &[u8; 12]) -> SecurityInfo {
	SecurityInfo {
		code: b"600519".to_vec().try_into().expect("fits; qed"),
		isin: *isin,
		name: b"test".to_vec().try_into().expect("fits; qed"),
		lot_size: 100,
		tick_size: 1,
	}
}

/// The fee schedule of the tests: 0.00341% handling each side, 0.05% stamp duty on the seller.
pub fn test_fees() -> crate::FeeSchedule {
	crate::FeeSchedule { handling: Perbill::from_parts(34_100), stamp_duty: Perbill::from_parts(500_000) }
}

/// Moutai (Alice 1,000) and Ping An (Bob 1,000); CNY by BANK (Alice and Bob START_CASH each);
/// USD by BANK2; the test fees; BANK's envelope key; investors Ann and Amy of Alice, Ben of Bob.
pub fn new_test_ext() -> sp_io::TestExternalities {
	set_investors(&[(ANN, ALICE), (AMY, ALICE), (BEN, BOB)]);
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().expect("system genesis; qed");
	let trading = |kind| Instrument { kind, status: InstrumentStatus::Trading };
	pallet_ledger::GenesisConfig::<Test> {
		instruments: vec![
			(MOUTAI, trading(InstrumentKind::Security(security(b"CNE0000018R8")))),
			(PINGAN, trading(InstrumentKind::Security(security(b"CNE000001R84")))),
			(CNY, trading(InstrumentKind::Cash(CashInfo { currency: *b"CNY", bank: BANK }))),
			(USD, trading(InstrumentKind::Cash(CashInfo { currency: *b"USD", bank: BANK2 }))),
		],
		securities: vec![(MOUTAI, ALICE, 1_000), (PINGAN, BOB, 1_000)],
	}
	.assimilate_storage(&mut storage)
	.expect("ledger genesis; qed");
	pallet_settlement::GenesisConfig::<Test> {
		fees: test_fees(),
		bank_keys: vec![(BANK, bank_secret().public().0.to_vec())],
		deposits: vec![(CNY, ALICE, START_CASH), (CNY, BOB, START_CASH)],
	}
	.assimilate_storage(&mut storage)
	.expect("settlement genesis; qed");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test` on fresh state, then check both pallets' invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		check_invariants();
	});
}

/// Both pallets' invariants.
pub fn check_invariants() {
	Ledger::do_try_state().expect("ledger invariants hold");
	Settlement::do_try_state().expect("settlement invariants hold");
}

/// Move to block `n`, running the settlement pallet's hooks in each block.
pub fn run_to_block(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Settlement::on_initialize(next);
		Settlement::on_finalize(next);
	}
}
