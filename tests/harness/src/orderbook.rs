//! The order book for member brokers' tools: calls to place and cancel orders, and the
//! `orderbook_*` RPC reads (depth, open orders, recent trades) with ledger balances.

use crate::{Chain, ClientError};
use pallet_orderbook::{MarketId, NewOrder, OrderId, OrderType, Quantity, Side};
use qingsuan_runtime::{AccountId, Runtime, RuntimeCall};
use serde_json::{json, Value};
use sp_core::{crypto::Ss58Codec, H256};

/// The order-book call of this runtime.
pub type Call = pallet_orderbook::Call<Runtime>;

/// A `place_order` call for the signing broker's own account.
pub fn place_order(market: MarketId, side: Side, quantity: Quantity, kind: OrderType) -> RuntimeCall {
	place_order_for(None, market, side, quantity, kind)
}

/// A `place_order` call for `account`: one of the signing broker's investors (`None`: its own).
pub fn place_order_for(
	account: Option<AccountId>,
	market: MarketId,
	side: Side,
	quantity: Quantity,
	kind: OrderType,
) -> RuntimeCall {
	RuntimeCall::Orderbook(Call::place_order { market, side, quantity, kind, account })
}

/// A `place_orders` batch call; `None` if there are more orders than the runtime's batch limit.
pub fn place_orders(orders: Vec<NewOrder<AccountId>>) -> Option<RuntimeCall> {
	Some(RuntimeCall::Orderbook(Call::place_orders { orders: orders.try_into().ok()? }))
}

/// A `cancel_order` call.
pub fn cancel_order(order_id: OrderId) -> RuntimeCall {
	RuntimeCall::Orderbook(Call::cancel_order { order_id })
}

fn at_param(at: Option<H256>) -> Value {
	at.map_or(Value::Null, |h| json!(format!("{h:?}")))
}

/// The best `levels` levels of each side of `market` (`orderbook_depth`).
pub fn depth(chain: &Chain, market: MarketId, levels: u32, at: Option<H256>) -> Result<Value, ClientError> {
	chain.rpc().call("orderbook_depth", json!([market, levels, at_param(at)]))
}

/// The live orders of `who` (`orderbook_openOrders`).
pub fn open_orders(chain: &Chain, who: &AccountId, at: Option<H256>) -> Result<Vec<Value>, ClientError> {
	let v = chain.rpc().call("orderbook_openOrders", json!([who.to_ss58check(), at_param(at)]))?;
	serde_json::from_value(v).map_err(|e| ClientError::Decode(e.to_string()))
}

/// `market`'s most recent trades, newest first (`orderbook_recentTrades`).
pub fn recent_trades(chain: &Chain, market: MarketId, limit: u32) -> Result<Vec<Value>, ClientError> {
	let v = chain.rpc().call("orderbook_recentTrades", json!([market, limit]))?;
	serde_json::from_value(v).map_err(|e| ClientError::Decode(e.to_string()))
}

/// `who`'s free and held balance of the ledger asset `asset` (at the best block, or at `at`).
pub fn ledger_balance(
	chain: &Chain,
	asset: u32,
	who: &AccountId,
	at: Option<H256>,
) -> Result<(u128, u128), ClientError> {
	let key = pallet_ledger::Accounts::<Runtime>::hashed_key_for(asset, who);
	let account: Option<pallet_ledger::AccountOf<Runtime>> = chain.storage(&key, at)?;
	Ok(account.map(|a| (a.free, a.holds.iter().map(|h| h.amount).sum())).unwrap_or_default())
}
