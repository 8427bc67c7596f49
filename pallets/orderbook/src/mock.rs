//! A mock runtime for the order book's tests: the real ledger and settlement pallets, fixed
//! roles, and one Moutai/CNY market.

use crate as pallet_orderbook;
use frame_support::{derive_impl, ord_parameter_types, parameter_types, traits::UnixTime};
use frame_system::EnsureSignedBy;
use pallet_ledger::{CashInfo, Instrument, InstrumentKind, InstrumentStatus, SecurityInfo};
use qingsuan_matching_engine::SelfTradePrevention;
use qingsuan_matching_engine::Side;
use qingsuan_primitives::{
	market::{OrderIntent, PreTradeCheck},
	Role, RoleGrant, RoleInspect,
};
use sp_runtime::{
	testing::{TestSignature, UintAuthorityId},
	BuildStorage, DispatchError, Perbill, Percent,
};

pub use qingsuan_primitives::investors::mock::{set_frozen, set_investors, MockInvestors as TestInvestors};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Ledger: pallet_ledger,
		Settlement: pallet_settlement,
		Orderbook: pallet_orderbook,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Transactions the off-chain worker creates.
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
/// Member brokers.
pub const ALICE: u64 = 1;
/// A member broker.
pub const BOB: u64 = 2;
/// A member broker.
pub const CAROL: u64 = 3;
/// A member broker with nothing.
pub const DAVE: u64 = 4;
/// The bank issuing CNY.
pub const BANK: u64 = 50;
/// No role.
pub const OUTSIDER: u64 = 99;
/// An investor of [`ALICE`].
pub const ANN: u64 = 1_001;
/// A second investor of [`ALICE`].
pub const AMY: u64 = 1_002;
/// An investor of [`BOB`].
pub const BEN: u64 = 2_001;
/// Receives handling fees.
pub const FEES: u64 = 200;
/// Receives stamp duty.
pub const TAX: u64 = 201;

/// Securities.
pub const MOUTAI: u32 = 1;
/// A second security, without a market at genesis.
pub const PINGAN: u32 = 2;
/// A halted security.
pub const HALTED: u32 = 3;
/// Cash issued by [`BANK`].
pub const CNY: u32 = 1000;

/// The Moutai/CNY market.
pub const MKT: u32 = 0;
/// Its reference price: 1,500.00 yuan in fen.
pub const REF: u64 = 150_000;
/// Its lot.
pub const LOT: u64 = 100;
/// Each broker's shares of each security at genesis.
pub const START_SHARES: u128 = 100_000;
/// Each broker's cash at genesis: 100 million yuan in fen.
pub const START_CASH: u128 = 10_000_000_000;

ord_parameter_types! {
	pub const Consortium: u64 = CONSORTIUM;
	pub const Regulator: u64 = REGULATOR;
}

parameter_types! {
	pub const FeeAccount: u64 = FEES;
	pub const TaxAccount: u64 = TAX;
	/// Accounts the pre-trade check refuses.
	pub static Blocked: Vec<u64> = vec![];
	/// Accounts the pre-trade check refuses buys of (as for an expired identity claim).
	pub static NoBuying: Vec<u64> = vec![];
	/// The matching budget of a call.
	pub static MaxFills: u32 = 8;
	pub const BrokerRole: Role = Role::MemberBroker;
	/// Member brokers made during a test, beside 1..=9.
	pub static Granted: Vec<u64> = vec![];
	/// Brokers among 1..=9 whose membership a test revoked.
	pub static Revoked: Vec<u64> = vec![];
	/// The authorities whose upkeep is accepted.
	pub static Workers: Vec<UintAuthorityId> = vec![UintAuthorityId(7), UintAuthorityId(8)];
}

/// Roles: 1..=9 brokers, 50..=59 banks.
pub struct TestRoles;
impl RoleInspect<u64> for TestRoles {
	fn has_role(who: &u64, role: Role) -> bool {
		match role {
			Role::MemberBroker => {
				((1..=9).contains(who) || Granted::get().contains(who)) && !Revoked::get().contains(who)
			},
			Role::ClearingBank => (50..=59).contains(who),
			_ => false,
		}
	}
}
impl RoleGrant<u64> for TestRoles {
	fn grant(_who: &u64, _role: Role) {}
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

/// Refuses orders of [`Blocked`] accounts, and buys of [`NoBuying`] ones.
pub struct TestPreTrade;
impl PreTradeCheck<u64> for TestPreTrade {
	/// (blocked, may not buy)
	type Account = (bool, bool);
	type Instrument = ();
	fn account(who: &u64) -> (bool, bool) {
		(Blocked::get().contains(who), NoBuying::get().contains(who))
	}
	fn instrument(_: u32) {}
	fn may_keep(account: &(bool, bool), _: &(), side: Side) -> bool {
		let (blocked, no_buying) = *account;
		let refused = blocked || (no_buying && side == Side::Buy);
		!refused
	}
	fn check(account: &(bool, bool), _: &(), order: &OrderIntent<u64>) -> Result<(), DispatchError> {
		if !Self::may_keep(account, &(), order.side) {
			return Err(DispatchError::Other("not suitable"));
		}
		Ok(())
	}
}

/// A fixed clock.
pub struct MockTime;
impl UnixTime for MockTime {
	fn now() -> core::time::Duration {
		core::time::Duration::from_secs(1_763_856_000)
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
	// The order book's tests settle trades only; its own pre-trade check is the one they test.
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
	type BenchmarkHelper = SettlementHelper;
}

/// The settlement benchmarks are not run from this mock.
#[cfg(feature = "runtime-benchmarks")]
pub struct SettlementHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_settlement::benchmarking::BenchmarkHelper<u64> for SettlementHelper {
	fn grant(_: &u64, _: Role) {}
	fn create_security(asset: u32) {
		Ledger::do_register(asset, InstrumentKind::Security(security(b"US0378331005"))).expect("fresh");
	}
	fn set_clock() {}
	fn create_cash(asset: u32, bank: &u64) {
		Ledger::do_register(asset, InstrumentKind::Cash(CashInfo { currency: *b"CNY", bank: *bank })).expect("fresh");
	}
	fn make_investor(broker: &u64, i: u32) -> u64 {
		qingsuan_primitives::investors::mock::open_numbered(*broker, i)
	}
	fn open_market(_: u32, _: u32) {}
	fn full_profile(_: &u64) {}
}

impl pallet_orderbook::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Ledger = Ledger;
	type Instruments = Ledger;
	type Settlement = Settlement;
	type PreTrade = TestPreTrade;
	type Reports = TestReports;
	type MemberOrigin = EnsureBroker;
	type Members = TestRoles;
	type Investors = TestInvestors;
	type ConsortiumOrigin = EnsureSignedBy<Consortium, u64>;
	type RegulatorOrigin = EnsureSignedBy<Regulator, u64>;
	type MaxFillsPerCall = MaxFills;
	type MaxOrdersPerMarket = frame_support::traits::ConstU32<16>;
	type MaxOrdersPerBroker = frame_support::traits::ConstU32<8>;
	type MaxStopsPerAccount = frame_support::traits::ConstU32<4>;
	type MaxBatch = frame_support::traits::ConstU32<8>;
	type WorkerId = UintAuthorityId;
	type WorkerSignature = TestSignature;
	type Workers = Workers;
	type UpkeepLifetime = frame_support::traits::ConstU64<5>;
	type UpkeepPriority = frame_support::traits::ConstU64<{ 1 << 20 }>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = OrderbookHelper;
}

/// Sets up the order-book benchmarks' world in the mock.
#[cfg(feature = "runtime-benchmarks")]
pub struct OrderbookHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<u64, UintAuthorityId> for OrderbookHelper {
	fn make_member(who: &u64) {
		Granted::mutate(|g| g.push(*who));
	}
	fn add_worker(worker: &UintAuthorityId) {
		Workers::mutate(|w| w.push(worker.clone()));
	}
	fn create_instruments(security: u32, cash: u32) {
		Self::create_security(security);
		Ledger::do_register(cash, InstrumentKind::Cash(CashInfo { currency: *b"CNY", bank: BANK })).expect("fresh");
	}
	fn create_security(security: u32) {
		let info = SecurityInfo { isin: pallet_ledger::numbered_isin(security), ..security_info(b"US5949181045") };
		Ledger::do_register(security, InstrumentKind::Security(info)).expect("fresh");
	}
	fn fund(who: &u64, asset: u32, amount: u128) {
		use frame_support::traits::tokens::fungibles::Mutate;
		<Ledger as Mutate<u64>>::mint_into(asset, who, amount).expect("fund");
	}
	fn make_investor(broker: &u64, i: u32) -> u64 {
		qingsuan_primitives::investors::mock::open_numbered(*broker, i)
	}
}

fn security_info(isin: &[u8; 12]) -> SecurityInfo {
	SecurityInfo {
		code: b"600519".to_vec().try_into().expect("fits; qed"),
		isin: *isin,
		name: b"test".to_vec().try_into().expect("fits; qed"),
		lot_size: 100,
		tick_size: 1,
	}
}

fn security(isin: &[u8; 12]) -> SecurityInfo {
	security_info(isin)
}

/// Moutai, Ping An and a halted security; CNY by BANK; Alice, Bob and Carol with shares and
/// cash; the Moutai/CNY market (tick 1 fen, lot 100, band 10% around 1,500 yuan, cancel-newest).
pub fn new_test_ext() -> sp_io::TestExternalities {
	set_investors(&[(ANN, ALICE), (AMY, ALICE), (BEN, BOB)]);
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().expect("system genesis; qed");
	let with = |kind, status| Instrument { kind, status };
	let trading = InstrumentStatus::Trading;
	pallet_ledger::GenesisConfig::<Test> {
		instruments: vec![
			(MOUTAI, with(InstrumentKind::Security(security(b"CNE0000018R8")), trading)),
			(PINGAN, with(InstrumentKind::Security(security(b"CNE000001R84")), trading)),
			(HALTED, with(InstrumentKind::Security(security(b"US0378331005")), InstrumentStatus::Halted)),
			(CNY, with(InstrumentKind::Cash(CashInfo { currency: *b"CNY", bank: BANK }), trading)),
		],
		securities: [ALICE, BOB, CAROL]
			.into_iter()
			.flat_map(|who| [(MOUTAI, who, START_SHARES), (PINGAN, who, START_SHARES)])
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
		deposits: vec![(CNY, ALICE, START_CASH), (CNY, BOB, START_CASH), (CNY, CAROL, START_CASH)],
	}
	.assimilate_storage(&mut storage)
	.expect("settlement genesis; qed");
	pallet_orderbook::GenesisConfig::<Test> {
		markets: vec![(MOUTAI, CNY, 1, LOT, REF, Percent::from_percent(10), SelfTradePrevention::CancelNewest)],
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

/// The three pallets' invariants.
pub fn check_invariants() {
	Ledger::do_try_state().expect("ledger invariants hold");
	Settlement::do_try_state().expect("settlement invariants hold");
	Orderbook::do_try_state().expect("order-book invariants hold");
}

/// One report `TestReports` heard: `(order, account, Some((quantity, cash, fee)), 0)` for a
/// fill, `(order, account, None, released)` for an end.
pub type Report = (u64, u64, Option<(u64, u128, u128)>, u128);

parameter_types! {
	/// What `TestReports` heard.
	pub static Reported: Vec<Report> = vec![];
}

/// Records the reports of orders placed through the entry API.
pub struct TestReports;
impl qingsuan_primitives::orders::OrderReports<u64> for TestReports {
	fn on_fill(order: u64, account: &u64, quantity: u64, cash: u128, fee: u128) -> Result<(), DispatchError> {
		Reported::mutate(|r| r.push((order, *account, Some((quantity, cash, fee)), 0)));
		Ok(())
	}
	fn on_end(order: u64, account: &u64, released: u128) -> Result<(), DispatchError> {
		Reported::mutate(|r| r.push((order, *account, None, released)));
		Ok(())
	}
	fn report_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::from_parts(1_000, 0)
	}
}
