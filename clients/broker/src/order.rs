//! Orders from the command line or a CSV row, checked before anything is signed.

use qingsuan_client::{
	api::runtime_types::{
		pallet_orderbook::types::NewOrder,
		qingsuan_matching_engine::types::{OrderType, Side, TimeInForce},
	},
	AccountId32,
};

/// An order's terms, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Terms {
	/// The market.
	pub market: u32,
	/// `buy` or `sell`.
	pub side: String,
	/// Shares.
	pub quantity: u64,
	/// A limit price; none for a market order.
	pub price: Option<u64>,
	/// `gtc`, `ioc`, `fok` or `gtd:<block>`.
	pub tif: String,
	/// Post-only.
	pub post_only: bool,
	/// A market order's protection price.
	pub protection: Option<u64>,
	/// The investor account (SS58), if not the broker's own.
	pub account: Option<String>,
}

/// A buy or sell.
pub fn side(s: &str) -> Result<Side, String> {
	match s.trim().to_ascii_lowercase().as_str() {
		"buy" | "b" => Ok(Side::Buy),
		"sell" | "s" => Ok(Side::Sell),
		other => Err(format!("side must be buy or sell, not {other:?}")),
	}
}

/// A time in force: `gtc`, `ioc`, `fok` or `gtd:<block>`.
pub fn tif(s: &str) -> Result<TimeInForce, String> {
	let s = s.trim().to_ascii_lowercase();
	match s.as_str() {
		"" | "gtc" => Ok(TimeInForce::Gtc),
		"ioc" => Ok(TimeInForce::Ioc),
		"fok" => Ok(TimeInForce::Fok),
		other => match other.strip_prefix("gtd:") {
			Some(block) => block
				.parse()
				.map(TimeInForce::Gtd)
				.map_err(|_| format!("gtd needs a block number (gtd:1200), not {block:?}")),
			None => Err(format!("time in force must be gtc, ioc, fok or gtd:<block>, not {other:?}")),
		},
	}
}

/// An account id in SS58 (or 0x-prefixed hex).
pub fn account(s: &str) -> Result<AccountId32, String> {
	qingsuan_client::accounts::parse(s)
}

impl Terms {
	/// The order as the runtime takes it, or what is wrong with it.
	pub fn to_new_order(&self) -> Result<NewOrder<AccountId32>, String> {
		if self.quantity == 0 {
			return Err("quantity must be at least 1".into());
		}
		let kind = match (self.price, self.protection) {
			(Some(_), Some(_)) => {
				return Err("give a price (limit order) or a protection (market order), not both".into())
			},
			(Some(0), None) => return Err("price must be at least 1".into()),
			(Some(price), None) => OrderType::Limit { price, tif: tif(&self.tif)?, post_only: self.post_only },
			(None, Some(protection)) => {
				if self.post_only {
					return Err("a market order cannot be post-only".into());
				}
				OrderType::Market { protection }
			},
			(None, None) => return Err("a limit order needs a price, a market order a protection".into()),
		};
		Ok(NewOrder {
			market: self.market,
			side: side(&self.side)?,
			quantity: self.quantity,
			kind,
			account: self.account.as_deref().map(account).transpose()?,
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn limit() -> Terms {
		Terms {
			market: 0,
			side: "buy".into(),
			quantity: 100,
			price: Some(150_000),
			tif: "gtc".into(),
			..Terms::default()
		}
	}

	#[test]
	fn good_terms_become_orders() {
		let order = limit().to_new_order().expect("a limit order");
		assert!(matches!(order.kind, OrderType::Limit { price: 150_000, tif: TimeInForce::Gtc, post_only: false }));
		let gtd = Terms { tif: "GTD:1200".into(), ..limit() }.to_new_order().expect("a GTD order");
		assert!(matches!(gtd.kind, OrderType::Limit { tif: TimeInForce::Gtd(1200), .. }));
		let market = Terms { price: None, protection: Some(149_000), side: "SELL".into(), ..limit() };
		assert!(matches!(market.to_new_order().expect("a market order").side, Side::Sell));
	}

	#[test]
	fn bad_terms_name_the_problem() {
		let err = |t: Terms| t.to_new_order().expect_err("refused");
		assert!(err(Terms { side: "hold".into(), ..limit() }).contains("buy or sell"));
		assert!(err(Terms { quantity: 0, ..limit() }).contains("quantity"));
		assert!(err(Terms { price: None, ..limit() }).contains("needs a price"));
		assert!(err(Terms { tif: "day".into(), ..limit() }).contains("time in force"));
		assert!(err(Terms { tif: "gtd:soon".into(), ..limit() }).contains("block number"));
		assert!(err(Terms { account: Some("nobody".into()), ..limit() }).contains("SS58"));
		assert!(err(Terms { protection: Some(1), ..limit() }).contains("not both"));
	}

	#[test]
	fn accounts_in_ss58_or_hex() {
		let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
		assert_eq!(account(alice).expect("SS58").to_string(), alice);
		assert_eq!(account(&format!("0x{}", "01".repeat(32))).expect("hex").0, [1u8; 32]);
	}
}
