//! Migrations of the order book's storage, one module per version step. Each is a
//! [`VersionedMigration`]: it runs only when the on-chain version is the one it starts from, and
//! sets the next. The runtime lists them in its `Migrations`.

use crate::{Config, OrderInfoOf, Orders, Pallet, StopCount};
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};
use qingsuan_primitives::market::SettleTrade;

/// v0 → v1: every order records the buyer's fee rate its hold covers (`OrderInfo::fee_rate`),
/// and each account's waiting stops are counted per market (`StopCount`).
pub mod v1 {
	use super::*;
	use crate::{Amount, MarketId, OrderType, Price, Quantity, Side};
	use codec::Decode;
	use frame_system::pallet_prelude::BlockNumberFor;
	use sp_runtime::Perbill;

	/// An order as version 0 stored it.
	#[derive(Decode)]
	pub struct OrderInfoV0<AccountId, BlockNumber> {
		market: MarketId,
		owner: AccountId,
		side: Side,
		kind: OrderType,
		quantity: Quantity,
		remaining: Quantity,
		held: Amount,
		placed_at: BlockNumber,
		stop: Option<Price>,
	}

	/// The rate a v0 order's hold covers: what it holds beyond its cash and the rounding margin,
	/// as a share of its cash (rounded down), and never above today's. A sell's is today's.
	fn covered_rate<A, B>(old: &OrderInfoV0<A, B>, lot: Quantity, today: Perbill) -> Perbill {
		if old.side == Side::Sell {
			return today;
		}
		let cash = Amount::from(old.remaining).saturating_mul(Amount::from(old.kind.limit_price()));
		let margin = Amount::from(old.remaining / lot.max(1)).saturating_add(1);
		let extra = old.held.saturating_sub(cash).saturating_sub(margin);
		if cash == 0 {
			return today;
		}
		Perbill::from_rational(extra, cash).min(today)
	}

	/// The migration's body; use [`MigrateV0ToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let today = T::Settlement::buyer_fee_rate();
			let mut orders = 0u64;
			Orders::<T>::translate::<OrderInfoV0<T::AccountId, BlockNumberFor<T>>, _>(|_, old| {
				orders += 1;
				let lot = crate::Markets::<T>::get(old.market).map_or(1, |m| m.lot);
				let fee_rate = covered_rate(&old, lot, today);
				Some(OrderInfoOf::<T> {
					market: old.market,
					owner: old.owner,
					side: old.side,
					kind: old.kind,
					quantity: old.quantity,
					remaining: old.remaining,
					held: old.held,
					placed_at: old.placed_at,
					stop: old.stop,
					fee_rate,
					// What v3 adds; v3's migration reads the v2 layout and ignores this byte.
					reported: false,
				})
			});
			let counts = Pallet::<T>::count_stops();
			let owners = counts.len() as u64;
			for ((market, owner), n) in counts {
				StopCount::<T>::insert(market, owner, n);
			}
			// Per order: its record and its market read, itself written, and read again for the
			// stop counts; a count written per (market, owner).
			T::DbWeight::get().reads_writes(3 * orders, orders + owners)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The order book's storage v0 → v1.
	pub type MigrateV0ToV1<T> =
		VersionedMigration<0, 1, InnerMigrateV0ToV1<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}

/// v1 → v2: each member broker's resting orders are counted per market (`RestingCount`), its
/// investors' included, instead of each account's being counted by walking the book.
pub mod v2 {
	use super::*;
	use crate::{Books, RestingCount};
	use alloc::collections::btree_map::BTreeMap;
	use qingsuan_matching_engine::Side;

	/// The migration's body; use [`MigrateV1ToV2`].
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut counts: BTreeMap<(crate::MarketId, T::AccountId), u32> = BTreeMap::new();
			let (mut books, mut orders) = (0u64, 0u64);
			for (market, book) in Books::<T>::iter() {
				books += 1;
				for side in [Side::Buy, Side::Sell] {
					for (_, resting) in book.0.orders(side) {
						orders += 1;
						let n = counts.entry((market, Pallet::<T>::share_holder(&resting.owner))).or_default();
						*n = n.saturating_add(1);
					}
				}
			}
			let written = counts.len() as u64;
			for ((market, broker), n) in counts {
				RestingCount::<T>::insert(market, broker, n);
			}
			// Each book read; each resting owner's investor entry read; a count written per
			// (market, broker).
			T::DbWeight::get().reads_writes(books + orders, written)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The order book's storage v1 → v2.
	pub type MigrateV1ToV2<T> =
		VersionedMigration<1, 2, InnerMigrateV1ToV2<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}

/// v2 → v3: every order says whether it was placed through the order-entry API
/// (`OrderInfo::reported`); none was before v3.
pub mod v3 {
	use super::*;
	use crate::{Amount, MarketId, OrderType, Price, Quantity, Side};
	use codec::Decode;
	use frame_system::pallet_prelude::BlockNumberFor;
	use sp_runtime::Perbill;

	/// An order as versions 1 and 2 stored it.
	#[derive(Decode)]
	pub struct OrderInfoV2<AccountId, BlockNumber> {
		market: MarketId,
		owner: AccountId,
		side: Side,
		kind: OrderType,
		quantity: Quantity,
		remaining: Quantity,
		held: Amount,
		placed_at: BlockNumber,
		stop: Option<Price>,
		fee_rate: Perbill,
	}

	/// The migration's body; use [`MigrateV2ToV3`].
	pub struct InnerMigrateV2ToV3<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV2ToV3<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut orders = 0u64;
			Orders::<T>::translate::<OrderInfoV2<T::AccountId, BlockNumberFor<T>>, _>(|_, old| {
				orders += 1;
				Some(OrderInfoOf::<T> {
					market: old.market,
					owner: old.owner,
					side: old.side,
					kind: old.kind,
					quantity: old.quantity,
					remaining: old.remaining,
					held: old.held,
					placed_at: old.placed_at,
					stop: old.stop,
					fee_rate: old.fee_rate,
					reported: false,
				})
			});
			T::DbWeight::get().reads_writes(orders, orders)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// The order book's storage v2 → v3.
	pub type MigrateV2ToV3<T> =
		VersionedMigration<2, 3, InnerMigrateV2ToV3<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
