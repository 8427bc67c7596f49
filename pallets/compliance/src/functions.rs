//! The logic behind the compliance pallet's calls, its pre-trade check, and its invariants.

use crate::{
	rules::{evaluate, Refusal, Subject},
	sm2, AttestorKeys, Board, Claim, ClaimKind, Conditions, Config, Direction, Error, Event, HeldClaim, Nonces, Pallet,
	PreTradeCheck, Product, ProductOf, Products, Profiles, RiskLevel, Trust, TrustList, TrustRefs, TrustTable,
};
use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::*, traits::UnixTime};
use frame_system::pallet_prelude::BlockNumberFor;
use qingsuan_matching_engine::Side;
use qingsuan_primitives::{
	investors::{InvestorRegistry, MarginApproval, Standing},
	market::{AssetClass, AssetId, InstrumentInspect, OrderIntent, PositionCheck},
	Role, RoleInspect,
};
use sp_runtime::traits::Zero;

/// What the rules need to know about one account, loaded once per call.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AccountProfile<AccountId> {
	/// Its investor standing; `None` for an account that is not an investor's.
	pub standing: Option<Standing<AccountId>>,
	/// Its claims.
	pub claims: Vec<HeldClaim<AccountId>>,
}

/// What the rules need to know about one security, loaded once per call.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct InstrumentRules<T: Config> {
	/// Its classification and rules (the defaults for an R5 main-board product if the
	/// consortium has not classified it).
	pub product: ProductOf<T>,
	/// The global trust table.
	pub trust: TrustTable<T::AccountId, T::MaxTrusted>,
	/// The chain's time, Unix milliseconds, when it was loaded (one block's time).
	pub now: u64,
}

impl<T: Config> From<Refusal> for Error<T> {
	fn from(r: Refusal) -> Self {
		match r {
			Refusal::Frozen => Error::AccountFrozen,
			Refusal::AmlBlocked => Error::AmlBlocked,
			Refusal::MissingClaim(kind) => Error::MissingClaim(kind),
			Refusal::NotSuitable => Error::NotSuitable,
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The chain's time in Unix milliseconds.
	pub fn now() -> u64 {
		T::Time::now().as_millis().try_into().unwrap_or(u64::MAX)
	}

	/// The chain's genesis hash, which every claim payload binds.
	pub fn genesis() -> [u8; 32] {
		let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let mut out = [0u8; 32];
		let bytes = hash.as_ref();
		let n = bytes.len().min(32);
		out[..n].copy_from_slice(&bytes[..n]);
		out
	}

	/// Register `attestor`'s SM2 key.
	pub fn do_set_attestor_key(attestor: T::AccountId, key: sm2::Public) -> DispatchResult {
		let canonical = sm2::Public::from_sec1(&key.0).map_err(|_| Error::<T>::InvalidKey)?;
		ensure!(canonical == key, Error::<T>::InvalidKey);
		AttestorKeys::<T>::insert(&attestor, key);
		Self::deposit_event(Event::AttestorKeySet { attestor, key });
		Ok(())
	}

	/// `list` names registered attestors, each once.
	fn ensure_trust_list(list: &[T::AccountId]) -> DispatchResult {
		for (i, a) in list.iter().enumerate() {
			ensure!(AttestorKeys::<T>::contains_key(a), Error::<T>::NoAttestorKey);
			ensure!(!list[..i].contains(a), Error::<T>::DuplicateAttestor);
		}
		Ok(())
	}

	/// Count the trust lists naming each attestor for `kind`: the list `old` is replaced by `new`.
	fn recount_trust(kind: ClaimKind, old: &[T::AccountId], new: &[T::AccountId]) {
		for a in old.iter().filter(|a| !new.contains(a)) {
			TrustRefs::<T>::mutate_exists(a, kind, |n| *n = n.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0));
		}
		for a in new.iter().filter(|a| !old.contains(a)) {
			TrustRefs::<T>::mutate(a, kind, |n| *n = n.saturating_add(1));
		}
	}

	/// Trust `list` for `kind` globally.
	pub fn do_set_trust(kind: ClaimKind, list: TrustList<T::AccountId, T::MaxTrusted>) -> DispatchResult {
		Self::ensure_trust_list(&list)?;
		let attestors = list.to_vec();
		Trust::<T>::mutate(|table| {
			Self::recount_trust(kind, crate::types::trusted_in(table, kind).unwrap_or(&[]), &attestors);
			crate::types::set_trust_entry(table, kind, list)
		});
		Self::deposit_event(Event::TrustSet { kind, attestors });
		Ok(())
	}

	/// Classify `asset` as `level` on `board` with the default rules, keeping its trust
	/// overrides.
	pub fn do_set_product(asset: AssetId, level: RiskLevel, board: Board) -> DispatchResult {
		ensure!(T::Instruments::class(asset) == Some(AssetClass::Security), Error::<T>::NotASecurity);
		Products::<T>::mutate(asset, |p| {
			let trust = p.take().map(|p| p.trust).unwrap_or_default();
			*p = Some(Product { trust, ..Product::defaults(level, board) });
		});
		Self::deposit_event(Event::ProductSet { asset, level, board });
		Ok(())
	}

	/// Replace `asset`'s rules.
	pub fn do_set_rules(asset: AssetId, increase: Conditions, decrease: Conditions) -> DispatchResult {
		Products::<T>::try_mutate(asset, |p| {
			let p = p.as_mut().ok_or(Error::<T>::UnknownProduct)?;
			p.increase = increase.clone();
			p.decrease = decrease.clone();
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::RulesSet {
			asset,
			increase: increase.into_inner(),
			decrease: decrease.into_inner(),
		});
		Ok(())
	}

	/// Trust `list` for `kind` for `asset` only (empty: the global list again).
	pub fn do_set_product_trust(
		asset: AssetId,
		kind: ClaimKind,
		list: TrustList<T::AccountId, T::MaxTrusted>,
	) -> DispatchResult {
		Self::ensure_trust_list(&list)?;
		let attestors = list.to_vec();
		Products::<T>::try_mutate(asset, |p| {
			let p = p.as_mut().ok_or(Error::<T>::UnknownProduct)?;
			Self::recount_trust(kind, crate::types::trusted_in(&p.trust, kind).unwrap_or(&[]), &attestors);
			crate::types::set_trust_entry(&mut p.trust, kind, list);
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::ProductTrustSet { asset, kind, attestors });
		Ok(())
	}

	/// Verify `claim` against its attestor's key and record it in the subject's profile.
	pub fn do_submit_claim(claim: Claim<T::AccountId>, signature: &sm2::Signature) -> DispatchResult {
		let key = AttestorKeys::<T>::get(&claim.attestor).ok_or(Error::<T>::NoAttestorKey)?;
		ensure!(T::Members::has_role(&claim.attestor, Role::Attestor), Error::<T>::NotAnAttestor);
		let kind = claim.statement.kind();
		ensure!(TrustRefs::<T>::get(&claim.attestor, kind) > 0, Error::<T>::NotTrustedForKind);
		ensure!(claim.issued_at < claim.expires_at, Error::<T>::InvalidPeriod);
		let now = Self::now();
		ensure!(claim.issued_at <= now, Error::<T>::NotYetValid);
		ensure!(now < claim.expires_at, Error::<T>::Expired);
		ensure!(claim.expires_at - now <= T::MaxClaimLifetime::get(), Error::<T>::PeriodTooLong);
		let payload = claim.payload(&Self::genesis());
		ensure!(qingsuan_sm_crypto::host::sm::sm2_verify(&signature.0, &payload, &key.0), Error::<T>::BadSignature);
		let nonce_key = (claim.subject.clone(), kind);
		ensure!(claim.nonce > Nonces::<T>::get(&claim.attestor, &nonce_key), Error::<T>::StaleNonce);
		Profiles::<T>::try_mutate(&claim.subject, |profile| {
			let mut claims = profile.take().map(|p| p.into_inner()).unwrap_or_default();
			claims.retain(|c| now < c.expires_at && !(c.statement.kind() == kind && c.attestor == claim.attestor));
			claims.push(HeldClaim {
				statement: claim.statement,
				attestor: claim.attestor.clone(),
				expires_at: claim.expires_at,
			});
			*profile = Some(BoundedVec::try_from(claims).map_err(|_| Error::<T>::TooManyClaims)?);
			Ok::<_, DispatchError>(())
		})?;
		Nonces::<T>::insert(&claim.attestor, &nonce_key, claim.nonce);
		Self::deposit_event(Event::ClaimAdded {
			subject: claim.subject,
			statement: claim.statement,
			attestor: claim.attestor,
			expires_at: claim.expires_at,
			nonce: claim.nonce,
		});
		Ok(())
	}

	/// Remove `attestor`'s claim of `kind` about `subject` (and any expired claims with it).
	pub fn do_revoke_claim(attestor: T::AccountId, subject: T::AccountId, kind: ClaimKind) -> DispatchResult {
		let now = Self::now();
		Profiles::<T>::try_mutate_exists(&subject, |profile| {
			let claims = profile.as_mut().ok_or(Error::<T>::NoSuchClaim)?;
			let before = claims.len();
			claims.retain(|c| !(c.statement.kind() == kind && c.attestor == attestor));
			ensure!(claims.len() < before, Error::<T>::NoSuchClaim);
			claims.retain(|c| now < c.expires_at);
			if claims.is_empty() {
				*profile = None;
			}
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::ClaimRevoked { subject, kind, attestor });
		Ok(())
	}

	/// Whether `account` may change its position in `asset` in `direction` now: the same
	/// evaluation the order book runs, for callers checking one account once.
	pub fn may_change(account: &T::AccountId, asset: AssetId, direction: Direction) -> DispatchResult {
		let profile = <Self as PreTradeCheck<T::AccountId>>::account(account);
		let rules = <Self as PreTradeCheck<T::AccountId>>::instrument(asset);
		Self::evaluate(&profile, &rules, direction)
	}

	fn evaluate(
		profile: &AccountProfile<T::AccountId>,
		rules: &InstrumentRules<T>,
		direction: Direction,
	) -> DispatchResult {
		let subject = Subject { standing: profile.standing.as_ref(), claims: &profile.claims };
		evaluate(&subject, &rules.product, &rules.trust, direction, rules.now).map_err(|r| Error::<T>::from(r).into())
	}
}

impl<T: Config> MarginApproval<T::AccountId> for Pallet<T> {
	/// A valid `Margin` claim from an attestor the global trust list names for it.
	fn is_approved(who: &T::AccountId) -> bool {
		let claims = Profiles::<T>::get(who).map(|p| p.into_inner()).unwrap_or_default();
		let trust = Trust::<T>::get();
		let trusted = crate::types::trusted_in(&trust, ClaimKind::Margin).unwrap_or(&[]);
		let approved = crate::rules::valid_from(&claims, ClaimKind::Margin, trusted, Self::now()).next().is_some();
		approved
	}
}

impl<T: Config> PositionCheck<T::AccountId> for Pallet<T> {
	fn may_change(who: &T::AccountId, security: AssetId, direction: Direction) -> DispatchResult {
		Pallet::<T>::may_change(who, security, direction)
	}
}

/// A buy increases a position, a sell decreases it.
fn direction(side: Side) -> Direction {
	match side {
		Side::Buy => Direction::Increase,
		Side::Sell => Direction::Decrease,
	}
}

impl<T: Config> PreTradeCheck<T::AccountId> for Pallet<T> {
	type Account = AccountProfile<T::AccountId>;
	type Instrument = InstrumentRules<T>;

	fn account(who: &T::AccountId) -> Self::Account {
		let standing = T::Investors::standing(who);
		// A credit account has no claims of its own: its owner's are its.
		let subject = standing.as_ref().and_then(|s| s.credit_of.as_ref()).unwrap_or(who);
		AccountProfile { claims: Profiles::<T>::get(subject).map(|p| p.into_inner()).unwrap_or_default(), standing }
	}

	fn instrument(security: AssetId) -> Self::Instrument {
		InstrumentRules {
			product: Products::<T>::get(security).unwrap_or_else(|| Product::defaults(RiskLevel::R5, Board::Main)),
			trust: Trust::<T>::get(),
			now: Self::now(),
		}
	}

	fn check(
		account: &Self::Account,
		instrument: &Self::Instrument,
		order: &OrderIntent<T::AccountId>,
	) -> Result<(), DispatchError> {
		Self::evaluate(account, instrument, direction(order.side))
	}

	fn may_keep(account: &Self::Account, instrument: &Self::Instrument, side: Side) -> bool {
		Self::evaluate(account, instrument, direction(side)).is_ok()
	}
}

impl<T: Config> Pallet<T> {
	/// Check the pallet's invariants (called by `try_state` and after every test).
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::check_trust()?;
		Self::check_products()?;
		Self::check_trust_refs()?;
		Self::check_profiles()
	}

	/// `TrustRefs` counts exactly the trust lists naming each attestor for each kind.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn check_trust_refs() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut counted = alloc::collections::BTreeMap::<(T::AccountId, ClaimKind), u32>::new();
		let tables = core::iter::once(Trust::<T>::get()).chain(Products::<T>::iter_values().map(|p| p.trust));
		for table in tables {
			for (kind, list) in table.iter() {
				for a in list.iter() {
					*counted.entry((a.clone(), *kind)).or_default() += 1;
				}
			}
		}
		let stored: alloc::collections::BTreeMap<_, _> = TrustRefs::<T>::iter().map(|(a, k, n)| ((a, k), n)).collect();
		ensure!(stored == counted, "trust references differ from the trust lists");
		Ok(())
	}

	/// A trust table names each kind once, with a non-empty list of registered attestors, each
	/// once.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	fn check_table(table: &TrustTable<T::AccountId, T::MaxTrusted>) -> Result<(), sp_runtime::TryRuntimeError> {
		for (i, (kind, list)) in table.iter().enumerate() {
			ensure!(!table[..i].iter().any(|(k, _)| k == kind), "a trust table names a kind twice");
			ensure!(!list.is_empty(), "a trust table keeps an empty list");
			Self::ensure_trust_list(list).map_err(|_| "a trust list names an unregistered or repeated attestor")?;
		}
		Ok(())
	}

	/// The global trust table is well formed.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn check_trust() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::check_table(&Trust::<T>::get())
	}

	/// Every product is a security, with a well-formed trust table.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn check_products() -> Result<(), sp_runtime::TryRuntimeError> {
		for (asset, product) in Products::<T>::iter() {
			ensure!(T::Instruments::class(asset) == Some(AssetClass::Security), "a product is not a security");
			Self::check_table(&product.trust)?;
		}
		Ok(())
	}

	/// No profile is stored empty; each holds at most one claim per attestor and kind, from a
	/// registered attestor, and the attestor's nonce for it is recorded.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn check_profiles() -> Result<(), sp_runtime::TryRuntimeError> {
		for (subject, claims) in Profiles::<T>::iter() {
			ensure!(!claims.is_empty(), "an empty profile is stored");
			for (i, c) in claims.iter().enumerate() {
				let kind = c.statement.kind();
				ensure!(
					!claims[..i].iter().any(|d| d.statement.kind() == kind && d.attestor == c.attestor),
					"a profile holds two claims of one kind from one attestor"
				);
				ensure!(AttestorKeys::<T>::contains_key(&c.attestor), "a claim of an unregistered attestor");
				ensure!(
					Nonces::<T>::get(&c.attestor, (subject.clone(), kind)) > 0,
					"a claim whose nonce is not recorded"
				);
			}
		}
		Ok(())
	}
}
