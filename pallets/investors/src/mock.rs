//! A mock runtime for the investors pallet's tests: the real ledger, fixed roles, and a stand-in
//! order book whose open orders the tests set.

use crate as pallet_investors;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	derive_impl, ord_parameter_types, parameter_types,
	traits::{tokens::fungibles::Mutate, VariantCount},
};
use frame_system::EnsureSignedBy;
use qingsuan_primitives::{investors::OpenOrders, Role, RoleInspect};
use scale_info::TypeInfo;
use sp_runtime::{BuildStorage, DispatchError, Weight};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Ledger: pallet_ledger,
		Investors: pallet_investors,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The consortium.
pub const CONSORTIUM: u64 = 100;
/// A member broker.
pub const ALICE: u64 = 1;
/// A member broker.
pub const BOB: u64 = 2;
/// A member broker.
pub const CAROL: u64 = 3;
/// The bank issuing CNY.
pub const BANK: u64 = 50;
/// A regulator.
pub const CSRC: u64 = 60;
/// No role.
pub const OUTSIDER: u64 = 99;
/// Cash issued by [`BANK`].
pub const CNY: u32 = 1000;
/// A second cash asset, issued by [`BANK`].
pub const USD: u32 = 1001;
/// A security.
pub const MOUTAI: u32 = 1;
/// Each broker's own CNY at genesis.
pub const START_CASH: u128 = 1_000_000;

ord_parameter_types! {
	pub const Consortium: u64 = CONSORTIUM;
}

parameter_types! {
	/// Roles granted during a test (benchmarks, the transfer's revoked broker), beside the fixed ones.
	pub static GrantedRoles: Vec<(u64, Role)> = vec![];
	/// Roles revoked during a test.
	pub static RevokedRoles: Vec<(u64, Role)> = vec![];
	/// Open orders per account, as the stand-in order book reports them.
	pub static Open: Vec<(u64, u32)> = vec![];
	/// Accounts whose open orders `cancel_open_orders` was asked to cancel.
	pub static CancelledFor: Vec<u64> = vec![];
	/// The most orders one `cancel_open_orders` cancels.
	pub static CancelBound: u32 = u32::MAX;
}

/// Roles: 1..=9 brokers, 50..=59 banks, 60..=69 regulators, plus grants, minus revocations.
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
				Role::Regulator => (60..=69).contains(who),
				Role::Attestor | Role::Developer => false,
			}
	}
}
impl qingsuan_primitives::RoleGrant<u64> for TestRoles {
	fn grant(who: &u64, role: Role) {
		GrantedRoles::mutate(|g| g.push((*who, role)));
	}
}

/// The stand-in order book.
pub struct TestOrders;
impl OpenOrders<u64> for TestOrders {
	fn has_open_orders(who: &u64) -> bool {
		Self::count(who) > 0
	}
	fn cancel_open_orders(who: &u64, _: qingsuan_primitives::investors::OrdersEnd) -> Result<u32, DispatchError> {
		let n = Self::count(who).min(CancelBound::get());
		let left = Self::count(who) - n;
		Open::mutate(|o| {
			o.retain(|(w, _)| w != who);
			if left > 0 {
				o.push((*who, left));
			}
		});
		CancelledFor::mutate(|c| c.push(*who));
		Ok(n)
	}
	fn cancel_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
}

impl TestOrders {
	fn count(who: &u64) -> u32 {
		Open::get().iter().filter(|(w, _)| w == who).map(|(_, n)| *n).sum()
	}
}

/// Hold reasons of the tests.
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
	type Investors = Investors;
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
		let who: u64 = frame_benchmarking::account("member", 0, 0);
		<TestRoles as qingsuan_primitives::RoleGrant<u64>>::grant(&who, R::get());
		Ok(RuntimeOrigin::signed(who))
	}
}
parameter_types! {
	pub const BrokerRole: Role = Role::MemberBroker;
	pub const RegulatorRole: Role = Role::Regulator;
}

impl pallet_investors::Config for Test {
	type OnOpen = ();
	type OnClose = ();
	type RuntimeEvent = RuntimeEvent;
	type Ledger = Ledger;
	type Instruments = Ledger;
	type Members = TestRoles;
	type OpenOrders = TestOrders;
	type BrokerOrigin = EnsureRole<BrokerRole>;
	type RegulatorOrigin = EnsureRole<RegulatorRole>;
	type ConsortiumOrigin = EnsureSignedBy<Consortium, u64>;
	type MaxCashAssets = frame_support::traits::ConstU32<{ pallet_ledger::MAX_CASH_ASSETS }>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

/// Sets up the benchmarks' world in the mock.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<u64> for MockHelper {
	fn make_broker(who: &u64) {
		<TestRoles as qingsuan_primitives::RoleGrant<u64>>::grant(who, Role::MemberBroker);
	}
	fn cash() -> u32 {
		CNY
	}
	fn fund(who: &u64, asset: u32, amount: u128) {
		Ledger::mint_into(asset, who, amount).expect("a registered asset; qed");
	}
	fn create_cash(asset: u32) {
		Ledger::do_register(asset, cash(*b"EUR").kind).expect("a fresh cash asset; qed");
	}
	fn revoke_broker(who: &u64) {
		RevokedRoles::mutate(|r| r.push((*who, Role::MemberBroker)));
	}
}

fn cash(currency: [u8; 3]) -> pallet_ledger::Instrument<u64> {
	pallet_ledger::Instrument {
		kind: pallet_ledger::InstrumentKind::Cash(pallet_ledger::CashInfo { currency, bank: BANK }),
		status: pallet_ledger::InstrumentStatus::Trading,
	}
}

/// CNY and USD by [`BANK`], Moutai; Alice, Bob and Carol hold [`START_CASH`] CNY each.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().expect("system genesis; qed");
	let moutai = pallet_ledger::Instrument {
		kind: pallet_ledger::InstrumentKind::Security(pallet_ledger::SecurityInfo {
			code: b"600519".to_vec().try_into().expect("fits; qed"),
			isin: *b"CNE0000018R8",
			name: b"Moutai".to_vec().try_into().expect("fits; qed"),
			lot_size: 100,
			tick_size: 1,
		}),
		status: pallet_ledger::InstrumentStatus::Trading,
	};
	pallet_ledger::GenesisConfig::<Test> {
		instruments: vec![(CNY, cash(*b"CNY")), (USD, cash(*b"USD")), (MOUTAI, moutai)],
		securities: vec![],
	}
	.assimilate_storage(&mut storage)
	.expect("ledger genesis; qed");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		for who in [ALICE, BOB, CAROL] {
			Ledger::mint_into(CNY, &who, START_CASH).expect("CNY is registered; qed");
		}
	});
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
	Investors::do_try_state().expect("investors invariants hold");
}
