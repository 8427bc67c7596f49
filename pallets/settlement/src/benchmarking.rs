//! Benchmarks of the settlement pallet (FRAME benchmarking v2), including `settle_trade`, the
//! order book's per-fill cost, and `process_due`, the hook's per-instruction cost.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		tokens::fungibles::{Inspect, Mutate, MutateHold},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use qingsuan_primitives::{
	market::{InstrumentInspect, PriceLimits},
	Role,
};
use qingsuan_sm_crypto::{envelope, sm2};

/// What the runtime provides so the benchmarks can build their world.
pub trait BenchmarkHelper<AccountId> {
	/// Give `who` `role`.
	fn grant(who: &AccountId, role: Role);
	/// Register a trading security under `asset`.
	fn create_security(asset: AssetId);
	/// Register a trading cash asset under `asset`, issued by `bank`.
	fn create_cash(asset: AssetId, bank: &AccountId);
	/// Set the wall clock to a time after genesis (settlement records need a day).
	fn set_clock();
	/// Open the `i`th investor account of the member `broker`, with every claim the compliance
	/// rules can ask for (so a check reads and evaluates a full profile).
	fn make_investor(broker: &AccountId, i: u32) -> AccountId;
	/// Give `who` every claim the compliance rules can ask for, and as many as a profile holds.
	fn full_profile(who: &AccountId);
	/// Open an order-book market of `security` for `cash` whose price band is 900 to 1,100.
	fn open_market(security: AssetId, cash: AssetId);
}

const SECURITY: AssetId = 900_000;
const CASH: AssetId = 900_001;
/// The first of the securities instruction legs move, one per leg.
const LEG_SECURITIES: AssetId = 910_000;

fn signed<T: Config, O: EnsureOrigin<T::RuntimeOrigin, Success = T::AccountId>>(
) -> Result<(T::RuntimeOrigin, T::AccountId), BenchmarkError> {
	let o = O::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
	let who = O::ensure_origin(o.clone()).map_err(|_| BenchmarkError::Weightless)?;
	Ok((o, who))
}

/// A security, a cash asset issued by `bank`, fees on every path.
fn market<T: Config>(bank: &T::AccountId) {
	T::BenchmarkHelper::set_clock();
	T::BenchmarkHelper::grant(bank, Role::ClearingBank);
	T::BenchmarkHelper::create_security(SECURITY);
	T::BenchmarkHelper::create_cash(CASH, bank);
	Fees::<T>::put(FeeSchedule {
		handling: sp_runtime::Perbill::from_parts(34_100),
		stamp_duty: sp_runtime::Perbill::from_parts(500_000),
	});
}

fn member<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	T::BenchmarkHelper::grant(&who, Role::MemberBroker);
	who
}

/// Credit `amount` of `asset` to `who` the way the chain does (deposit or issuance).
fn fund<T: Config>(asset: AssetId, who: &T::AccountId, amount: Amount) -> Result<(), BenchmarkError> {
	if asset == CASH {
		Pallet::<T>::credit_deposit(asset, who, amount)?;
	} else {
		T::Ledger::mint_into(asset, who, amount)?;
	}
	Ok(())
}

/// The security the `i`th delivery moves: a distinct security per leg, so that every leg touches
/// its own balance records and runs the compliance rules of its own security (the worst case).
fn leg_asset<T: Config>(i: u32) -> AssetId {
	let asset = LEG_SECURITIES + i;
	if T::Instruments::class(asset).is_none() {
		T::BenchmarkHelper::create_security(asset);
	}
	asset
}

/// How a benchmark instruction's legs are laid out.
#[derive(Clone, Copy, PartialEq)]
enum Layout {
	/// Every leg delivers its own security from `broker`'s own account to another member's own
	/// account, free of payment: every leg a security leg, every party's compliance profile
	/// full, so creation and settlement run two rule checks per leg and the sender's
	/// affirmation holds every leg.
	Free,
	/// Deliveries versus payment between two investors (one of `broker`, one of another
	/// member), each pair its own security and its own cash asset, with a market for every
	/// security and cash asset, so the pairing prices every delivery against every payment
	/// (pairs² band reads); 1,000 shares for 1,000,000 (a price of 1,000, within the band).
	/// Both investors have full profiles.
	Dvp,
}

/// The `j`th cash asset of the DvP layout (the first is [`CASH`]), registered on first use.
fn pay_asset<T: Config>(j: u32) -> AssetId {
	let asset = if j == 0 { CASH } else { CASH + j };
	if T::Instruments::class(asset).is_none() {
		T::BenchmarkHelper::create_cash(asset, &account("bank", 0, 0));
	}
	asset
}

/// An instruction from `broker`'s side to members tagged `tag`, laid out as `layout`: `n` legs
/// (free) or `n` pairs (DvP); and the receiving members in the order of their parties.
fn legs<T: Config>(
	broker: &T::AccountId,
	n: u32,
	tag: u32,
	layout: Layout,
) -> Result<(LegsOf<T>, Vec<T::AccountId>), BenchmarkError> {
	let mut legs = Vec::new();
	let mut receivers = Vec::new();
	match layout {
		Layout::Free => {
			T::BenchmarkHelper::full_profile(broker);
			for i in 0..n {
				let asset = leg_asset::<T>(i);
				T::Ledger::mint_into(asset, broker, 1_000)?;
				let receiver = member::<T>("party", tag * 1_000 + i);
				T::BenchmarkHelper::full_profile(&receiver);
				legs.push(Leg { from: broker.clone(), to: receiver.clone(), asset, amount: 1_000 });
				receivers.push(receiver);
			}
		},
		Layout::Dvp => {
			let seller = T::BenchmarkHelper::make_investor(broker, tag);
			let receiver = member::<T>("party", tag * 1_000);
			let buyer = T::BenchmarkHelper::make_investor(&receiver, tag);
			for i in 0..n {
				let asset = leg_asset::<T>(i);
				for j in 0..n {
					let cash = pay_asset::<T>(j);
					if T::Prices::price_limits(asset, cash).is_none() {
						T::BenchmarkHelper::open_market(asset, cash);
					}
				}
				T::Ledger::mint_into(asset, &seller, 1_000)?;
			}
			for i in 0..n {
				let (asset, cash) = (leg_asset::<T>(i), pay_asset::<T>(i));
				Pallet::<T>::credit_deposit(cash, &buyer, 1_000_000)?;
				legs.push(Leg { from: seller.clone(), to: buyer.clone(), asset, amount: 1_000 });
				legs.push(Leg { from: buyer.clone(), to: seller.clone(), asset: cash, amount: 1_000_000 });
			}
			receivers.push(receiver);
		},
	}
	Ok((legs.try_into().map_err(|_| BenchmarkError::Weightless)?, receivers))
}

/// Fill the schedule of block `at` to one short of its bound.
fn crowd_schedule<T: Config>(at: BlockNumberFor<T>) {
	let ids: Vec<InstructionId> =
		(0..T::MaxDuePerBlock::get().saturating_sub(1)).map(|i| u64::MAX - i as u64).collect();
	Due::<T>::insert(at, BoundedVec::truncate_from(ids));
}

/// Who has affirmed a benchmark instruction.
#[derive(Clone, Copy, PartialEq)]
enum Affirmed {
	/// The sender only (its deliveries are held).
	Sender,
	/// The receivers only (the sender's affirmation would settle it).
	Receivers,
	/// Everyone.
	All,
}

/// A stored instruction of `l` legs from `broker`'s side to members tagged `tag`, laid out as
/// `layout`, settling at `settle_at` (now if `None`), affirmed by `affirmed`; and its last
/// receiving member (the broker of its last party).
fn stored_instruction<T: Config>(
	broker: &T::AccountId,
	l: u32,
	tag: u32,
	settle_at: Option<BlockNumberFor<T>>,
	affirmed: Affirmed,
	layout: Layout,
) -> Result<(InstructionId, T::AccountId), BenchmarkError> {
	let now = frame_system::Pallet::<T>::block_number();
	let (legs, receivers) = legs::<T>(broker, l, tag, layout)?;
	let id =
		Pallet::<T>::do_create_instruction(broker.clone(), legs, settle_at, now + T::MaxInstructionLifetime::get())?;
	if affirmed != Affirmed::Receivers {
		Pallet::<T>::do_affirm_instruction(broker, id)?;
	}
	if affirmed != Affirmed::Sender {
		for receiver in &receivers {
			Pallet::<T>::do_affirm_instruction(receiver, id)?;
		}
	}
	let last = receivers.last().cloned().ok_or(BenchmarkError::Weightless)?;
	Ok((id, last))
}

/// A withdrawal envelope of the largest allowed size, sealed (in form) to `keys`.
fn payee<T: Config>(keys: &[sm2::Public], member: &T::AccountId, amount: Amount) -> EnvelopeOf<T> {
	let mut env = envelope::Envelope {
		version: envelope::VERSION,
		nonce: [1; 12],
		aad: withdrawal_aad(member, CASH, amount),
		recipients: keys
			.iter()
			.map(|key| envelope::WrappedKey { recipient: *key, wrapped: alloc::vec![2; 113] })
			.collect(),
		ciphertext: alloc::vec![3; 16],
	};
	let max = T::MaxEnvelopeLen::get() as usize;
	let room = max.saturating_sub(codec::Encode::encoded_size(&env));
	// Grow the ciphertext to fill the bound (its length prefix may take a few more bytes).
	env.ciphertext.resize(16 + room.saturating_sub(4), 3);
	BoundedVec::truncate_from(codec::Encode::encode(&env))
}

fn bank_key() -> sm2::Public {
	// The generator point G of SM2, compressed: a valid public key.
	let mut key = [0u8; 33];
	key[0] = 0x02;
	key[1..].copy_from_slice(&[
		0x32, 0xc4, 0xae, 0x2c, 0x1f, 0x19, 0x81, 0x19, 0x5f, 0x99, 0x04, 0x46, 0x6a, 0x39, 0xc9, 0x94, 0x8f, 0xe3,
		0x0b, 0xbf, 0xf2, 0x66, 0x0b, 0xe1, 0x71, 0x5a, 0x45, 0x89, 0x33, 0x4c, 0x74, 0xc7,
	]);
	sm2::Public(key)
}

fn regulator_key() -> sm2::Public {
	// 2G, compressed: another valid public key.
	sm2::Public([
		0x03, 0x56, 0xce, 0xfd, 0x60, 0xd7, 0xc8, 0x7c, 0x00, 0x0d, 0x58, 0xef, 0x57, 0xfa, 0x73, 0xba, 0x4d, 0x9c,
		0x0d, 0xfa, 0x08, 0xc0, 0x8a, 0x73, 0x31, 0x49, 0x5c, 0x2e, 0x1d, 0xa3, 0xf2, 0xbd, 0x52,
	])
}

/// What `create_instruction` of `l` legs laid out as `layout` is called with (origin, legs,
/// settle-at, expiry), both blocks' schedules nearly full.
#[allow(clippy::type_complexity)]
fn create_args<T: Config>(
	l: u32,
	layout: Layout,
) -> Result<(T::RuntimeOrigin, LegsOf<T>, BlockNumberFor<T>, BlockNumberFor<T>), BenchmarkError> {
	let (o, who) = signed::<T, T::MemberOrigin>()?;
	market::<T>(&account("bank", 0, 0));
	let (legs, _) = legs::<T>(&who, l, 0, layout)?;
	let expires = frame_system::Pallet::<T>::block_number() + T::MaxInstructionLifetime::get();
	let settle_at: BlockNumberFor<T> = frame_system::Pallet::<T>::block_number() + 1u32.into();
	crowd_schedule::<T>(expires);
	crowd_schedule::<T>(settle_at);
	Ok((o, legs, settle_at, expires))
}

/// The caller and the instruction whose last affirmation it gives (laid out as `layout`): the
/// receivers have affirmed, the caller's side delivers.
fn affirm_args<T: Config>(l: u32, layout: Layout) -> Result<(T::RuntimeOrigin, InstructionId), BenchmarkError> {
	let (o, who) = signed::<T, T::MemberOrigin>()?;
	market::<T>(&account("bank", 0, 0));
	let (id, _) = stored_instruction::<T>(&who, l, 0, None, Affirmed::Receivers, layout)?;
	Ok((o, id))
}

/// The last party's broker and a fully affirmed instruction laid out as `layout`, due this
/// block (the block has moved on to its settle-at block).
fn execute_args<T: Config>(n: u32, layout: Layout) -> Result<(T::AccountId, InstructionId), BenchmarkError> {
	let (_, who) = signed::<T, T::MemberOrigin>()?;
	market::<T>(&account("bank", 0, 0));
	let now = frame_system::Pallet::<T>::block_number();
	let (id, last) = stored_instruction::<T>(&who, n, 0, Some(now + 1u32.into()), Affirmed::All, layout)?;
	frame_system::Pallet::<T>::set_block_number(now + 1u32.into());
	Ok((last, id))
}

/// `n` fully affirmed instructions of `size` (legs or pairs, as `layout` counts) due at the
/// next block, which has begun; returns it.
fn due_instructions<T: Config>(n: u32, size: u32, layout: Layout) -> Result<BlockNumberFor<T>, BenchmarkError> {
	market::<T>(&account("bank", 0, 0));
	let at = frame_system::Pallet::<T>::block_number() + 1u32.into();
	for i in 0..n {
		stored_instruction::<T>(&member::<T>("from", i), size, i + 1, Some(at), Affirmed::All, layout)?;
	}
	frame_system::Pallet::<T>::set_block_number(at);
	Ok(at)
}

/// A contract deployed at the benchmarks' contract account.
fn deployed<T: Config>() -> T::AccountId {
	let contract: T::AccountId = account("contract", 0, 0);
	T::Contracts::create(&contract);
	contract
}

/// A contract and the legs it settles (`n` legs or pairs, laid out as `layout`), each leg's
/// amount held by the contract on the leg's deliverer, approved by the deliverer's broker.
fn contract_legs<T: Config>(n: u32, layout: Layout) -> Result<(T::AccountId, LegsOf<T>), BenchmarkError> {
	let (_, who) = signed::<T, T::MemberOrigin>()?;
	market::<T>(&account("bank", 0, 0));
	let (legs, _) = legs::<T>(&who, n, 0, layout)?;
	let contract: T::AccountId = account("contract", 0, 0);
	// Deployed, and bound as its approvals would bind it (they are written directly below).
	ContractInstances::<T>::insert(&contract, T::Contracts::create(&contract));
	for leg in &legs {
		ContractAllowances::<T>::insert((&leg.from, &contract, leg.asset), leg.amount);
		Pallet::<T>::contract_hold(&contract, &leg.from, leg.asset, leg.amount)?;
	}
	Ok((contract, legs))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn settle_trade() -> Result<(), BenchmarkError> {
		let bank: T::AccountId = account("bank", 0, 0);
		market::<T>(&bank);
		let (buyer, seller) = (member::<T>("buyer", 0), member::<T>("seller", 0));
		let reason: T::RuntimeHoldReason = HoldReason::Instruction.into();
		fund::<T>(SECURITY, &seller, 1_000)?;
		T::Ledger::hold(SECURITY, &reason, &seller, 1_000)?;
		fund::<T>(CASH, &buyer, 10_000_000)?;
		T::Ledger::hold(CASH, &reason, &buyer, 10_000_000)?;
		let spec = TradeSpec {
			buyer: buyer.clone(),
			seller: seller.clone(),
			security: SECURITY,
			cash: CASH,
			quantity: 1_000,
			price: 1_500,
			buyer_hold: HoldReason::Instruction.into(),
			seller_hold: reason,
			buyer_fee_cap: None,
		};
		#[block]
		{
			Pallet::<T>::do_settle_trade(spec)?;
		}
		assert_eq!(T::Ledger::balance(SECURITY, &buyer), 1_000);
		Ok(())
	}

	/// Creation, free legs: two rule checks per leg.
	#[benchmark]
	fn create_instruction(l: Linear<1, { T::MaxLegs::get() }>) -> Result<(), BenchmarkError> {
		let (o, legs, settle_at, expires) = create_args::<T>(l, Layout::Free)?;
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, legs, Some(settle_at), expires);
		assert!(Instructions::<T>::contains_key(0));
		Ok(())
	}

	/// Creation, `p` investors' deliveries versus payment: standing, pairing, pricing every
	/// delivery against every payment.
	#[benchmark]
	fn create_instruction_dvp(p: Linear<1, { T::MaxLegs::get() / 2 }>) -> Result<(), BenchmarkError> {
		let (o, legs, settle_at, expires) = create_args::<T>(p, Layout::Dvp)?;
		#[extrinsic_call]
		create_instruction(o as T::RuntimeOrigin, legs, Some(settle_at), expires);
		assert!(Instructions::<T>::contains_key(0));
		Ok(())
	}

	/// The last affirmation, which settles; free legs, all delivered (and held now) by the
	/// caller.
	#[benchmark]
	fn affirm_instruction(l: Linear<1, { T::MaxLegs::get() }>) -> Result<(), BenchmarkError> {
		let (o, id) = affirm_args::<T>(l, Layout::Free)?;
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, id);
		assert!(!Instructions::<T>::contains_key(id));
		Ok(())
	}

	/// The last affirmation, which settles; `p` investors' deliveries versus payment, the caller
	/// affirming for the delivering investor.
	#[benchmark]
	fn affirm_instruction_dvp(p: Linear<1, { T::MaxLegs::get() / 2 }>) -> Result<(), BenchmarkError> {
		let (o, id) = affirm_args::<T>(p, Layout::Dvp)?;
		#[extrinsic_call]
		affirm_instruction(o as T::RuntimeOrigin, id);
		assert!(!Instructions::<T>::contains_key(id));
		Ok(())
	}

	/// By the broker of the last party (the search for the caller's parties goes through all).
	#[benchmark]
	fn reject_instruction(l: Linear<1, { T::MaxLegs::get() }>) -> Result<(), BenchmarkError> {
		let (_, who) = signed::<T, T::MemberOrigin>()?;
		market::<T>(&account("bank", 0, 0));
		let now = frame_system::Pallet::<T>::block_number();
		// Every delivery is held, so every leg is released.
		let (id, last) = stored_instruction::<T>(&who, l, 0, Some(now + 1u32.into()), Affirmed::Sender, Layout::Free)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(last), id);
		assert!(!Instructions::<T>::contains_key(id));
		Ok(())
	}

	/// By the broker of the last party.
	#[benchmark]
	fn execute_instruction(l: Linear<1, { T::MaxLegs::get() }>) -> Result<(), BenchmarkError> {
		let (last, id) = execute_args::<T>(l, Layout::Free)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(last), id);
		assert!(!Instructions::<T>::contains_key(id));
		Ok(())
	}

	/// By the broker of the last party, `p` investors' deliveries versus payment.
	#[benchmark]
	fn execute_instruction_dvp(p: Linear<1, { T::MaxLegs::get() / 2 }>) -> Result<(), BenchmarkError> {
		let (last, id) = execute_args::<T>(p, Layout::Dvp)?;
		#[extrinsic_call]
		execute_instruction(RawOrigin::Signed(last), id);
		assert!(!Instructions::<T>::contains_key(id));
		Ok(())
	}

	/// `n` due instructions of `MaxLegs / 2` investors' deliveries versus payment each.
	#[benchmark]
	fn process_due_dvp(n: Linear<1, { T::MaxDuePerBlock::get() }>) -> Result<(), BenchmarkError> {
		let at = due_instructions::<T>(n, T::MaxLegs::get() / 2, Layout::Dvp)?;
		#[block]
		{
			Pallet::<T>::process_due(at);
		}
		assert_eq!(Instructions::<T>::iter().count(), 0);
		Ok(())
	}

	#[benchmark]
	fn process_due(n: Linear<1, { T::MaxDuePerBlock::get() }>) -> Result<(), BenchmarkError> {
		let at = due_instructions::<T>(n, T::MaxLegs::get(), Layout::Free)?;
		#[block]
		{
			Pallet::<T>::process_due(at);
		}
		assert_eq!(Instructions::<T>::iter().count(), 0);
		Ok(())
	}

	/// `on_idle`'s removal of `n` settlement records of storage v2 (the v3 migration's tail).
	#[benchmark]
	fn purge_records(n: Linear<0, { crate::MAX_PURGE_PER_BLOCK }>) -> Result<(), BenchmarkError> {
		let (buyer, seller) = (member::<T>("buyer", 0), member::<T>("seller", 0));
		for id in 0..n {
			let settled = Settled::Trade(TradeRecord {
				buyer: buyer.clone(),
				seller: seller.clone(),
				security: SECURITY,
				cash: CASH,
				quantity: 100,
				price: 1_000,
				cash_amount: 100_000,
				buyer_fee: 4,
				seller_fee: 54,
				stamp_duty: 50,
			});
			let record = RecordOf::<T> { settled, block: 1u32.into(), day: 20_415 };
			crate::migrations::v2_layout::Settlements::<T>::insert(u64::from(id), record);
		}
		PurgingRecords::<T>::put(true);
		#[block]
		{
			Pallet::<T>::purge_records(n);
		}
		assert!(!PurgingRecords::<T>::get());
		assert!(crate::migrations::v2_layout::Settlements::<T>::iter_keys().next().is_none());
		Ok(())
	}

	#[benchmark]
	fn set_fee_schedule() -> Result<(), BenchmarkError> {
		let o = T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let fees = FeeSchedule {
			handling: sp_runtime::Perbill::from_parts(1),
			stamp_duty: sp_runtime::Perbill::from_parts(2),
		};
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, fees);
		assert_eq!(Fees::<T>::get(), fees);
		Ok(())
	}

	#[benchmark]
	fn set_bank_key() -> Result<(), BenchmarkError> {
		let (o, bank) = signed::<T, T::BankOrigin>()?;
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, bank_key());
		assert!(BankKeys::<T>::contains_key(&bank));
		Ok(())
	}

	#[benchmark]
	fn set_regulator_key() -> Result<(), BenchmarkError> {
		let (o, _) = signed::<T, T::RegulatorOrigin>()?;
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, regulator_key());
		assert_eq!(RegulatorKey::<T>::get(), Some(regulator_key()));
		Ok(())
	}

	#[benchmark]
	fn request_deposit() -> Result<(), BenchmarkError> {
		let (o, _) = signed::<T, T::MemberOrigin>()?;
		market::<T>(&account("bank", 0, 0));
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, CASH, 1_000);
		assert!(Deposits::<T>::contains_key(0));
		Ok(())
	}

	#[benchmark]
	fn confirm_deposit() -> Result<(), BenchmarkError> {
		let (o, bank) = signed::<T, T::BankOrigin>()?;
		market::<T>(&bank);
		let id = Pallet::<T>::do_request_deposit(member::<T>("member", 1), CASH, 1_000)?;
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, id);
		assert_eq!(Cash::<T>::get(CASH).deposited, 1_000);
		Ok(())
	}

	#[benchmark]
	fn reject_deposit() -> Result<(), BenchmarkError> {
		let (o, bank) = signed::<T, T::BankOrigin>()?;
		market::<T>(&bank);
		let id = Pallet::<T>::do_request_deposit(member::<T>("member", 1), CASH, 1_000)?;
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, id);
		assert!(!Deposits::<T>::contains_key(id));
		Ok(())
	}

	#[benchmark]
	fn request_withdrawal() -> Result<(), BenchmarkError> {
		let (o, who) = signed::<T, T::MemberOrigin>()?;
		let bank: T::AccountId = account("bank", 0, 0);
		market::<T>(&bank);
		BankKeys::<T>::insert(&bank, bank_key());
		// The worst case: a regulator key too, sealed to last.
		RegulatorKey::<T>::put(regulator_key());
		fund::<T>(CASH, &who, 1_000)?;
		let payee = payee::<T>(&[bank_key(), regulator_key()], &who, 1_000);
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, CASH, 1_000, payee);
		assert!(Withdrawals::<T>::contains_key(0));
		Ok(())
	}

	#[benchmark]
	fn confirm_withdrawal() -> Result<(), BenchmarkError> {
		let (o, bank) = signed::<T, T::BankOrigin>()?;
		market::<T>(&bank);
		BankKeys::<T>::insert(&bank, bank_key());
		let who = member::<T>("member", 1);
		fund::<T>(CASH, &who, 1_000)?;
		let id = Pallet::<T>::do_request_withdrawal(who.clone(), CASH, 1_000, payee::<T>(&[bank_key()], &who, 1_000))?;
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, id);
		assert_eq!(Cash::<T>::get(CASH).withdrawn, 1_000);
		Ok(())
	}

	#[benchmark]
	fn reject_withdrawal() -> Result<(), BenchmarkError> {
		let (o, bank) = signed::<T, T::BankOrigin>()?;
		market::<T>(&bank);
		BankKeys::<T>::insert(&bank, bank_key());
		let who = member::<T>("member", 1);
		fund::<T>(CASH, &who, 1_000)?;
		let id = Pallet::<T>::do_request_withdrawal(who.clone(), CASH, 1_000, payee::<T>(&[bank_key()], &who, 1_000))?;
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, id);
		assert!(!Withdrawals::<T>::contains_key(id));
		Ok(())
	}

	/// A broker approves a contract for its investor.
	#[benchmark]
	fn approve_contract() -> Result<(), BenchmarkError> {
		let (o, broker) = signed::<T, T::MemberOrigin>()?;
		market::<T>(&account("bank", 0, 0));
		let owner = T::BenchmarkHelper::make_investor(&broker, 0);
		let contract = deployed::<T>();
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, owner.clone(), contract.clone(), SECURITY, 1_000);
		assert_eq!(ContractAllowances::<T>::get((&owner, &contract, SECURITY)), 1_000);
		assert!(ContractInstances::<T>::contains_key(&contract));
		Ok(())
	}

	/// A contract's read of the ledger: an account's free balance (the heaviest view).
	#[benchmark]
	fn contract_read() -> Result<(), BenchmarkError> {
		market::<T>(&account("bank", 0, 0));
		let owner = member::<T>("owner", 0);
		T::Ledger::mint_into(SECURITY, &owner, 1_000)?;
		T::Ledger::hold(SECURITY, &HoldReason::Instruction.into(), &owner, 100)?;
		let free;
		#[block]
		{
			free = Pallet::<T>::free_balance(SECURITY, &owner);
		}
		assert_eq!(free, 900);
		Ok(())
	}

	/// A contract holds an investor's security, within the broker's approval.
	#[benchmark]
	fn contract_hold() -> Result<(), BenchmarkError> {
		market::<T>(&account("bank", 0, 0));
		let broker = member::<T>("broker", 0);
		let owner = T::BenchmarkHelper::make_investor(&broker, 0);
		let contract = deployed::<T>();
		T::Ledger::mint_into(SECURITY, &owner, 1_000)?;
		Pallet::<T>::do_approve_contract(&broker, owner.clone(), contract.clone(), SECURITY, 1_000)?;
		#[block]
		{
			Pallet::<T>::contract_hold(&contract, &owner, SECURITY, 1_000)?;
		}
		assert_eq!(ContractHolds::<T>::get((&contract, SECURITY, &owner)), 1_000);
		Ok(())
	}

	/// A contract gives back part of what it holds.
	#[benchmark]
	fn contract_release() -> Result<(), BenchmarkError> {
		market::<T>(&account("bank", 0, 0));
		let broker = member::<T>("broker", 0);
		let owner = T::BenchmarkHelper::make_investor(&broker, 0);
		let contract = deployed::<T>();
		T::Ledger::mint_into(SECURITY, &owner, 1_000)?;
		Pallet::<T>::do_approve_contract(&broker, owner.clone(), contract.clone(), SECURITY, 1_000)?;
		Pallet::<T>::contract_hold(&contract, &owner, SECURITY, 1_000)?;
		#[block]
		{
			Pallet::<T>::contract_release(&contract, &owner, SECURITY, 400)?;
		}
		assert_eq!(ContractHolds::<T>::get((&contract, SECURITY, &owner)), 600);
		Ok(())
	}

	/// A broker takes back what a contract that no longer exists held of its investor, and the
	/// rest of the contract's approval.
	#[benchmark]
	fn reclaim_contract_hold() -> Result<(), BenchmarkError> {
		let (o, broker) = signed::<T, T::MemberOrigin>()?;
		market::<T>(&account("bank", 0, 0));
		let owner = T::BenchmarkHelper::make_investor(&broker, 0);
		let contract = deployed::<T>();
		T::Ledger::mint_into(SECURITY, &owner, 1_000)?;
		Pallet::<T>::do_approve_contract(&broker, owner.clone(), contract.clone(), SECURITY, 2_000)?;
		Pallet::<T>::contract_hold(&contract, &owner, SECURITY, 1_000)?;
		// The contract terminated and another was created at its address: both instances are
		// read.
		ContractInstances::<T>::insert(&contract, [0xee; 32]);
		#[extrinsic_call]
		_(o as T::RuntimeOrigin, owner.clone(), contract.clone(), SECURITY);
		assert_eq!(ContractHolds::<T>::get((&contract, SECURITY, &owner)), 0);
		assert_eq!(ContractAllowances::<T>::get((&owner, &contract, SECURITY)), 0);
		assert_eq!(Pallet::<T>::free_balance(SECURITY, &owner), 1_000);
		Ok(())
	}

	/// A contract settles `l` free legs between brokers' own accounts out of its holds.
	#[benchmark]
	fn contract_settle(l: Linear<1, { T::MaxLegs::get() }>) -> Result<(), BenchmarkError> {
		let (contract, legs) = contract_legs::<T>(l, Layout::Free)?;
		#[block]
		{
			Pallet::<T>::contract_settle(&contract, legs)?;
		}
		assert!(ContractHolds::<T>::iter().next().is_none());
		Ok(())
	}

	/// A contract settles `p` investors' deliveries versus payment out of its holds.
	#[benchmark]
	fn contract_settle_dvp(p: Linear<1, { T::MaxLegs::get() / 2 }>) -> Result<(), BenchmarkError> {
		let (contract, legs) = contract_legs::<T>(p, Layout::Dvp)?;
		#[block]
		{
			Pallet::<T>::contract_settle(&contract, legs)?;
		}
		assert!(ContractHolds::<T>::iter().next().is_none());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
