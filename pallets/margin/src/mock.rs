//! A mock runtime for the margin pallet's tests: the real ledger, settlement and order book,
//! the primitives' investor registry with credit accounts, and a Moutai/CNY and a Ping An/CNY
//! market.

use crate as pallet_margin;
use frame_support::{derive_impl, ord_parameter_types, parameter_types, traits::UnixTime};
use frame_system::EnsureSignedBy;
use pallet_ledger::{CashInfo, Instrument, InstrumentKind, InstrumentStatus, SecurityInfo};
use qingsuan_matching_engine::SelfTradePrevention;
use qingsuan_primitives::{
	investors::{
		mock::{set_investors, MockCredit, MockInvestors},
		CreditAccounts, InvestorRegistry, MarginApproval, Standing,
	},
	Role, RoleGrant, RoleInspect,
};
use sp_runtime::{
	testing::{TestSignature, UintAuthorityId},
	BuildStorage, DispatchError, Perbill, Percent,
};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Ledger: pallet_ledger,
		Settlement: pallet_settlement,
		Orderbook: pallet_orderbook,
		Margin: pallet_margin,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Transactions the order book's off-chain worker creates.
pub type Extrinsic = frame_system::mocking::MockUncheckedExtrinsic<Test>;

impl<C> frame_system::offchain::CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extension = ();
	fn create_transaction(call: RuntimeCall, extension: ()) -> Extrinsic {
		Extrinsic::new_transaction(call, extension)
	}
}

impl<C> frame_system::offchain::CreateAuthorizedTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_extension() {}
}

/// The consortium.
pub const CONSORTIUM: u64 = 100;
/// A regulator.
pub const REGULATOR: u64 = 101;
/// A member broker, whose investor is [`ANN`].
pub const ALICE: u64 = 1;
/// A member broker, the market's other side.
pub const BOB: u64 = 2;
/// The bank issuing CNY.
pub const BANK: u64 = 50;
/// No role.
pub const OUTSIDER: u64 = 99;
/// An investor of [`ALICE`], approved for margin trading.
pub const ANN: u64 = 1_001;
/// An investor of [`ALICE`], not approved.
pub const AMY: u64 = 1_002;
/// An investor of [`BOB`], approved.
pub const BEN: u64 = 1_003;
/// The fee account.
pub const FEES: u64 = 90;
/// The stamp-duty account.
pub const TAX: u64 = 91;
/// Moutai.
pub const MOUTAI: u32 = 1;
/// Ping An.
pub const PINGAN: u32 = 2;
/// A security without a market.
pub const NOMARKET: u32 = 3;
/// Yuan, in fen.
pub const CNY: u32 = 1000;
/// The Moutai/CNY market.
pub const MOUTAI_MKT: u32 = 0;
/// The Ping An/CNY market.
pub const PINGAN_MKT: u32 = 1;
/// Moutai's reference price: 1,500.00 yuan.
pub const MOUTAI_REF: u64 = 150_000;
/// Ping An's reference price: 50.00 yuan.
pub const PINGAN_REF: u64 = 5_000;
/// Each broker's shares of each security at genesis.
pub const START_SHARES: u128 = 1_000_000;
/// Each broker's cash at genesis: 100 million yuan.
pub const START_CASH: u128 = 10_000_000_000;
/// The first day of the tests' clock (2025-11-23 in UTC+8).
pub const T0: u64 = 1_763_856_000;

ord_parameter_types! {
	pub const Consortium: u64 = CONSORTIUM;
	pub const Regulator: u64 = REGULATOR;
}

parameter_types! {
	pub const FeeAccount: u64 = FEES;
	pub const TaxAccount: u64 = TAX;
	/// Investors approved for margin trading.
	pub static Approved: Vec<u64> = vec![ANN, BEN];
	/// The clock, Unix seconds.
	pub static NowSecs: u64 = T0;
	pub static Workers: Vec<UintAuthorityId> = vec![UintAuthorityId(7)];
	pub static RiskChecks: u32 = 16;
	pub static Revoked: Vec<u64> = vec![];
}

/// Roles: 1..=9 brokers, 50..=59 banks.
pub struct TestRoles;
impl RoleInspect<u64> for TestRoles {
	fn has_role(who: &u64, role: Role) -> bool {
		match role {
			Role::MemberBroker => (1..=9).contains(who) && !Revoked::get().contains(who),
			Role::ClearingBank => (50..=59).contains(who),
			_ => false,
		}
	}
}
impl RoleGrant<u64> for TestRoles {
	fn grant(_: &u64, _: Role) {}
}

/// A signed origin of a member broker.
pub struct EnsureBroker;
impl frame_support::traits::EnsureOrigin<RuntimeOrigin> for EnsureBroker {
	type Success = u64;
	fn try_origin(o: RuntimeOrigin) -> Result<u64, RuntimeOrigin> {
		match o.clone().into() {
			Ok(frame_system::RawOrigin::Signed(who)) if TestRoles::has_role(&who, Role::MemberBroker) => Ok(who),
			_ => Err(o),
		}
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		Ok(RuntimeOrigin::signed(ALICE))
	}
}

/// The primitives' mock registry, with credit accounts.
pub struct TestInvestors;
impl InvestorRegistry<u64> for TestInvestors {
	fn standing(account: &u64) -> Option<Standing<u64>> {
		MockInvestors::standing(account)
	}
}
impl CreditAccounts<u64> for TestInvestors {
	fn open_credit(owner: &u64) -> Result<u64, DispatchError> {
		MockCredit::open_credit(owner)
	}
	fn close_credit(credit: &u64) -> Result<(), DispatchError> {
		MockCredit::close_credit(credit)
	}
}

/// [`Approved`] investors.
pub struct TestApproval;
impl MarginApproval<u64> for TestApproval {
	fn is_approved(who: &u64) -> bool {
		Approved::get().contains(who)
	}
}

/// The tests' clock.
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
	type Investors = TestInvestors;
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
	type Compliance = ();
	type Contracts = ();
	type Prices = ();
	type MemberOrigin = EnsureBroker;
	type BankOrigin = EnsureBroker;
	type RegulatorOrigin = EnsureSignedBy<Regulator, u64>;
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
	type BenchmarkHelper = Helper;
}

impl pallet_orderbook::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Ledger = Ledger;
	type Instruments = Ledger;
	type Settlement = Settlement;
	type PreTrade = ();
	type Reports = Margin;
	type MemberOrigin = EnsureBroker;
	type Members = TestRoles;
	type Investors = TestInvestors;
	type ConsortiumOrigin = EnsureSignedBy<Consortium, u64>;
	type RegulatorOrigin = EnsureSignedBy<Regulator, u64>;
	type MaxFillsPerCall = frame_support::traits::ConstU32<16>;
	type MaxOrdersPerMarket = frame_support::traits::ConstU32<32>;
	type MaxOrdersPerBroker = frame_support::traits::ConstU32<16>;
	type MaxStopsPerAccount = frame_support::traits::ConstU32<4>;
	type MaxBatch = frame_support::traits::ConstU32<8>;
	type WorkerId = UintAuthorityId;
	type WorkerSignature = TestSignature;
	type Workers = Workers;
	type UpkeepLifetime = frame_support::traits::ConstU64<5>;
	type UpkeepPriority = frame_support::traits::ConstU64<{ 1 << 20 }>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Helper;
}

impl pallet_margin::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Ledger = Ledger;
	type Instruments = Ledger;
	type Investors = TestInvestors;
	type Approval = TestApproval;
	type Orders = Orderbook;
	type Calendar = Settlement;
	type Members = TestRoles;
	type BrokerOrigin = EnsureBroker;
	type ConsortiumOrigin = EnsureSignedBy<Consortium, u64>;
	type MaxPositions = frame_support::traits::ConstU32<2>;
	type MaxTermDays = frame_support::traits::ConstU32<183>;
	type MaxWatchedMarkets = frame_support::traits::ConstU32<8>;
	type MaxRiskChecksPerBlock = RiskChecks;
	type WorkerId = UintAuthorityId;
	type WorkerSignature = TestSignature;
	type Workers = Workers;
	type UpkeepLifetime = frame_support::traits::ConstU64<5>;
	type UpkeepPriority = frame_support::traits::ConstU64<{ 1 << 20 }>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Helper;
}

/// Sets up the benchmarks' world in the mock (the margin pallet's; the others' are not run
/// from here).
#[cfg(feature = "runtime-benchmarks")]
pub struct Helper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_settlement::benchmarking::BenchmarkHelper<u64> for Helper {
	fn grant(_: &u64, _: Role) {}
	fn create_security(_: u32) {}
	fn set_clock() {}
	fn create_cash(_: u32, _: &u64) {}
	fn make_investor(broker: &u64, i: u32) -> u64 {
		qingsuan_primitives::investors::mock::open_numbered(*broker, i)
	}
	fn open_market(_: u32, _: u32) {}
	fn full_profile(_: &u64) {}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_orderbook::benchmarking::BenchmarkHelper<u64, UintAuthorityId> for Helper {
	fn make_member(_: &u64) {}
	fn add_worker(_: &UintAuthorityId) {}
	fn create_instruments(_: u32, _: u32) {}
	fn create_security(_: u32) {}
	fn fund(_: &u64, _: u32, _: u128) {}
	fn make_investor(broker: &u64, i: u32) -> u64 {
		qingsuan_primitives::investors::mock::open_numbered(*broker, i)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<u64, UintAuthorityId> for Helper {
	fn broker() -> u64 {
		ALICE
	}
	fn cash() -> u32 {
		CNY
	}
	fn security(i: u32) -> (u32, u32) {
		match i {
			0 => (MOUTAI, MOUTAI_MKT),
			1 => (PINGAN, PINGAN_MKT),
			_ => {
				let asset = 10 + i;
				if let Some(market) = pallet_orderbook::MarketOf::<Test>::get((asset, CNY)) {
					return (asset, market);
				}
				let info = SecurityInfo { isin: pallet_ledger::numbered_isin(asset), ..security(b"US5949181045") };
				Ledger::do_register(asset, InstrumentKind::Security(info)).expect("a fresh security");
				let band = Percent::from_percent(10);
				let market =
					Orderbook::do_create_market(asset, CNY, 1, 100, 10_000, band, SelfTradePrevention::CancelNewest)
						.expect("a fresh market");
				(asset, market)
			},
		}
	}
	fn investor(broker: &u64, i: u32) -> u64 {
		use qingsuan_primitives::investors::mock;
		let investor = mock::open_numbered(*broker, i);
		// The registry is the thread's: a credit account from an earlier run of a benchmark
		// with other components is gone with that run's storage.
		mock::close_credit(investor.wrapping_add(mock::CREDIT_OFFSET));
		Approved::mutate(|a| a.push(investor));
		investor
	}
	fn fund(who: &u64, asset: u32, amount: u128) {
		use frame_support::traits::tokens::fungibles::Mutate;
		<Ledger as Mutate<u64>>::mint_into(asset, who, amount).expect("fund");
	}
	fn set_clock() {}
	fn add_worker(worker: &UintAuthorityId) {
		Workers::mutate(|w| w.push(worker.clone()));
	}
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

/// Moutai, Ping An, a security without a market, CNY; Alice and Bob with shares and cash; the
/// Moutai/CNY and Ping An/CNY markets (tick 1 fen, lot 100, band 10%).
pub fn new_test_ext() -> sp_io::TestExternalities {
	set_investors(&[(ANN, ALICE), (AMY, ALICE), (BEN, BOB)]);
	Approved::set(vec![ANN, BEN]);
	NowSecs::set(T0);
	Revoked::set(vec![]);
	RiskChecks::set(16);
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().expect("system genesis; qed");
	let with = |kind, status| Instrument { kind, status };
	let trading = InstrumentStatus::Trading;
	pallet_ledger::GenesisConfig::<Test> {
		instruments: vec![
			(MOUTAI, with(InstrumentKind::Security(security(b"CNE0000018R8")), trading)),
			(PINGAN, with(InstrumentKind::Security(security(b"CNE000001R84")), trading)),
			(NOMARKET, with(InstrumentKind::Security(security(b"US0378331005")), trading)),
			(CNY, with(InstrumentKind::Cash(CashInfo { currency: *b"CNY", bank: BANK }), trading)),
		],
		securities: [ALICE, BOB]
			.into_iter()
			.flat_map(|who| [(MOUTAI, who, START_SHARES), (PINGAN, who, START_SHARES), (NOMARKET, who, START_SHARES)])
			.collect(),
	}
	.assimilate_storage(&mut storage)
	.expect("ledger genesis; qed");
	pallet_settlement::GenesisConfig::<Test> {
		fees: pallet_settlement::FeeSchedule {
			handling: Perbill::from_parts(34_100),
			stamp_duty: Perbill::from_parts(500_000),
		},
		bank_keys: vec![],
		deposits: vec![(CNY, ALICE, START_CASH), (CNY, BOB, START_CASH)],
	}
	.assimilate_storage(&mut storage)
	.expect("settlement genesis; qed");
	let band = Percent::from_percent(10);
	pallet_orderbook::GenesisConfig::<Test> {
		markets: vec![
			(MOUTAI, CNY, 1, 100, MOUTAI_REF, band, SelfTradePrevention::CancelNewest),
			(PINGAN, CNY, 1, 100, PINGAN_REF, band, SelfTradePrevention::CancelNewest),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.expect("order-book genesis; qed");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test` on fresh state, then check every pallet's invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		check_invariants();
	});
}

/// Every pallet's invariants.
pub fn check_invariants() {
	Ledger::do_try_state().expect("ledger invariants hold");
	Settlement::do_try_state().expect("settlement invariants hold");
	Orderbook::do_try_state().expect("order-book invariants hold");
	Margin::do_try_state().expect("margin invariants hold");
}
