//! Tests of the investors pallet: every call's bad origin, each error, success and events; the
//! registry other pallets use; invariants after every scenario, and a property test that no call
//! moves one investor's assets to another.

use crate::{mock::*, Error, Event, InvestorCount, InvestorRegistry, InvestorStatus, PendingTransfers, Registry};
use frame_support::{assert_noop, assert_ok, traits::tokens::fungibles::Inspect};
use sp_runtime::DispatchError;

fn open(broker: u64, client: u8) -> u64 {
	assert_ok!(Investors::open_investor(RuntimeOrigin::signed(broker), [client; 32]));
	Investors::investor_account(&broker, &[client; 32])
}

fn cny(who: u64) -> u128 {
	Ledger::balance(CNY, &who)
}

fn pool(broker: u64) -> u64 {
	Investors::client_money_account(&broker)
}

#[test]
fn open_investor_derives_an_id_per_broker_and_commitment() {
	run_test(|| {
		assert_noop!(Investors::open_investor(RuntimeOrigin::signed(OUTSIDER), [1; 32]), DispatchError::BadOrigin);
		let a = open(ALICE, 1);
		System::assert_last_event(Event::InvestorOpened { investor: a, broker: ALICE }.into());
		assert_noop!(Investors::open_investor(RuntimeOrigin::signed(ALICE), [1; 32]), Error::<Test>::AlreadyOpen);
		// The same client number at another broker is another account.
		let b = open(BOB, 1);
		assert_ne!(a, b);
		assert_ne!(a, pool(ALICE));
		assert_eq!(Investors::broker_of(&a), Some(ALICE));
		assert_eq!(Investors::broker_of(&ALICE), None);
		assert!(Investors::acts_for(&ALICE, &a) && Investors::acts_for(&ALICE, &ALICE));
		assert!(!Investors::acts_for(&BOB, &a) && !Investors::acts_for(&BOB, &ALICE));
		assert_eq!(InvestorCount::<Test>::get(ALICE), 1);
		assert_eq!(Registry::<Test>::get(a).map(|i| (i.status, i.opened_at)), Some((InvestorStatus::Active, 1)));
	});
}

#[test]
fn the_account_id_is_sm3_of_the_domain_broker_and_commitment() {
	use codec::{Decode, Encode};
	// Pinned: the id a broker's off-chain tooling computes must be the chain's.
	let mut data = b"qingsuan/investor/v1".to_vec();
	data.extend(ALICE.encode());
	data.extend([7u8; 32]);
	let digest = qingsuan_sm_crypto::sm3::sm3(&data);
	let expected = u64::decode(&mut &digest[..8]).unwrap();
	run_test(|| assert_eq!(Investors::investor_account(&ALICE, &[7; 32]), expected));
}

#[test]
fn cash_reaches_an_investor_only_from_its_brokers_client_money_and_goes_back_there() {
	run_test(|| {
		let a = open(ALICE, 1);
		let b = open(BOB, 1);
		let signed = RuntimeOrigin::signed;
		assert_noop!(Investors::fund_client_money(signed(OUTSIDER), CNY, 10), DispatchError::BadOrigin);
		assert_noop!(Investors::fund_client_money(signed(ALICE), CNY, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Investors::fund_client_money(signed(ALICE), MOUTAI, 10), Error::<Test>::NotTradingCash);
		assert_noop!(Investors::fund_client_money(signed(ALICE), 77, 10), Error::<Test>::NotTradingCash);
		assert_noop!(
			Investors::fund_client_money(signed(ALICE), CNY, START_CASH + 1),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Investors::fund_client_money(signed(ALICE), CNY, 1_000));
		System::assert_last_event(Event::ClientMoneyFunded { broker: ALICE, asset: CNY, amount: 1_000 }.into());
		assert_eq!((cny(ALICE), cny(pool(ALICE))), (START_CASH - 1_000, 1_000));

		assert_noop!(Investors::allocate_cash(signed(OUTSIDER), a, CNY, 10), DispatchError::BadOrigin);
		assert_noop!(Investors::allocate_cash(signed(ALICE), 12345, CNY, 10), Error::<Test>::UnknownInvestor);
		assert_noop!(Investors::allocate_cash(signed(ALICE), b, CNY, 10), Error::<Test>::NotYourInvestor);
		assert_noop!(Investors::allocate_cash(signed(ALICE), a, CNY, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Investors::allocate_cash(signed(ALICE), a, USD, 10), Error::<Test>::InsufficientBalance);
		assert_noop!(Investors::allocate_cash(signed(ALICE), a, CNY, 1_001), Error::<Test>::InsufficientBalance);
		assert_ok!(Investors::allocate_cash(signed(ALICE), a, CNY, 600));
		System::assert_last_event(Event::CashAllocated { investor: a, broker: ALICE, asset: CNY, amount: 600 }.into());
		assert_eq!((cny(a), cny(pool(ALICE))), (600, 400));

		assert_noop!(Investors::return_cash(signed(OUTSIDER), a, CNY, 10), DispatchError::BadOrigin);
		assert_noop!(Investors::return_cash(signed(BOB), a, CNY, 10), Error::<Test>::NotYourInvestor);
		assert_noop!(Investors::return_cash(signed(ALICE), a, CNY, 601), Error::<Test>::InsufficientBalance);
		assert_ok!(Investors::return_cash(signed(ALICE), a, CNY, 100));
		System::assert_last_event(Event::CashReturned { investor: a, broker: ALICE, asset: CNY, amount: 100 }.into());
		assert_eq!((cny(a), cny(pool(ALICE)), cny(ALICE)), (500, 500, START_CASH - 1_000));
	});
}

#[test]
fn a_regulator_freezes_an_investor_its_orders_end_and_its_balances_stay() {
	run_test(|| {
		let a = open(ALICE, 1);
		assert_ok!(Investors::fund_client_money(RuntimeOrigin::signed(ALICE), CNY, 100));
		assert_ok!(Investors::allocate_cash(RuntimeOrigin::signed(ALICE), a, CNY, 100));
		Open::set(vec![(a, 3)]);
		assert_noop!(Investors::freeze(RuntimeOrigin::signed(ALICE), a), DispatchError::BadOrigin);
		assert_noop!(Investors::freeze(RuntimeOrigin::signed(CSRC), 12345), Error::<Test>::UnknownInvestor);
		assert_noop!(Investors::unfreeze(RuntimeOrigin::signed(CSRC), a), Error::<Test>::NotFrozen);
		assert_ok!(Investors::freeze(RuntimeOrigin::signed(CSRC), a));
		System::assert_last_event(Event::InvestorFrozen { investor: a, by: CSRC, orders_cancelled: 3 }.into());
		assert!(Investors::is_frozen(&a));
		assert_eq!(CancelledFor::get(), vec![a]);
		assert_eq!(cny(a), 100);
		assert_noop!(Investors::freeze(RuntimeOrigin::signed(CSRC), a), Error::<Test>::InvestorFrozen);
		// Frozen: its cash does not move, it cannot be moved to another broker.
		assert_noop!(Investors::return_cash(RuntimeOrigin::signed(ALICE), a, CNY, 1), Error::<Test>::InvestorFrozen);
		assert_noop!(Investors::allocate_cash(RuntimeOrigin::signed(ALICE), a, CNY, 1), Error::<Test>::InvestorFrozen);
		assert_noop!(Investors::request_transfer(RuntimeOrigin::signed(BOB), a), Error::<Test>::InvestorFrozen);
		assert_noop!(Investors::unfreeze(RuntimeOrigin::signed(BOB), a), DispatchError::BadOrigin);
		assert_ok!(Investors::unfreeze(RuntimeOrigin::signed(CSRC), a));
		System::assert_last_event(Event::InvestorUnfrozen { investor: a, by: CSRC }.into());
		assert!(!Investors::is_frozen(&a));
		assert_ok!(Investors::return_cash(RuntimeOrigin::signed(ALICE), a, CNY, 100));
	});
}

#[test]
fn an_investor_moves_to_another_broker_with_no_orders_and_no_cash() {
	run_test(|| {
		let a = open(ALICE, 1);
		let signed = RuntimeOrigin::signed;
		assert_noop!(Investors::request_transfer(signed(OUTSIDER), a), DispatchError::BadOrigin);
		assert_noop!(Investors::request_transfer(signed(BOB), 12345), Error::<Test>::UnknownInvestor);
		assert_noop!(Investors::request_transfer(signed(ALICE), a), Error::<Test>::SameBroker);
		assert_noop!(
			Investors::approve_transfer(signed(ALICE), a).map_err(|e| e.error),
			Error::<Test>::NoTransferPending
		);
		assert_noop!(Investors::cancel_transfer(signed(ALICE), a), Error::<Test>::NoTransferPending);
		assert_ok!(Investors::request_transfer(signed(BOB), a));
		System::assert_last_event(Event::TransferRequested { investor: a, from: ALICE, to: BOB }.into());
		assert_noop!(Investors::request_transfer(signed(CAROL), a), Error::<Test>::TransferPending);
		// Only its broker approves; only its broker or the asking one withdraws.
		assert_noop!(Investors::approve_transfer(signed(BOB), a).map_err(|e| e.error), Error::<Test>::NotYourInvestor);
		assert_noop!(Investors::cancel_transfer(signed(CAROL), a), Error::<Test>::NotYourInvestor);
		// Open orders and cash keep it where it is.
		Open::set(vec![(a, 1)]);
		assert_noop!(Investors::approve_transfer(signed(ALICE), a).map_err(|e| e.error), Error::<Test>::HasOpenOrders);
		Open::set(vec![]);
		assert_ok!(Investors::fund_client_money(signed(ALICE), CNY, 5));
		assert_ok!(Investors::allocate_cash(signed(ALICE), a, CNY, 5));
		assert_noop!(Investors::approve_transfer(signed(ALICE), a).map_err(|e| e.error), Error::<Test>::HoldsCash);
		assert_ok!(Investors::return_cash(signed(ALICE), a, CNY, 5));
		// A broker that lost its role cannot take it.
		RevokedRoles::set(vec![(BOB, qingsuan_primitives::Role::MemberBroker)]);
		assert_noop!(Investors::approve_transfer(signed(ALICE), a).map_err(|e| e.error), Error::<Test>::NotABroker);
		RevokedRoles::set(vec![]);
		let info = Investors::approve_transfer(signed(ALICE), a).unwrap();
		assert!(info.actual_weight.is_some());
		System::assert_last_event(Event::InvestorTransferred { investor: a, from: ALICE, to: BOB }.into());
		assert_eq!(Investors::broker_of(&a), Some(BOB));
		assert_eq!((InvestorCount::<Test>::get(ALICE), InvestorCount::<Test>::get(BOB)), (0, 1));
		assert!(!InvestorCount::<Test>::contains_key(ALICE));
		assert!(!PendingTransfers::<Test>::contains_key(a));
		// Back again, withdrawn by the asking broker this time.
		assert_ok!(Investors::request_transfer(signed(ALICE), a));
		assert_ok!(Investors::cancel_transfer(signed(ALICE), a));
		System::assert_last_event(Event::TransferCancelled { investor: a, to: ALICE, by: ALICE }.into());
		assert_eq!(Investors::broker_of(&a), Some(BOB));
	});
}

#[test]
fn the_consortium_moves_the_investors_of_a_revoked_broker_with_their_cash() {
	run_test(|| {
		let a = open(ALICE, 1);
		let signed = RuntimeOrigin::signed;
		let force = |to| Investors::force_transfer(signed(CONSORTIUM), a, to);
		assert_ok!(Investors::fund_client_money(signed(ALICE), CNY, 500));
		assert_ok!(Investors::allocate_cash(signed(ALICE), a, CNY, 500));
		assert_ok!(Investors::request_transfer(signed(CAROL), a));
		// Only the consortium, only for a known investor whose broker is no longer a member.
		assert_noop!(Investors::force_transfer(signed(ALICE), a, BOB), DispatchError::BadOrigin);
		assert_noop!(Investors::force_transfer(signed(CONSORTIUM), 12345, BOB), Error::<Test>::UnknownInvestor);
		assert_noop!(force(BOB), Error::<Test>::BrokerStillMember);
		RevokedRoles::set(vec![(ALICE, qingsuan_primitives::Role::MemberBroker)]);
		assert_noop!(force(ALICE), Error::<Test>::SameBroker);
		assert_noop!(force(OUTSIDER), Error::<Test>::NotABroker);
		// A frozen investor moves too, and stays frozen.
		assert_ok!(Investors::freeze(signed(CSRC), a));

		// More open orders than one call cancels: the first call cancels what it may.
		Open::set(vec![(a, 5)]);
		CancelBound::set(3);
		assert_ok!(force(BOB));
		System::assert_last_event(Event::ForcedTransferPending { investor: a, orders_cancelled: 3 }.into());
		assert_eq!(Investors::broker_of(&a), Some(ALICE));
		assert_ok!(force(BOB));
		System::assert_last_event(
			Event::TransferForced { investor: a, from: ALICE, to: BOB, cash: vec![(CNY, 500)] }.into(),
		);
		assert_eq!(Investors::broker_of(&a), Some(BOB));
		assert!(Investors::is_frozen(&a));
		assert_eq!(cny(a), 500, "client money follows the client");
		assert_eq!((InvestorCount::<Test>::get(ALICE), InvestorCount::<Test>::get(BOB)), (0, 1));
		assert!(!PendingTransfers::<Test>::contains_key(a), "Carol's request is dropped");
		// Its new broker acts for it now.
		assert_ok!(Investors::unfreeze(signed(CSRC), a));
		assert_ok!(Investors::return_cash(signed(BOB), a, CNY, 500));
		assert_eq!(cny(pool(BOB)), 500);
		RevokedRoles::set(vec![]);
	});
}

#[test]
fn try_state_catches_a_wrong_count_and_a_stray_transfer() {
	run_test(|| {
		let a = open(ALICE, 1);
		InvestorCount::<Test>::insert(ALICE, 2);
		assert!(Investors::do_try_state().is_err());
		InvestorCount::<Test>::insert(ALICE, 1);
		PendingTransfers::<Test>::insert(a, ALICE);
		assert!(Investors::do_try_state().is_err());
		PendingTransfers::<Test>::remove(a);
		PendingTransfers::<Test>::insert(4242, BOB);
		assert!(Investors::do_try_state().is_err());
		PendingTransfers::<Test>::remove(4242);
	});
}

mod segregation {
	use super::*;
	use proptest::prelude::*;
	use std::collections::BTreeMap;

	#[derive(Clone, Debug)]
	enum Op {
		Open(u64, u8),
		Fund(u64, u128),
		Allocate(u64, usize, u128),
		Return(u64, usize, u128),
		Freeze(usize),
		Unfreeze(usize),
		Request(u64, usize),
		Approve(u64, usize),
		Cancel(u64, usize),
	}

	fn broker() -> impl Strategy<Value = u64> {
		prop_oneof![Just(ALICE), Just(BOB), Just(CAROL), Just(OUTSIDER)]
	}

	fn op() -> impl Strategy<Value = Op> {
		let amount = 0u128..2_000;
		prop_oneof![
			(broker(), 0u8..4).prop_map(|(b, c)| Op::Open(b, c)),
			(broker(), amount.clone()).prop_map(|(b, a)| Op::Fund(b, a)),
			(broker(), 0usize..8, amount.clone()).prop_map(|(b, i, a)| Op::Allocate(b, i, a)),
			(broker(), 0usize..8, amount).prop_map(|(b, i, a)| Op::Return(b, i, a)),
			(0usize..8).prop_map(Op::Freeze),
			(0usize..8).prop_map(Op::Unfreeze),
			(broker(), 0usize..8).prop_map(|(b, i)| Op::Request(b, i)),
			(broker(), 0usize..8).prop_map(|(b, i)| Op::Approve(b, i)),
			(broker(), 0usize..8).prop_map(|(b, i)| Op::Cancel(b, i)),
		]
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(64))]
		/// Whatever brokers try, an investor's cash changes only by its own broker's allocation
		/// or return, every other investor's stays, nothing is created or lost, and every
		/// invariant holds after every step.
		#[test]
		fn no_call_moves_one_investors_assets_to_another(ops in proptest::collection::vec(op(), 1..60)) {
			new_test_ext().execute_with(|| {
				let signed = RuntimeOrigin::signed;
				let total = || Ledger::total_issuance(CNY);
				let start = total();
				let mut investors: Vec<u64> = Vec::new();
				let mut model: BTreeMap<u64, u128> = BTreeMap::new();
				let pick = |v: &Vec<u64>, i: usize| if v.is_empty() { 4242 } else { v[i % v.len()] };
				for op in ops {
					let before: BTreeMap<u64, u128> = investors.iter().map(|i| (*i, cny(*i))).collect();
					let mut changed: Option<(u64, i128)> = None;
					match op {
						Op::Open(b, c) => {
							if Investors::open_investor(signed(b), [c; 32]).is_ok() {
								let id = Investors::investor_account(&b, &[c; 32]);
								investors.push(id);
								model.insert(id, 0);
							}
						},
						Op::Fund(b, a) => { let _ = Investors::fund_client_money(signed(b), CNY, a); },
						Op::Allocate(b, i, a) => {
							let inv = pick(&investors, i);
							let mine = Investors::broker_of(&inv) == Some(b);
							if Investors::allocate_cash(signed(b), inv, CNY, a).is_ok() {
								prop_assert!(mine, "a broker allocated to another's investor");
								changed = Some((inv, a as i128));
							}
						},
						Op::Return(b, i, a) => {
							let inv = pick(&investors, i);
							let mine = Investors::broker_of(&inv) == Some(b);
							if Investors::return_cash(signed(b), inv, CNY, a).is_ok() {
								prop_assert!(mine, "a broker took back another's investor's cash");
								changed = Some((inv, -(a as i128)));
							}
						},
						Op::Freeze(i) => { let _ = Investors::freeze(signed(CSRC), pick(&investors, i)); },
						Op::Unfreeze(i) => { let _ = Investors::unfreeze(signed(CSRC), pick(&investors, i)); },
						Op::Request(b, i) => { let _ = Investors::request_transfer(signed(b), pick(&investors, i)); },
						Op::Approve(b, i) => { let _ = Investors::approve_transfer(signed(b), pick(&investors, i)); },
						Op::Cancel(b, i) => { let _ = Investors::cancel_transfer(signed(b), pick(&investors, i)); },
					}
					if let Some((inv, delta)) = changed {
						let m = model.entry(inv).or_default();
						*m = (*m as i128 + delta) as u128;
					}
					for inv in &investors {
						prop_assert_eq!(cny(*inv), model[inv], "an investor's cash moved without its broker's call");
						if changed.map(|(c, _)| c) != Some(*inv) {
							prop_assert_eq!(Some(&cny(*inv)), before.get(inv).or(Some(&0)));
						}
					}
					prop_assert_eq!(total(), start);
					check_invariants();
				}
				Ok(())
			})?;
		}
	}
}

#[test]
fn the_depository_issues_securities_to_an_investor_of_a_member() {
	run_test(|| {
		let a = Investors::do_open_investor(&ALICE, &[3; 32]).expect("opens");
		assert_ok!(Ledger::issue(RuntimeOrigin::signed(CONSORTIUM), MOUTAI, a, 500));
		assert_eq!(Ledger::balance(MOUTAI, &a), 500);
		// Not to an account that is neither a member nor an investor of one.
		assert_noop!(
			Ledger::issue(RuntimeOrigin::signed(CONSORTIUM), MOUTAI, OUTSIDER, 500),
			pallet_ledger::Error::<Test>::NotAMember
		);
		RevokedRoles::mutate(|r| r.push((ALICE, qingsuan_primitives::Role::MemberBroker)));
		assert_noop!(
			Ledger::issue(RuntimeOrigin::signed(CONSORTIUM), MOUTAI, a, 500),
			pallet_ledger::Error::<Test>::NotAMember
		);
	});
}

mod credit {
	use super::*;
	use crate::{CreditAccountOf, CreditAccounts};

	fn open_credit(owner: u64) -> u64 {
		<Investors as CreditAccounts<u64>>::open_credit(&owner).expect("an ordinary active investor")
	}

	#[test]
	fn a_credit_account_is_an_investor_account_of_the_same_broker_derived_from_its_owner() {
		run_test(|| {
			let a = open(ALICE, 1);
			let c = open_credit(a);
			System::assert_last_event(Event::CreditAccountOpened { credit: c, owner: a, broker: ALICE }.into());
			assert_eq!(c, Investors::credit_account(&a));
			assert_eq!(CreditAccountOf::<Test>::get(a), Some(c));
			assert_eq!(Investors::standing(&c).map(|s| (s.broker, s.credit_of)), Some((ALICE, Some(a))));
			assert_eq!(Investors::standing(&a).and_then(|s| s.credit_of), None);
			assert_eq!(InvestorCount::<Test>::get(ALICE), 2);
			// One per owner; none for a credit account, a stranger or a frozen owner.
			let again = <Investors as CreditAccounts<u64>>::open_credit(&a);
			assert_eq!(again, Err(Error::<Test>::HasCreditAccount.into()));
			let of_credit = <Investors as CreditAccounts<u64>>::open_credit(&c);
			assert_eq!(of_credit, Err(Error::<Test>::CreditAccount.into()));
			let stranger = <Investors as CreditAccounts<u64>>::open_credit(&OUTSIDER);
			assert_eq!(stranger, Err(Error::<Test>::UnknownInvestor.into()));
			let b = open(ALICE, 2);
			assert_ok!(Investors::freeze(RuntimeOrigin::signed(CSRC), b));
			let frozen = <Investors as CreditAccounts<u64>>::open_credit(&b);
			assert_eq!(frozen, Err(Error::<Test>::InvestorFrozen.into()));
			assert_ok!(<Investors as CreditAccounts<u64>>::close_credit(&c));
			System::assert_last_event(Event::CreditAccountClosed { credit: c, owner: a }.into());
			assert_eq!(Investors::standing(&c), None);
			assert_eq!(CreditAccountOf::<Test>::get(a), None);
			assert_eq!(InvestorCount::<Test>::get(ALICE), 2);
			let closed = <Investors as CreditAccounts<u64>>::close_credit(&c);
			assert_eq!(closed, Err(Error::<Test>::UnknownInvestor.into()));
			let ordinary = <Investors as CreditAccounts<u64>>::close_credit(&a);
			assert_eq!(ordinary, Err(Error::<Test>::UnknownInvestor.into()));
		});
	}

	#[test]
	fn a_credit_account_takes_no_client_money_and_no_transfer() {
		run_test(|| {
			let a = open(ALICE, 1);
			let c = open_credit(a);
			let signed = RuntimeOrigin::signed;
			assert_ok!(Investors::fund_client_money(signed(ALICE), CNY, 1_000));
			assert_noop!(Investors::allocate_cash(signed(ALICE), c, CNY, 10), Error::<Test>::CreditAccount);
			assert_noop!(Investors::return_cash(signed(ALICE), c, CNY, 10), Error::<Test>::CreditAccount);
			assert_noop!(Investors::request_transfer(signed(BOB), c), Error::<Test>::CreditAccount);
			assert_noop!(Investors::request_transfer(signed(BOB), a), Error::<Test>::CreditAccount);
			// The revoked broker's investor with a credit account stays until the book is wound down.
			RevokedRoles::set(vec![(ALICE, qingsuan_primitives::Role::MemberBroker)]);
			assert_noop!(
				Investors::force_transfer(RuntimeOrigin::signed(CONSORTIUM), a, BOB),
				Error::<Test>::CreditAccount
			);
			assert_noop!(
				Investors::force_transfer(RuntimeOrigin::signed(CONSORTIUM), c, BOB),
				Error::<Test>::CreditAccount
			);
			// An owner with a transfer asked for gets no credit account.
			let d = open(CAROL, 1);
			assert_ok!(Investors::request_transfer(signed(BOB), d));
			let pending = <Investors as CreditAccounts<u64>>::open_credit(&d);
			assert_eq!(pending, Err(Error::<Test>::TransferPending.into()));
		});
	}

	#[test]
	fn freezing_the_owner_freezes_its_credit_account_and_both_thaw_together() {
		run_test(|| {
			let a = open(ALICE, 1);
			let c = open_credit(a);
			let csrc = RuntimeOrigin::signed(CSRC);
			assert_ok!(Investors::freeze(csrc.clone(), a));
			assert!(Investors::is_frozen(&a) && Investors::is_frozen(&c));
			System::assert_has_event(Event::InvestorFrozen { investor: c, by: CSRC, orders_cancelled: 0 }.into());
			// The credit account stays frozen while its owner is.
			assert_noop!(Investors::unfreeze(csrc.clone(), c), Error::<Test>::InvestorFrozen);
			assert_ok!(Investors::unfreeze(csrc.clone(), a));
			assert!(!Investors::is_frozen(&a) && !Investors::is_frozen(&c));
			// The credit account alone may be frozen, and a freeze of its own outlasts its
			// owner's.
			assert_ok!(Investors::freeze(csrc.clone(), c));
			assert!(!Investors::is_frozen(&a) && Investors::is_frozen(&c));
			assert_ok!(Investors::freeze(csrc.clone(), a));
			assert_ok!(Investors::unfreeze(csrc.clone(), a));
			assert!(!Investors::is_frozen(&a) && Investors::is_frozen(&c));
			assert_ok!(Investors::unfreeze(csrc, c));
			assert!(!Investors::is_frozen(&c));
		});
	}

	#[test]
	fn try_state_catches_a_stray_credit_link() {
		run_test(|| {
			let a = open(ALICE, 1);
			let c = open_credit(a);
			CreditAccountOf::<Test>::insert(a, 12345u64);
			assert!(Investors::check_credit_accounts().is_err());
			CreditAccountOf::<Test>::insert(a, c);
			Registry::<Test>::mutate(a, |i| i.as_mut().unwrap().status = InvestorStatus::Frozen);
			assert!(Investors::check_credit_accounts().is_err());
			Registry::<Test>::mutate(a, |i| i.as_mut().unwrap().status = InvestorStatus::Active);
		});
	}

	#[test]
	fn the_v1_migration_makes_every_old_entry_an_ordinary_account() {
		use codec::Encode;
		use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
		run_test(|| {
			let a = open(ALICE, 1);
			// Store `a`'s entry as v0 did: broker, status, opened at.
			let key = Registry::<Test>::hashed_key_for(a);
			frame_support::storage::unhashed::put_raw(&key, &(ALICE, InvestorStatus::Active, 1u64).encode());
			StorageVersion::new(0).put::<Investors>();
			crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
			assert_eq!(Investors::on_chain_storage_version(), 1);
			let info = Registry::<Test>::get(a).expect("migrated");
			assert_eq!(
				(info.broker, info.status, info.opened_at, info.credit_of),
				(ALICE, InvestorStatus::Active, 1, None)
			);
		});
	}
}
