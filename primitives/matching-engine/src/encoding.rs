//! SCALE encoding of a book, as the pallet stores it.
//!
//! A book encodes as `(rules, bids, asks)` where each side is a `Vec<(Price, Vec<RestingOrder>)>`
//! of its levels by ascending price, each level's orders oldest first. The index is not stored:
//! decoding rebuilds it. Decoding checks the book's invariants, so no byte string decodes into a
//! book that breaks them.

use alloc::{collections::btree_map::BTreeMap, collections::VecDeque, vec::Vec};
use codec::{Compact, Decode, Encode, Error, Input, MaxEncodedLen, Output};
use scale_info::{build::Fields, Path, Type, TypeInfo, TypeParameter};

use crate::{
	book::{Book, Level},
	types::{MarketRules, Price, RestingOrder},
};

fn encode_side<A: Encode, T: Output + ?Sized>(levels: &BTreeMap<Price, Level<A>>, dest: &mut T) {
	Compact(levels.len() as u32).encode_to(dest);
	for (price, level) in levels {
		price.encode_to(dest);
		Compact(level.queue.len() as u32).encode_to(dest);
		for order in &level.queue {
			order.encode_to(dest);
		}
	}
}

impl<A: Encode> Encode for Book<A> {
	fn size_hint(&self) -> usize {
		let orders: usize =
			self.bids.values().chain(self.asks.values()).flat_map(|l| l.queue.iter()).map(|o| o.size_hint()).sum();
		self.rules.size_hint() + 10 + (self.bids.len() + self.asks.len()) * 13 + orders
	}

	fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
		self.rules.encode_to(dest);
		encode_side(&self.bids, dest);
		encode_side(&self.asks, dest);
	}
}

impl<A: Decode + Clone + PartialEq> Decode for Book<A> {
	fn decode<I: Input>(input: &mut I) -> Result<Self, Error> {
		let rules = MarketRules::decode(input)?;
		if rules.tick == 0 || rules.lot == 0 {
			return Err("market rules with a zero tick or lot".into());
		}
		let mut book = Book::new(rules);
		for side in [crate::Side::Buy, crate::Side::Sell] {
			let levels = Compact::<u32>::decode(input)?.0;
			let mut previous: Option<Price> = None;
			for _ in 0..levels {
				let price = Price::decode(input)?;
				if previous.is_some_and(|p| p >= price) {
					return Err("price levels not in ascending order".into());
				}
				previous = Some(price);
				let count = Compact::<u32>::decode(input)?.0;
				if count == 0 {
					return Err("empty price level".into());
				}
				let mut level = Level { total: 0, queue: VecDeque::new() };
				for _ in 0..count {
					let order = RestingOrder::<A>::decode(input)?;
					if book.index.insert(order.id, (side, price)).is_some() {
						return Err("order id repeated".into());
					}
					level.total += u128::from(order.remaining);
					level.queue.push_back(order);
				}
				match side {
					crate::Side::Buy => book.bids.insert(price, level),
					crate::Side::Sell => book.asks.insert(price, level),
				};
			}
		}
		book.check_invariants().map_err(Error::from)?;
		Ok(book)
	}
}

impl<A: TypeInfo + 'static> TypeInfo for Book<A> {
	type Identity = Self;

	fn type_info() -> Type {
		Type::builder()
			.path(Path::new("Book", module_path!()))
			.type_params(alloc::vec![TypeParameter::new("A", Some(scale_info::meta_type::<A>()))])
			.composite(
				Fields::named()
					.field(|f| f.ty::<MarketRules>().name("rules").type_name("MarketRules"))
					.field(|f| {
						f.ty::<Vec<(Price, Vec<RestingOrder<A>>)>>()
							.name("bids")
							.type_name("Vec<(Price, Vec<RestingOrder<A>>)>")
					})
					.field(|f| {
						f.ty::<Vec<(Price, Vec<RestingOrder<A>>)>>()
							.name("asks")
							.type_name("Vec<(Price, Vec<RestingOrder<A>>)>")
					}),
			)
	}
}

/// The largest encoding of a book holding at most `orders` resting orders (each at its own
/// price, the worst case).
pub fn max_encoded_len<A: MaxEncodedLen>(orders: u32) -> usize {
	let orders = orders as usize;
	MarketRules::max_encoded_len()
		+ 2 * Compact::<u32>::max_encoded_len()
		+ orders * (Price::max_encoded_len() + Compact::<u32>::max_encoded_len() + RestingOrder::<A>::max_encoded_len())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::*;

	#[test]
	fn book_round_trips_and_bad_encodings_are_refused() {
		let rules = MarketRules { tick: 1, lot: 1, stp: SelfTradePrevention::CancelOldest };
		let mut book = Book::<u8>::new(rules);
		let mut out = Execution::default();
		for (id, side, price) in [(1, Side::Buy, 10), (2, Side::Buy, 10), (3, Side::Sell, 12)] {
			let kind = OrderType::Limit { price, tif: TimeInForce::Gtd(50), post_only: id == 2 };
			book.place(OrderRequest { id, owner: id as u8, side, quantity: 5, kind }, 0, 10, &mut out).unwrap();
		}
		let bytes = book.encode();
		assert!(bytes.len() <= max_encoded_len::<u8>(3));
		let decoded = Book::<u8>::decode(&mut &bytes[..]).unwrap();
		assert_eq!(decoded, book);
		assert_eq!(decoded.get(2), book.get(2));
		// Hand-made encodings that break an invariant are refused.
		let order = |id: u64| RestingOrder { id, owner: 1u8, remaining: 5, expires_at: None, post_only: false };
		let encode = |bids: Vec<(u64, Vec<RestingOrder<u8>>)>, asks: Vec<(u64, Vec<RestingOrder<u8>>)>| {
			(rules, bids, asks).encode()
		};
		let good = encode(vec![(10, vec![order(1)])], vec![(12, vec![order(2)])]);
		assert!(Book::<u8>::decode(&mut &good[..]).is_ok());
		for bad in [
			encode(vec![(20, vec![order(1)])], vec![(12, vec![order(2)])]), // crossed
			encode(vec![(10, vec![order(1)])], vec![(12, vec![order(1)])]), // repeated id
			encode(vec![(10, vec![])], vec![]),                             // empty level
			encode(vec![(11, vec![order(1)]), (10, vec![order(2)])], vec![]), // out of order
			encode(vec![(0, vec![order(1)])], vec![]),                      // zero price
			encode(vec![(10, vec![RestingOrder { remaining: 0, ..order(1) }])], vec![]), // empty order
		] {
			assert!(Book::<u8>::decode(&mut &bad[..]).is_err());
		}
	}
}
