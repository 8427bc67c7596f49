//! # Compliance pallet
//!
//! Compliance attestation: the claims attestors make about accounts (identity verified, AML
//! screening, risk category, professional investor, board permissions, margin approval), and the
//! rules each security sets on who may acquire or dispose of it. The order book runs these rules
//! before every order ([`PreTradeCheck`]).
//!
//! ## Overview
//!
//! - **Attestors** hold the `Attestor` role (granted by the consortium in the members pallet) and
//!   register an SM2 public key ([`Pallet::set_attestor_key`]).
//! - **Claims** are signed off chain by an attestor with SM2 over [`Claim::payload`] (domain
//!   tag, chain genesis hash, attestor, kind, subject, statement, issued-at, expiry, nonce) and
//!   submitted
//!   by anyone ([`Pallet::submit_claim`]); the runtime verifies the signature through the SM2
//!   host function. The attestor must be trusted for the claim's kind by some trust list, and a
//!   claim is valid for at most `MaxClaimLifetime`. A claim counts until it expires, its attestor revokes it
//!   ([`Pallet::revoke_claim`]), or the attestor stops being trusted for its kind. Each
//!   `(attestor, subject, kind)` has a nonce: a claim whose nonce is not above the last one is
//!   refused, so a replayed or superseded claim never comes back.
//! - **Trust** is consortium data: which attestors are trusted for each claim kind
//!   ([`Pallet::set_trust`]), with per-product overrides ([`Pallet::set_product_trust`]), as
//!   Polymesh's trusted claim issuers are per asset.
//! - **Products**: each security has a risk level R1–R5, a board, and two condition lists, one
//!   for orders and legs that increase a position and one for those that decrease it
//!   ([`Pallet::set_product`], [`Pallet::set_rules`]). A security the consortium has not
//!   classified is treated as an R5 main-board product with the default rules.
//!
//! | condition | holds when |
//! | --- | --- |
//! | `NotFrozen` | no regulator froze the account |
//! | `NotBlocked` | no valid AML claim says `Blocked` |
//! | `Has(kind)` | a valid, affirming claim of `kind` from an attestor trusted for it |
//! | `Suitable` | the lowest valid risk category is at least the product's level, or a valid `Professional` claim |
//!
//! A broker's own (proprietary) account is an institution's: only `NotFrozen` and `NotBlocked`
//! apply to it.
//!
//! ## Interface
//!
//! ### Dispatchable functions
//!
//! - `set_attestor_key(key)`: an attestor registers its SM2 key.
//! - `set_trust(kind, attestors)`, `set_product(asset, level, board)`,
//!   `set_rules(asset, increase, decrease)`, `set_product_trust(asset, kind, attestors)`: the
//!   consortium.
//! - `submit_claim(claim, signature)`: anyone.
//! - `revoke_claim(subject, kind)`: the claim's attestor.
//!
//! ### Other pallets
//!
//! [`PreTradeCheck`] for the order book: `account` loads an account's standing and claims,
//! `instrument` a security's product and the trust table, `check` evaluates in memory.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod functions;
#[cfg(test)]
mod mock;
pub mod rules;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use functions::{AccountProfile, InstrumentRules};
pub use pallet::*;
pub use qingsuan_primitives::market::{AssetId, PositionCheck, PreTradeCheck};
pub use qingsuan_sm_crypto::sm2;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::UnixTime};
	use frame_system::pallet_prelude::*;
	use qingsuan_primitives::{investors::InvestorRegistry, market::InstrumentInspect, RoleInspect};

	/// The pallet's configuration trait.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The instrument registry (products are securities).
		type Instruments: InstrumentInspect<Self::AccountId>;

		/// Investor accounts: which accounts are investors', and which are frozen.
		type Investors: InvestorRegistry<Self::AccountId>;

		/// Who holds which role (a claim's attestor must still be an attestor).
		type Members: RoleInspect<Self::AccountId>;

		/// The chain's clock: claims are valid from `issued_at` to `expires_at` in Unix time.
		type Time: UnixTime;

		/// The consortium's origin: trust, products and rules.
		type ConsortiumOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// An attestor's signed origin.
		type AttestorOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// The most attestors trusted for one claim kind (globally or for one product).
		#[pallet::constant]
		type MaxTrusted: Get<u32>;

		/// The most claims one account's profile holds (expired ones are pruned on each write).
		#[pallet::constant]
		type MaxClaims: Get<u32>;

		/// The longest a claim may be valid, in milliseconds from its submission: every claim is
		/// renewed within this, and a profile cannot be filled with claims that never expire.
		#[pallet::constant]
		type MaxClaimLifetime: Get<u64>;

		/// Weights of this pallet's calls, generated by `benchmark pallet`.
		type WeightInfo: WeightInfo;

		/// Sets up attestors and securities for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// The layout of this pallet's storage. A change to it bumps this and comes with a
	/// migration in the runtime's `Migrations` (`runtime/src/lib.rs`).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Each attestor's SM2 public key, which its claims are verified against.
	#[pallet::storage]
	pub type AttestorKeys<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, sm2::Public>;

	/// The attestors trusted for each claim kind, where a product does not say otherwise.
	#[pallet::storage]
	pub type Trust<T: Config> = StorageValue<_, TrustTable<T::AccountId, T::MaxTrusted>, ValueQuery>;

	/// Securities as compliance classifies them, with their rules and trust overrides.
	#[pallet::storage]
	pub type Products<T: Config> = StorageMap<_, Twox64Concat, AssetId, ProductOf<T>>;

	/// Each account's claims: one record, so that a check reads one item per account.
	#[pallet::storage]
	pub type Profiles<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BoundedVec<HeldClaim<T::AccountId>, T::MaxClaims>>;

	/// How many trust lists (the global one and products' own) name each attestor for each
	/// claim kind: an attestor submits claims only of kinds it is trusted for somewhere.
	#[pallet::storage]
	pub type TrustRefs<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, ClaimKind, u32, ValueQuery>;

	/// The last nonce each attestor used for a subject and kind.
	#[pallet::storage]
	pub type Nonces<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		(T::AccountId, ClaimKind),
		u64,
		ValueQuery,
	>;

	/// Attestor keys, trust and product classifications at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(attestor, SM2 public key as SEC1 bytes)`.
		pub attestor_keys: Vec<(T::AccountId, Vec<u8>)>,
		/// `(kind, attestors trusted for it)`.
		pub trust: Vec<(ClaimKind, Vec<T::AccountId>)>,
		/// `(security, risk level, board)`, with the default rules.
		pub products: Vec<(AssetId, RiskLevel, Board)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (attestor, key) in &self.attestor_keys {
				let key = sm2::Public::from_sec1(key)
					.unwrap_or_else(|e| panic!("genesis: the key of attestor {attestor:?} is not an SM2 point: {e:?}"));
				AttestorKeys::<T>::insert(attestor, key);
			}
			for (kind, attestors) in &self.trust {
				let list = TrustList::<T::AccountId, T::MaxTrusted>::try_from(attestors.clone())
					.unwrap_or_else(|_| panic!("genesis: more than MaxTrusted attestors for {kind:?}"));
				if let Err(e) = Pallet::<T>::do_set_trust(*kind, list) {
					panic!("genesis: trust for {kind:?}: {e:?}");
				}
			}
			for (asset, level, board) in &self.products {
				if let Err(e) = Pallet::<T>::do_set_product(*asset, *level, *board) {
					panic!("genesis: product {asset}: {e:?}");
				}
			}
		}
	}

	/// Events of the compliance pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `attestor` registered `key` for its claims.
		AttestorKeySet {
			/// The attestor.
			attestor: T::AccountId,
			/// Its SM2 public key.
			key: sm2::Public,
		},
		/// The attestors trusted for `kind` (globally) are now `attestors`.
		TrustSet {
			/// The claim kind.
			kind: ClaimKind,
			/// Who is trusted for it (none: no claim of the kind counts).
			attestors: Vec<T::AccountId>,
		},
		/// `asset` is classified as `level` on `board`, with the default rules.
		ProductSet {
			/// The security.
			asset: AssetId,
			/// Its risk level.
			level: RiskLevel,
			/// Its board.
			board: Board,
		},
		/// `asset`'s rules changed.
		RulesSet {
			/// The security.
			asset: AssetId,
			/// To acquire it.
			increase: Vec<Condition>,
			/// To dispose of it.
			decrease: Vec<Condition>,
		},
		/// For `asset`, the attestors trusted for `kind` are now `attestors` (none: the global
		/// list applies again).
		ProductTrustSet {
			/// The security.
			asset: AssetId,
			/// The claim kind.
			kind: ClaimKind,
			/// Who is trusted for it for this security.
			attestors: Vec<T::AccountId>,
		},
		/// A claim about `subject` was verified and recorded.
		ClaimAdded {
			/// The account it is about.
			subject: T::AccountId,
			/// What it states.
			statement: Statement,
			/// Who signed it.
			attestor: T::AccountId,
			/// Unix milliseconds from which it no longer counts.
			expires_at: u64,
			/// Its nonce.
			nonce: u64,
		},
		/// `attestor` revoked its claim of `kind` about `subject`.
		ClaimRevoked {
			/// The account it was about.
			subject: T::AccountId,
			/// Its kind.
			kind: ClaimKind,
			/// The attestor.
			attestor: T::AccountId,
		},
	}

	/// Errors of the compliance pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The key is not a canonical SEC1-compressed SM2 point.
		InvalidKey,
		/// The attestor has not registered an SM2 key.
		NoAttestorKey,
		/// The claim's attestor does not hold the attestor role.
		NotAnAttestor,
		/// An attestor is named twice.
		DuplicateAttestor,
		/// The asset is not a security.
		NotASecurity,
		/// The security has not been classified (`set_product`).
		UnknownProduct,
		/// The signature is not the attestor's over this claim on this chain.
		BadSignature,
		/// The claim's validity period is empty (`expires_at ≤ issued_at`).
		InvalidPeriod,
		/// The claim is issued later than the chain's time.
		NotYetValid,
		/// The claim has expired.
		Expired,
		/// The claim is valid for longer than `MaxClaimLifetime` from now.
		PeriodTooLong,
		/// No trust list (global or a product's) names the attestor for this claim kind.
		NotTrustedForKind,
		/// The claim's nonce is not above the last one this attestor used for this subject and
		/// kind: a replay, or superseded.
		StaleNonce,
		/// The account's profile holds `MaxClaims` valid claims.
		TooManyClaims,
		/// The attestor holds no claim of this kind about this account.
		NoSuchClaim,
		/// The rules refuse: a regulator froze the account.
		AccountFrozen,
		/// The rules refuse: AML screening blocked the account.
		AmlBlocked,
		/// The rules refuse: the account has no valid claim of this kind from a trusted attestor.
		MissingClaim(ClaimKind),
		/// The rules refuse: the account's risk category is below the product's risk level and
		/// it is not a professional investor.
		NotSuitable,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register the caller's SM2 public key, which its claims are verified against (claims
		/// already recorded stay).
		///
		/// Origin: an attestor. Emits `AttestorKeySet`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_attestor_key())]
		pub fn set_attestor_key(origin: OriginFor<T>, key: sm2::Public) -> DispatchResult {
			let attestor = T::AttestorOrigin::ensure_origin(origin)?;
			Self::do_set_attestor_key(attestor, key)
		}

		/// Trust `attestors` for claims of `kind` (replacing the list; empty: none).
		///
		/// Origin: the consortium. Emits `TrustSet`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_trust(attestors.len() as u32))]
		pub fn set_trust(
			origin: OriginFor<T>,
			kind: ClaimKind,
			attestors: TrustList<T::AccountId, T::MaxTrusted>,
		) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			Self::do_set_trust(kind, attestors)
		}

		/// Classify the security `asset` as `level` on `board`, with the default rules (its
		/// per-product trust stays).
		///
		/// Origin: the consortium. Emits `ProductSet`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_product())]
		pub fn set_product(origin: OriginFor<T>, asset: AssetId, level: RiskLevel, board: Board) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			Self::do_set_product(asset, level, board)
		}

		/// Replace the rules of the classified security `asset`.
		///
		/// Origin: the consortium. Emits `RulesSet`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_rules())]
		pub fn set_rules(
			origin: OriginFor<T>,
			asset: AssetId,
			increase: Conditions,
			decrease: Conditions,
		) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			Self::do_set_rules(asset, increase, decrease)
		}

		/// Trust `attestors` for claims of `kind` about the security `asset` instead of the
		/// global list (empty: the global list again).
		///
		/// Origin: the consortium. Emits `ProductTrustSet`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_product_trust(attestors.len() as u32))]
		pub fn set_product_trust(
			origin: OriginFor<T>,
			asset: AssetId,
			kind: ClaimKind,
			attestors: TrustList<T::AccountId, T::MaxTrusted>,
		) -> DispatchResult {
			T::ConsortiumOrigin::ensure_origin(origin)?;
			Self::do_set_product_trust(asset, kind, attestors)
		}

		/// Record `claim`, signed by its attestor with SM2 over [`Claim::payload`]. It replaces
		/// the attestor's earlier claim of the same kind about the subject.
		///
		/// Origin: any signed account. Emits `ClaimAdded`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::submit_claim())]
		pub fn submit_claim(
			origin: OriginFor<T>,
			claim: Claim<T::AccountId>,
			signature: sm2::Signature,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_submit_claim(claim, &signature)
		}

		/// Revoke the caller's claim of `kind` about `subject`.
		///
		/// Origin: the attestor of the claim. Emits `ClaimRevoked`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::revoke_claim())]
		pub fn revoke_claim(origin: OriginFor<T>, subject: T::AccountId, kind: ClaimKind) -> DispatchResult {
			let attestor = T::AttestorOrigin::ensure_origin(origin)?;
			Self::do_revoke_claim(attestor, subject, kind)
		}
	}
}

/// A runtime's [`Product`].
pub type ProductOf<T> = Product<<T as frame_system::Config>::AccountId, <T as Config>::MaxTrusted>;
