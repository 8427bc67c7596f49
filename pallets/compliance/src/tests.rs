//! Tests of the compliance pallet: every call's origins, errors and events; claim signatures;
//! the rule table; a property test against a model.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::ConstU32, BoundedVec};
use qingsuan_matching_engine::Side;
use qingsuan_primitives::market::OrderIntent;
use sp_runtime::DispatchError;

fn consortium() -> RuntimeOrigin {
	RuntimeOrigin::signed(CONSORTIUM)
}

fn list(attestors: &[u64]) -> TrustList<u64, ConstU32<4>> {
	BoundedVec::truncate_from(attestors.to_vec())
}

fn conditions(c: &[Condition]) -> Conditions {
	BoundedVec::truncate_from(c.to_vec())
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

/// Submit `claim` signed by its attestor.
fn add(claim: Claim<u64>) {
	let sig = sign(&claim);
	assert_ok!(Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), claim, sig));
}

/// Give `who` what the default rules ask to buy a main-board R3 product: KYC, AML passed, C3.
fn onboard(who: u64) {
	add(claim(AGENCY, who, Statement::Kyc, 1));
	add(claim(AGENCY, who, Statement::Aml(AmlResult::Passed), 1));
	add(claim(AGENCY, who, Statement::Risk(RiskCategory::C3), 1));
}

fn buy(who: u64, asset: AssetId) -> Result<(), DispatchError> {
	Compliance::may_change(&who, asset, Direction::Increase)
}

fn sell(who: u64, asset: AssetId) -> Result<(), DispatchError> {
	Compliance::may_change(&who, asset, Direction::Decrease)
}

fn refused(e: Error<Test>) -> Result<(), DispatchError> {
	Err(e.into())
}

mod attestor_keys {
	use super::*;

	#[test]
	fn an_attestor_registers_its_key_and_anyone_else_is_refused() {
		run_test(|| {
			let key = secret_of(KEYLESS).public();
			assert_noop!(Compliance::set_attestor_key(RuntimeOrigin::signed(OUTSIDER), key), DispatchError::BadOrigin);
			assert_ok!(Compliance::set_attestor_key(RuntimeOrigin::signed(KEYLESS), key));
			assert_eq!(AttestorKeys::<Test>::get(KEYLESS), Some(key));
			assert_eq!(last_event(), Event::AttestorKeySet { attestor: KEYLESS, key }.into());
		});
	}

	#[test]
	fn a_key_that_is_not_a_canonical_point_is_refused() {
		run_test(|| {
			let mut off_curve = [0u8; 33];
			off_curve[0] = 0x02;
			off_curve[32] = 5;
			for bad in [sm2::Public([0; 33]), sm2::Public([0xff; 33]), sm2::Public(off_curve)] {
				assert_noop!(
					Compliance::set_attestor_key(RuntimeOrigin::signed(KEYLESS), bad),
					Error::<Test>::InvalidKey
				);
			}
		});
	}
}

mod trust_and_products {
	use super::*;

	#[test]
	fn only_the_consortium_sets_trust_and_only_for_registered_attestors_named_once() {
		run_test(|| {
			assert_noop!(
				Compliance::set_trust(RuntimeOrigin::signed(AGENCY), ClaimKind::Kyc, list(&[AGENCY])),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Compliance::set_trust(consortium(), ClaimKind::Kyc, list(&[AGENCY, KEYLESS])),
				Error::<Test>::NoAttestorKey
			);
			assert_noop!(
				Compliance::set_trust(consortium(), ClaimKind::Kyc, list(&[AGENCY, AGENCY])),
				Error::<Test>::DuplicateAttestor
			);
			assert_ok!(Compliance::set_trust(consortium(), ClaimKind::Kyc, list(&[DESK, AGENCY])));
			assert_eq!(trusted_in(&Trust::<Test>::get(), ClaimKind::Kyc), Some(&[DESK, AGENCY][..]));
			assert_eq!(last_event(), Event::TrustSet { kind: ClaimKind::Kyc, attestors: vec![DESK, AGENCY] }.into());
			assert_ok!(Compliance::set_trust(consortium(), ClaimKind::Kyc, list(&[])));
			assert_eq!(trusted_in(&Trust::<Test>::get(), ClaimKind::Kyc), None);
		});
	}

	#[test]
	fn a_product_is_a_classified_security_with_default_rules_and_keeps_its_trust_overrides() {
		run_test(|| {
			assert_noop!(
				Compliance::set_product(RuntimeOrigin::signed(BROKER), NEW_CO, RiskLevel::R2, Board::Main),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Compliance::set_product(consortium(), CNY, RiskLevel::R2, Board::Main),
				Error::<Test>::NotASecurity
			);
			assert_noop!(
				Compliance::set_product(consortium(), 4242, RiskLevel::R2, Board::Main),
				Error::<Test>::NotASecurity
			);
			assert_ok!(Compliance::set_product_trust(consortium(), MOUTAI, ClaimKind::Kyc, list(&[DESK])));
			assert_ok!(Compliance::set_product(consortium(), MOUTAI, RiskLevel::R2, Board::ChiNext));
			assert_eq!(
				last_event(),
				Event::ProductSet { asset: MOUTAI, level: RiskLevel::R2, board: Board::ChiNext }.into()
			);
			let p = Products::<Test>::get(MOUTAI).expect("classified");
			assert_eq!(p.level, RiskLevel::R2);
			assert!(p.increase.contains(&Condition::Has(ClaimKind::Board(Board::ChiNext))));
			assert_eq!(trusted_in(&p.trust, ClaimKind::Kyc), Some(&[DESK][..]));
		});
	}

	#[test]
	fn rules_and_product_trust_need_a_classified_product() {
		run_test(|| {
			let rules = conditions(&[Condition::NotFrozen]);
			assert_noop!(
				Compliance::set_rules(RuntimeOrigin::signed(BROKER), MOUTAI, rules.clone(), rules.clone()),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Compliance::set_rules(consortium(), NEW_CO, rules.clone(), rules.clone()),
				Error::<Test>::UnknownProduct
			);
			assert_noop!(
				Compliance::set_product_trust(consortium(), NEW_CO, ClaimKind::Kyc, list(&[AGENCY])),
				Error::<Test>::UnknownProduct
			);
			assert_noop!(
				Compliance::set_product_trust(consortium(), MOUTAI, ClaimKind::Kyc, list(&[KEYLESS])),
				Error::<Test>::NoAttestorKey
			);
			assert_ok!(Compliance::set_rules(consortium(), MOUTAI, rules.clone(), conditions(&[])));
			assert_eq!(
				last_event(),
				Event::RulesSet { asset: MOUTAI, increase: vec![Condition::NotFrozen], decrease: vec![] }.into()
			);
			assert_ok!(Compliance::set_product_trust(consortium(), MOUTAI, ClaimKind::Risk, list(&[DESK])));
			assert_eq!(
				last_event(),
				Event::ProductTrustSet { asset: MOUTAI, kind: ClaimKind::Risk, attestors: vec![DESK] }.into()
			);
			assert_ok!(Compliance::set_product_trust(consortium(), MOUTAI, ClaimKind::Risk, list(&[])));
			assert!(Products::<Test>::get(MOUTAI).expect("classified").trust.is_empty());
		});
	}
}

mod claims {
	use super::*;

	#[test]
	fn a_signed_claim_is_recorded_by_anyone_with_its_nonce() {
		run_test(|| {
			let c = claim(AGENCY, INVESTOR, Statement::Kyc, 7);
			let sig = sign(&c);
			assert_noop!(Compliance::submit_claim(RuntimeOrigin::none(), c.clone(), sig), DispatchError::BadOrigin);
			assert_ok!(Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), c.clone(), sig));
			assert_eq!(
				last_event(),
				Event::ClaimAdded {
					subject: INVESTOR,
					statement: Statement::Kyc,
					attestor: AGENCY,
					expires_at: c.expires_at,
					nonce: 7
				}
				.into()
			);
			assert_eq!(
				Profiles::<Test>::get(INVESTOR).expect("a profile").into_inner(),
				vec![HeldClaim { statement: Statement::Kyc, attestor: AGENCY, expires_at: c.expires_at }]
			);
			assert_eq!(Nonces::<Test>::get(AGENCY, (INVESTOR, ClaimKind::Kyc)), 7);
		});
	}

	#[test]
	fn a_claim_signed_by_another_key_or_for_another_chain_or_altered_is_refused() {
		run_test(|| {
			let c = claim(AGENCY, INVESTOR, Statement::Risk(RiskCategory::C3), 1);
			// The desk's key, claiming to be the agency.
			let wrong_key = secret_of(DESK).sign(&c.payload(&Compliance::genesis())).expect("sign");
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), c.clone(), wrong_key),
				Error::<Test>::BadSignature
			);
			// Signed for another chain.
			let other_chain = secret_of(AGENCY).sign(&c.payload(&[1; 32])).expect("sign");
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), c.clone(), other_chain),
				Error::<Test>::BadSignature
			);
			// Any field changed after signing.
			let sig = sign(&c);
			let altered = [
				Claim { statement: Statement::Risk(RiskCategory::C5), ..c.clone() },
				Claim { subject: INVESTOR2, ..c.clone() },
				Claim { expires_at: c.expires_at + 1, ..c.clone() },
				Claim { issued_at: c.issued_at - 1, ..c.clone() },
				Claim { nonce: 2, ..c.clone() },
			];
			for a in altered {
				assert_noop!(
					Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), a, sig),
					Error::<Test>::BadSignature
				);
			}
			// A signature of the wrong payload domain (the bare fields).
			let bare = secret_of(AGENCY).sign(&codec::Encode::encode(&c)).expect("sign");
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), c.clone(), bare),
				Error::<Test>::BadSignature
			);
		});
	}

	#[test]
	fn a_claim_outside_its_period_or_with_an_empty_period_is_refused() {
		run_test(|| {
			let c = claim(AGENCY, INVESTOR, Statement::Kyc, 1);
			Now::set(c.expires_at);
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), c.clone(), sign(&c)),
				Error::<Test>::Expired
			);
			Now::set(T0 - 1);
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), c.clone(), sign(&c)),
				Error::<Test>::NotYetValid
			);
			Now::set(T0);
			let empty = Claim { expires_at: T0, ..c };
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), empty.clone(), sign(&empty)),
				Error::<Test>::InvalidPeriod
			);
		});
	}

	#[test]
	fn a_replayed_or_older_nonce_is_refused_even_after_revocation() {
		run_test(|| {
			let first = claim(AGENCY, INVESTOR, Statement::Risk(RiskCategory::C5), 5);
			add(first.clone());
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), first.clone(), sign(&first)),
				Error::<Test>::StaleNonce
			);
			let older = claim(AGENCY, INVESTOR, Statement::Risk(RiskCategory::C4), 4);
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), older.clone(), sign(&older)),
				Error::<Test>::StaleNonce
			);
			let zero = claim(AGENCY, INVESTOR2, Statement::Kyc, 0);
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), zero.clone(), sign(&zero)),
				Error::<Test>::StaleNonce
			);
			assert_ok!(Compliance::revoke_claim(RuntimeOrigin::signed(AGENCY), INVESTOR, ClaimKind::Risk));
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), first.clone(), sign(&first)),
				Error::<Test>::StaleNonce
			);
			// Nonces are per subject and kind: the same number elsewhere is fresh.
			add(claim(AGENCY, INVESTOR, Statement::Kyc, 5));
			add(claim(AGENCY, INVESTOR2, Statement::Risk(RiskCategory::C1), 5));
		});
	}

	#[test]
	fn a_claim_needs_a_registered_attestor_that_still_holds_the_role() {
		run_test(|| {
			let keyless = claim(KEYLESS, INVESTOR, Statement::Kyc, 1);
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), keyless.clone(), sign(&keyless)),
				Error::<Test>::NoAttestorKey
			);
			RevokedRoles::mutate(|r| r.push((AGENCY, qingsuan_primitives::Role::Attestor)));
			let c = claim(AGENCY, INVESTOR, Statement::Kyc, 1);
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), c.clone(), sign(&c)),
				Error::<Test>::NotAnAttestor
			);
		});
	}

	#[test]
	fn a_new_claim_replaces_the_attestors_claim_of_its_kind_and_prunes_expired_ones() {
		run_test(|| {
			assert_ok!(Compliance::set_trust(consortium(), ClaimKind::Risk, list(&[AGENCY, DESK])));
			add(claim(AGENCY, INVESTOR, Statement::Risk(RiskCategory::C2), 1));
			add(claim(AGENCY, INVESTOR, Statement::Risk(RiskCategory::C4), 2));
			add(claim(DESK, INVESTOR, Statement::Risk(RiskCategory::C1), 1));
			let held: Vec<_> = Profiles::<Test>::get(INVESTOR).expect("profile").iter().map(|c| c.statement).collect();
			assert_eq!(held, vec![Statement::Risk(RiskCategory::C4), Statement::Risk(RiskCategory::C1)]);

			let short = Claim { expires_at: T0 + DAY, ..claim(AGENCY, INVESTOR, Statement::Kyc, 1) };
			add(short);
			Now::set(T0 + DAY);
			add(claim(AGENCY, INVESTOR, Statement::Professional, 1));
			let kinds: Vec<_> =
				Profiles::<Test>::get(INVESTOR).expect("profile").iter().map(|c| c.statement.kind()).collect();
			assert!(!kinds.contains(&ClaimKind::Kyc), "the expired KYC claim was pruned: {kinds:?}");
		});
	}

	#[test]
	fn an_attestor_submits_only_kinds_it_is_trusted_for_somewhere() {
		run_test(|| {
			let kyc = claim(DESK, INVESTOR, Statement::Kyc, 1);
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), kyc.clone(), sign(&kyc)),
				Error::<Test>::NotTrustedForKind
			);
			// Trusted for KYC on one product is enough to submit.
			assert_ok!(Compliance::set_product_trust(consortium(), MOUTAI, ClaimKind::Kyc, list(&[DESK])));
			assert_eq!(TrustRefs::<Test>::get(DESK, ClaimKind::Kyc), 1);
			add(kyc);
			// Removed from that list, it may no longer.
			assert_ok!(Compliance::set_product_trust(consortium(), MOUTAI, ClaimKind::Kyc, list(&[])));
			assert_eq!(TrustRefs::<Test>::get(DESK, ClaimKind::Kyc), 0);
			let again = claim(DESK, INVESTOR, Statement::Kyc, 2);
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), again.clone(), sign(&again)),
				Error::<Test>::NotTrustedForKind
			);
		});
	}

	#[test]
	fn a_claim_valid_for_longer_than_the_lifetime_is_refused() {
		run_test(|| {
			let long = Claim { expires_at: T0 + 3 * 365 * DAY + 1, ..claim(AGENCY, INVESTOR, Statement::Kyc, 1) };
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), long.clone(), sign(&long)),
				Error::<Test>::PeriodTooLong
			);
			add(Claim { expires_at: T0 + 3 * 365 * DAY, ..long });
		});
	}

	#[test]
	fn another_attestor_registering_the_same_key_cannot_submit_its_claims() {
		run_test(|| {
			assert_ok!(Compliance::set_attestor_key(RuntimeOrigin::signed(KEYLESS), secret_of(AGENCY).public()));
			assert_ok!(Compliance::set_trust(consortium(), ClaimKind::Kyc, list(&[AGENCY, KEYLESS])));
			let theirs = claim(AGENCY, INVESTOR, Statement::Kyc, 1);
			let sig = sign(&theirs);
			let stolen = Claim { attestor: KEYLESS, ..theirs };
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), stolen, sig),
				Error::<Test>::BadSignature
			);
		});
	}

	#[test]
	fn a_full_profile_refuses_one_more_claim() {
		run_test(|| {
			let statements = [
				Statement::Kyc,
				Statement::Aml(AmlResult::Passed),
				Statement::Risk(RiskCategory::C3),
				Statement::Professional,
				Statement::Board(Board::Star),
				Statement::Margin,
			];
			for s in statements {
				add(claim(AGENCY, INVESTOR, s, 1));
			}
			let one_more = claim(AGENCY, INVESTOR, Statement::Board(Board::Bse), 1);
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), one_more.clone(), sign(&one_more)),
				Error::<Test>::TooManyClaims
			);
			// Replacing a claim of a kind it holds still fits.
			add(claim(AGENCY, INVESTOR, Statement::Risk(RiskCategory::C4), 2));
		});
	}

	#[test]
	fn an_attestor_revokes_only_its_own_claims() {
		run_test(|| {
			add(claim(AGENCY, INVESTOR, Statement::Kyc, 1));
			assert_noop!(
				Compliance::revoke_claim(RuntimeOrigin::signed(BROKER), INVESTOR, ClaimKind::Kyc),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Compliance::revoke_claim(RuntimeOrigin::signed(DESK), INVESTOR, ClaimKind::Kyc),
				Error::<Test>::NoSuchClaim
			);
			assert_noop!(
				Compliance::revoke_claim(RuntimeOrigin::signed(AGENCY), INVESTOR, ClaimKind::Aml),
				Error::<Test>::NoSuchClaim
			);
			assert_noop!(
				Compliance::revoke_claim(RuntimeOrigin::signed(AGENCY), INVESTOR2, ClaimKind::Kyc),
				Error::<Test>::NoSuchClaim
			);
			assert_ok!(Compliance::revoke_claim(RuntimeOrigin::signed(AGENCY), INVESTOR, ClaimKind::Kyc));
			assert_eq!(
				last_event(),
				Event::ClaimRevoked { subject: INVESTOR, kind: ClaimKind::Kyc, attestor: AGENCY }.into()
			);
			assert!(!Profiles::<Test>::contains_key(INVESTOR), "an empty profile is removed");
		});
	}

	#[test]
	fn a_claim_signed_by_the_independent_sm_crypto_crate_verifies_on_chain() {
		run_test(|| {
			let (sk, pk) = sm_crypto::sm2::gen_keypair();
			let mut sec1 = vec![0x04];
			sec1.extend(hex::decode(&pk).expect("hex"));
			let public = sm2::Public::from_sec1(&sec1).expect("their key is a point");
			assert_ok!(Compliance::set_attestor_key(RuntimeOrigin::signed(KEYLESS), public));
			assert_ok!(Compliance::set_trust(consortium(), ClaimKind::Kyc, list(&[AGENCY, KEYLESS])));
			let c = claim(KEYLESS, INVESTOR, Statement::Kyc, 1);
			let (r, s) = sm_crypto::sm2::Sign::new(&sk).sign(&c.payload(&Compliance::genesis()), true);
			let mut rs = [0u8; 64];
			let (rb, sb) = (r.to_bytes_be(), s.to_bytes_be());
			rs[32 - rb.len()..32].copy_from_slice(&rb);
			rs[64 - sb.len()..].copy_from_slice(&sb);
			assert_ok!(Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), c.clone(), sm2::Signature(rs)));
			rs[63] ^= 1;
			let next = Claim { nonce: 2, ..c };
			assert_noop!(
				Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), next, sm2::Signature(rs)),
				Error::<Test>::BadSignature
			);
		});
	}

	/// The claim payload's layout is consensus: attestors' tools build it byte for byte.
	#[test]
	fn the_claim_payload_is_pinned() {
		let c = Claim {
			attestor: 70u64,
			subject: 1_001u64,
			statement: Statement::Risk(RiskCategory::C4),
			issued_at: 1,
			expires_at: 2,
			nonce: 3,
		};
		assert_eq!(
			hex::encode(c.payload(&[0xab; 32])),
			concat!(
				"44",
				"71696e677375616e2f636c61696d2f7631", // "qingsuan/claim/v1", length-prefixed
				"abababababababababababababababababababababababababababababababab", // genesis
				"4600000000000000",                   // attestor
				"02",                                 // kind: Risk
				"e903000000000000",                   // subject
				"0203",                               // statement: Risk(C4)
				"0100000000000000",
				"0200000000000000",
				"0300000000000000", // issued, expires, nonce
			)
		);
	}
}

mod rule_table {
	use super::*;

	#[test]
	fn an_onboarded_investor_buys_a_product_at_its_level_and_sells_freely() {
		run_test(|| {
			onboard(INVESTOR);
			assert_ok!(buy(INVESTOR, MOUTAI));
			assert_ok!(sell(INVESTOR, MOUTAI));
		});
	}

	#[test]
	fn without_claims_an_investor_may_only_sell() {
		run_test(|| {
			assert_eq!(buy(INVESTOR, MOUTAI), refused(Error::MissingClaim(ClaimKind::Kyc)));
			assert_ok!(sell(INVESTOR, MOUTAI));
		});
	}

	#[test]
	fn each_missing_claim_is_named() {
		run_test(|| {
			add(claim(AGENCY, INVESTOR, Statement::Kyc, 1));
			assert_eq!(buy(INVESTOR, MOUTAI), refused(Error::MissingClaim(ClaimKind::Aml)));
			add(claim(AGENCY, INVESTOR, Statement::Aml(AmlResult::Passed), 1));
			assert_eq!(buy(INVESTOR, MOUTAI), refused(Error::NotSuitable));
			add(claim(AGENCY, INVESTOR, Statement::Risk(RiskCategory::C2), 1));
			assert_eq!(buy(INVESTOR, MOUTAI), refused(Error::NotSuitable));
			add(claim(AGENCY, INVESTOR, Statement::Risk(RiskCategory::C3), 2));
			assert_ok!(buy(INVESTOR, MOUTAI));
		});
	}

	#[test]
	fn a_higher_risk_board_product_needs_the_category_and_the_board_permission() {
		run_test(|| {
			onboard(INVESTOR);
			assert_eq!(buy(INVESTOR, STAR_CO), refused(Error::NotSuitable));
			add(claim(AGENCY, INVESTOR, Statement::Risk(RiskCategory::C4), 2));
			assert_eq!(buy(INVESTOR, STAR_CO), refused(Error::MissingClaim(ClaimKind::Board(Board::Star))));
			// The desk is trusted for board permissions.
			add(claim(DESK, INVESTOR, Statement::Board(Board::Star), 1));
			assert_ok!(buy(INVESTOR, STAR_CO));
			// Another board's permission is not this one's.
			add(claim(DESK, INVESTOR2, Statement::Board(Board::ChiNext), 1));
			onboard(INVESTOR2);
			add(claim(AGENCY, INVESTOR2, Statement::Risk(RiskCategory::C5), 2));
			assert_eq!(buy(INVESTOR2, STAR_CO), refused(Error::MissingClaim(ClaimKind::Board(Board::Star))));
		});
	}

	#[test]
	fn a_professional_investor_is_suitable_for_every_level() {
		run_test(|| {
			add(claim(AGENCY, INVESTOR, Statement::Kyc, 1));
			add(claim(AGENCY, INVESTOR, Statement::Aml(AmlResult::Passed), 1));
			add(claim(AGENCY, INVESTOR, Statement::Professional, 1));
			assert_ok!(buy(INVESTOR, MOUTAI));
			assert_ok!(buy(INVESTOR, NEW_CO));
			// Professional is not a board permission.
			assert_eq!(buy(INVESTOR, STAR_CO), refused(Error::MissingClaim(ClaimKind::Board(Board::Star))));
		});
	}

	#[test]
	fn an_unclassified_security_is_treated_as_r5() {
		run_test(|| {
			onboard(INVESTOR);
			add(claim(AGENCY, INVESTOR, Statement::Risk(RiskCategory::C4), 2));
			assert_eq!(buy(INVESTOR, NEW_CO), refused(Error::NotSuitable));
			add(claim(AGENCY, INVESTOR, Statement::Risk(RiskCategory::C5), 3));
			assert_ok!(buy(INVESTOR, NEW_CO));
		});
	}

	#[test]
	fn a_frozen_investor_may_neither_buy_nor_sell() {
		run_test(|| {
			onboard(INVESTOR);
			set_frozen(INVESTOR, true);
			assert_eq!(buy(INVESTOR, MOUTAI), refused(Error::AccountFrozen));
			assert_eq!(sell(INVESTOR, MOUTAI), refused(Error::AccountFrozen));
			set_frozen(INVESTOR, false);
			assert_ok!(buy(INVESTOR, MOUTAI));
		});
	}

	#[test]
	fn an_aml_block_stops_buying_and_selling_and_a_broker_can_be_blocked_too() {
		run_test(|| {
			onboard(INVESTOR);
			add(claim(AGENCY, INVESTOR, Statement::Aml(AmlResult::Blocked), 2));
			assert_eq!(buy(INVESTOR, MOUTAI), refused(Error::AmlBlocked));
			assert_eq!(sell(INVESTOR, MOUTAI), refused(Error::AmlBlocked));
			assert_ok!(buy(BROKER, STAR_CO));
			add(claim(AGENCY, BROKER, Statement::Aml(AmlResult::Blocked), 1));
			assert_eq!(sell(BROKER, MOUTAI), refused(Error::AmlBlocked));
		});
	}

	#[test]
	fn a_brokers_own_account_is_an_institutions_and_needs_no_investor_claims() {
		run_test(|| {
			for asset in [MOUTAI, STAR_CO, NEW_CO] {
				assert_ok!(buy(BROKER, asset));
				assert_ok!(sell(BROKER, asset));
			}
		});
	}

	#[test]
	fn expired_claims_and_claims_of_untrusted_attestors_do_not_count() {
		run_test(|| {
			onboard(INVESTOR);
			// The desk is trusted for KYC on STAR Co only: its KYC claim counts there, not for
			// Moutai.
			assert_ok!(Compliance::set_product_trust(consortium(), STAR_CO, ClaimKind::Kyc, list(&[DESK])));
			add(claim(DESK, INVESTOR2, Statement::Kyc, 1));
			assert_eq!(buy(INVESTOR2, MOUTAI), refused(Error::MissingClaim(ClaimKind::Kyc)));
			assert_eq!(buy(INVESTOR2, STAR_CO), refused(Error::MissingClaim(ClaimKind::Aml)));
			Now::set(T0 + 365 * DAY);
			assert_eq!(buy(INVESTOR, MOUTAI), refused(Error::MissingClaim(ClaimKind::Kyc)));
		});
	}

	#[test]
	fn distrusting_an_attestor_voids_its_claims_and_a_product_may_trust_others() {
		run_test(|| {
			onboard(INVESTOR);
			assert_ok!(Compliance::set_product_trust(consortium(), MOUTAI, ClaimKind::Kyc, list(&[DESK])));
			assert_eq!(buy(INVESTOR, MOUTAI), refused(Error::MissingClaim(ClaimKind::Kyc)));
			add(claim(DESK, INVESTOR, Statement::Kyc, 1));
			assert_ok!(buy(INVESTOR, MOUTAI));
			// The global list still governs other products.
			assert_ok!(Compliance::set_trust(consortium(), ClaimKind::Aml, list(&[DESK])));
			assert_eq!(buy(INVESTOR, MOUTAI), refused(Error::MissingClaim(ClaimKind::Aml)));
		});
	}

	#[test]
	fn where_trusted_attestors_disagree_the_most_cautious_risk_category_counts() {
		run_test(|| {
			onboard(INVESTOR);
			assert_ok!(Compliance::set_trust(consortium(), ClaimKind::Risk, list(&[AGENCY, DESK])));
			assert_ok!(buy(INVESTOR, MOUTAI));
			add(claim(DESK, INVESTOR, Statement::Risk(RiskCategory::C1), 1));
			assert_eq!(buy(INVESTOR, MOUTAI), refused(Error::NotSuitable));
		});
	}

	#[test]
	fn a_revoked_claim_no_longer_counts() {
		run_test(|| {
			onboard(INVESTOR);
			assert_ok!(Compliance::revoke_claim(RuntimeOrigin::signed(AGENCY), INVESTOR, ClaimKind::Aml));
			assert_eq!(buy(INVESTOR, MOUTAI), refused(Error::MissingClaim(ClaimKind::Aml)));
		});
	}

	#[test]
	fn rules_are_data_the_consortium_replaces() {
		run_test(|| {
			assert_ok!(Compliance::set_rules(
				consortium(),
				MOUTAI,
				conditions(&[Condition::Has(ClaimKind::Margin)]),
				conditions(&[Condition::Has(ClaimKind::Kyc)])
			));
			assert_eq!(buy(INVESTOR, MOUTAI), refused(Error::MissingClaim(ClaimKind::Margin)));
			assert_eq!(sell(INVESTOR, MOUTAI), refused(Error::MissingClaim(ClaimKind::Kyc)));
			add(claim(AGENCY, INVESTOR, Statement::Margin, 1));
			assert_ok!(buy(INVESTOR, MOUTAI));
			assert_ok!(Compliance::set_rules(consortium(), MOUTAI, conditions(&[]), conditions(&[])));
			assert_ok!(sell(INVESTOR, MOUTAI));
		});
	}

	#[test]
	fn the_order_book_check_maps_buys_to_increases_and_sells_to_decreases() {
		run_test(|| {
			let order = |side| OrderIntent {
				who: INVESTOR,
				market: 0,
				security: MOUTAI,
				cash: CNY,
				side,
				quantity: 100,
				price: 1,
			};
			let account = <Compliance as PreTradeCheck<u64>>::account(&INVESTOR);
			let instrument = <Compliance as PreTradeCheck<u64>>::instrument(MOUTAI);
			assert_eq!(
				<Compliance as PreTradeCheck<u64>>::check(&account, &instrument, &order(Side::Buy)),
				refused(Error::MissingClaim(ClaimKind::Kyc))
			);
			assert_ok!(<Compliance as PreTradeCheck<u64>>::check(&account, &instrument, &order(Side::Sell)));
		});
	}
}

mod properties {
	use super::*;
	use proptest::prelude::*;

	#[derive(Clone, Debug)]
	enum Op {
		Claim { attestor: u64, subject: u64, statement: Statement, days: u64 },
		Revoke { attestor: u64, subject: u64, kind: ClaimKind },
		Freeze { subject: u64, frozen: bool },
		Advance { days: u64 },
		Distrust { kind: ClaimKind },
	}

	fn statement() -> impl Strategy<Value = Statement> {
		prop_oneof![
			Just(Statement::Kyc),
			Just(Statement::Aml(AmlResult::Passed)),
			Just(Statement::Aml(AmlResult::Blocked)),
			(0u8..5).prop_map(|c| Statement::Risk(
				[RiskCategory::C1, RiskCategory::C2, RiskCategory::C3, RiskCategory::C4, RiskCategory::C5][c as usize]
			)),
			Just(Statement::Professional),
			Just(Statement::Board(Board::Star)),
		]
	}

	fn op() -> impl Strategy<Value = Op> {
		let subject = prop_oneof![Just(INVESTOR), Just(INVESTOR2), Just(BROKER)];
		let attestor = prop_oneof![Just(AGENCY), Just(DESK)];
		prop_oneof![
			4 => (attestor.clone(), subject.clone(), statement(), 1u64..400)
				.prop_map(|(attestor, subject, statement, days)| Op::Claim { attestor, subject, statement, days }),
			1 => (attestor, subject.clone(), statement())
				.prop_map(|(attestor, subject, s)| Op::Revoke { attestor, subject, kind: s.kind() }),
			1 => (subject, any::<bool>()).prop_map(|(subject, frozen)| Op::Freeze { subject, frozen }),
			1 => (1u64..200).prop_map(|days| Op::Advance { days }),
			1 => statement().prop_map(|s| Op::Distrust { kind: s.kind() }),
		]
	}

	/// What the model says: may `subject` acquire `asset` (`level`, `board`) at `now`?
	#[allow(clippy::too_many_arguments)]
	fn model_may_buy(
		claims: &[(u64, u64, Statement, u64)],
		frozen: bool,
		investor: bool,
		distrusted: &[ClaimKind],
		subject: u64,
		level: RiskLevel,
		board: Board,
		now: u64,
	) -> bool {
		let trusted = |a: u64, k: ClaimKind| {
			!distrusted.contains(&k) && (a == AGENCY || (a == DESK && matches!(k, ClaimKind::Board(_))))
		};
		let valid: Vec<Statement> = claims
			.iter()
			.filter(|(a, s, st, exp)| *s == subject && now < *exp && trusted(*a, st.kind()))
			.map(|(_, _, st, _)| *st)
			.collect();
		let blocked = valid.contains(&Statement::Aml(AmlResult::Blocked));
		if frozen || blocked {
			return false;
		}
		if !investor {
			return true;
		}
		let has = |s: Statement| valid.contains(&s);
		let min_risk = valid
			.iter()
			.filter_map(|s| match s {
				Statement::Risk(c) => Some(*c),
				_ => None,
			})
			.min();
		let suitable = has(Statement::Professional) || min_risk.is_some_and(|c| c.suits(level));
		has(Statement::Kyc)
			&& has(Statement::Aml(AmlResult::Passed))
			&& suitable
			&& (board == Board::Main || has(Statement::Board(board)))
	}

	proptest! {
		#![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

		/// Over any sequence of claims, revocations, freezes, expiries and changes of trust, an
		/// account may acquire a product exactly when the model of the rules says so, and every
		/// invariant holds.
		#[test]
		fn only_accounts_with_the_required_valid_claims_may_acquire(ops in proptest::collection::vec(op(), 1..40)) {
			new_test_ext().execute_with(|| -> Result<(), TestCaseError> {
				// (attestor, subject, statement, expires_at) of the claims in force.
				let mut held: Vec<(u64, u64, Statement, u64)> = vec![];
				let mut nonce = 0u64;
				let mut distrusted: Vec<ClaimKind> = vec![];
				for op in ops {
					match op {
						Op::Claim { attestor, subject, statement, days } => {
							nonce += 1;
							let now = Now::get();
							let c = Claim { attestor, subject, statement, issued_at: now, expires_at: now + days * DAY, nonce };
							let sig = sign(&c);
							let before = Profiles::<Test>::get(subject);
							match Compliance::submit_claim(RuntimeOrigin::signed(OUTSIDER), c.clone(), sig) {
								Ok(()) => {
									held.retain(|(a, s, st, exp)| !(*a == attestor && *s == subject && st.kind() == statement.kind()) && (*s != subject || now < *exp));
									held.push((attestor, subject, statement, c.expires_at));
								},
								Err(e) => {
									let trusted = !distrusted.contains(&statement.kind())
										&& (attestor == AGENCY || (attestor == DESK && matches!(statement.kind(), ClaimKind::Board(_))));
									let expected = if trusted { Error::<Test>::TooManyClaims } else { Error::<Test>::NotTrustedForKind };
									prop_assert_eq!(e, expected.into());
									prop_assert_eq!(Profiles::<Test>::get(subject), before);
								},
							}
						},
						Op::Revoke { attestor, subject, kind } => {
							let now = Now::get();
							if Compliance::revoke_claim(RuntimeOrigin::signed(attestor), subject, kind).is_ok() {
								held.retain(|(a, s, st, exp)| !(*a == attestor && *s == subject && st.kind() == kind) && (*s != subject || now < *exp));
							}
						},
						Op::Freeze { subject, frozen } => set_frozen(subject, frozen),
						Op::Advance { days } => Now::mutate(|n| *n += days * DAY),
						Op::Distrust { kind } => {
							let keep: &[u64] = &[];
							prop_assert!(Compliance::set_trust(consortium(), kind, list(keep)).is_ok());
							distrusted.push(kind);
						},
					}
					let now = Now::get();
					for subject in [INVESTOR, INVESTOR2, BROKER] {
						let frozen = <TestInvestors as qingsuan_primitives::investors::InvestorRegistry<u64>>::is_frozen(&subject);
						let investor = subject != BROKER;
						for (asset, level, board) in [(MOUTAI, RiskLevel::R3, Board::Main), (STAR_CO, RiskLevel::R4, Board::Star), (NEW_CO, RiskLevel::R5, Board::Main)] {
							let expected = model_may_buy(&held, frozen, investor, &distrusted, subject, level, board, now);
							prop_assert_eq!(buy(subject, asset).is_ok(), expected, "{:?} buying {}", subject, asset);
						}
					}
					Compliance::do_try_state().map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
				}
				Ok(())
			})?;
		}
	}
}

mod credit_accounts {
	use super::*;
	use qingsuan_primitives::investors::{mock::open_credit, MarginApproval};

	#[test]
	fn a_credit_account_trades_under_its_owners_claims() {
		run_test(|| {
			let credit = open_credit(INVESTOR).expect("an ordinary investor");
			assert_eq!(buy(credit, MOUTAI), refused(Error::MissingClaim(ClaimKind::Kyc)));
			onboard(INVESTOR);
			assert_ok!(buy(credit, MOUTAI));
			// Its owner's freeze is its own only through the registry (the investors pallet
			// freezes both); claims given to the credit account itself count for nothing.
			assert_ok!(Compliance::revoke_claim(RuntimeOrigin::signed(AGENCY), INVESTOR, ClaimKind::Kyc));
			add(claim(AGENCY, credit, Statement::Kyc, 2));
			assert_eq!(buy(credit, MOUTAI), refused(Error::MissingClaim(ClaimKind::Kyc)));
		});
	}

	#[test]
	fn margin_approval_is_a_valid_trusted_margin_claim() {
		run_test(|| {
			assert!(!<Compliance as MarginApproval<u64>>::is_approved(&INVESTOR));
			add(claim(AGENCY, INVESTOR, Statement::Margin, 1));
			assert!(<Compliance as MarginApproval<u64>>::is_approved(&INVESTOR));
			assert!(!<Compliance as MarginApproval<u64>>::is_approved(&INVESTOR2));
			// An attestor no longer trusted for margin approves nobody.
			assert_ok!(Compliance::set_trust(consortium(), ClaimKind::Margin, list(&[DESK])));
			assert!(!<Compliance as MarginApproval<u64>>::is_approved(&INVESTOR));
		});
	}
}
