//! Feeds the surveillance store ([`qingsuan_surveillance`]) from finalized blocks, as the
//! trade indexer feeds the trade store: each block's order-book events in order, its refused
//! order-book and margin calls, and the facts the detectors need from state (each touched
//! market's best prices and band before the block, the beneficial owner of each account that
//! traded), one atomic write per block on the node's aux database. New alerts go to the
//! `surveillance_subscribeAlerts` subscribers. It catches up from the store's head on every
//! start and every finality notification.

use crate::trade_indexer::AuxKv;
use futures::StreamExt;
use pallet_orderbook::{CancelReason, Event as OrderbookEvent};
use pallet_orderbook_runtime_api::OrderbookApi;
use pallet_settlement_runtime_api::SettlementApi;
use qingsuan_runtime::{
	opaque::Block, AccountId, Runtime, RuntimeCall, RuntimeError, RuntimeEvent, UncheckedExtrinsic,
};
use qingsuan_surveillance::{server::AlertSender, BlockInput, Config, Input, MarketView, Side, Surveillance};
use sc_client_api::{AuxStore, Backend, BlockBackend, BlockchainEvents, StorageProvider};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{storage::StorageKey, H256};
use sp_runtime::traits::Header as _;
use std::{
	collections::{BTreeMap, BTreeSet},
	sync::Arc,
};

/// The surveillance store on a client's aux database.
pub type Store<C> = Surveillance<AuxKv<C>>;

/// The surveillance store over `client`'s aux database, detecting with `config`.
pub fn store<C: AuxStore>(client: Arc<C>, config: Config) -> Store<C> {
	Surveillance::new(AuxKv(client), config)
}

type EventRecord = frame_system::EventRecord<RuntimeEvent, H256>;
/// What went wrong reading a block; the service retries at the next finality notification.
type ReadError = String;

fn side(s: pallet_orderbook::Side) -> Side {
	match s {
		pallet_orderbook::Side::Buy => Side::Buy,
		pallet_orderbook::Side::Sell => Side::Sell,
	}
}

fn account(a: &AccountId) -> [u8; 32] {
	*a.as_ref()
}

/// `Pallet::Error` for a dispatch error of this runtime, else its debug text.
pub fn error_name(error: &sp_runtime::DispatchError) -> String {
	match RuntimeError::from_dispatch_error(*error) {
		// `Orderbook(PriceOutsideBand)` -> `Orderbook::PriceOutsideBand`
		Some(e) => format!("{e:?}").replacen('(', "::", 1).trim_end_matches(')').to_string(),
		None => format!("{error:?}"),
	}
}

/// `Pallet.call` of a call.
fn call_name(call: &RuntimeCall) -> String {
	use frame_support::traits::GetCallMetadata;
	let meta = call.get_call_metadata();
	format!("{}.{}", meta.pallet_name, meta.function_name)
}

/// The signer and the call of each extrinsic of the block body, where it decodes and is signed.
fn signed_calls(body: &[qingsuan_runtime::opaque::UncheckedExtrinsic]) -> Vec<Option<(AccountId, RuntimeCall)>> {
	body.iter()
		.map(|opaque| {
			let xt: UncheckedExtrinsic = codec::Decode::decode(&mut &codec::Encode::encode(opaque)[..]).ok()?;
			match xt.preamble {
				sp_runtime::generic::Preamble::Signed(sp_runtime::MultiAddress::Id(who), _, _) => {
					Some((who, xt.function))
				},
				_ => None,
			}
		})
		.collect()
}

fn is_trading_call(call: &RuntimeCall) -> bool {
	matches!(call, RuntimeCall::Orderbook(_) | RuntimeCall::Margin(_))
}

/// The order-book events of `events`, and the refused trading calls, as the store's input.
/// `calls` are the block's extrinsics' signers and calls.
fn inputs(events: &[EventRecord], calls: &[Option<(AccountId, RuntimeCall)>]) -> Vec<Input> {
	let mut out = Vec::new();
	// A batch's failed items come before its `BatchCompleted`, which names the broker.
	let mut failed_items: Vec<(u32, String)> = Vec::new();
	for record in events {
		let extrinsic = match record.phase {
			frame_system::Phase::ApplyExtrinsic(i) => calls.get(i as usize).and_then(|c| c.as_ref()),
			_ => None,
		};
		match &record.event {
			RuntimeEvent::Orderbook(e) => match e {
				OrderbookEvent::OrderPlaced { order_id, market, who, side: s, quantity, kind, stop } => {
					out.push(Input::Placed {
						order: *order_id,
						market: *market,
						account: account(who),
						side: side(*s),
						quantity: *quantity,
						limit: match kind {
							pallet_orderbook::OrderType::Limit { price, .. } => Some(*price),
							pallet_orderbook::OrderType::Market { .. } => None,
						},
						stop: stop.is_some(),
					})
				},
				OrderbookEvent::OrderFilled {
					market,
					maker_order,
					taker_order,
					maker,
					taker,
					taker_side,
					price,
					quantity,
					settlement,
				} => out.push(Input::Filled {
					market: *market,
					maker_order: *maker_order,
					taker_order: *taker_order,
					maker: account(maker),
					taker: account(taker),
					taker_side: side(*taker_side),
					price: *price,
					quantity: *quantity,
					settlement: *settlement,
				}),
				OrderbookEvent::OrderReplaced { order_id, price, quantity, .. } => {
					out.push(Input::Replaced { order: *order_id, price: *price, quantity: *quantity })
				},
				OrderbookEvent::OrderCancelled { order_id, who, remaining, reason } => out.push(Input::Cancelled {
					order: *order_id,
					account: account(who),
					remaining: *remaining,
					by_owner: *reason == CancelReason::ByOwner,
					reason: match reason {
						CancelReason::PlacementFailed(e) => format!("PlacementFailed({})", error_name(e)),
						other => format!("{other:?}"),
					},
				}),
				OrderbookEvent::OrderExpired { order_id, who, remaining } => {
					out.push(Input::Expired { order: *order_id, account: account(who), remaining: *remaining })
				},
				OrderbookEvent::BatchItemFailed { index, error } => failed_items.push((*index, error_name(error))),
				OrderbookEvent::BatchCompleted { who, .. } => {
					let call = extrinsic.map(|(_, c)| call_name(c)).unwrap_or_else(|| "Orderbook.batch".into());
					for (index, error) in failed_items.drain(..) {
						out.push(Input::Rejected { account: account(who), call: format!("{call}[{index}]"), error });
					}
				},
				_ => {},
			},
			RuntimeEvent::System(frame_system::Event::ExtrinsicFailed { dispatch_error, .. }) => {
				if let Some((who, call)) = extrinsic.filter(|(_, c)| is_trading_call(c)) {
					out.push(Input::Rejected {
						account: account(who),
						call: call_name(call),
						error: error_name(dispatch_error),
					});
				}
			},
			_ => {},
		}
	}
	out
}

fn storage_value<C, B, T: codec::Decode>(
	client: &C,
	hash: H256,
	key: Vec<u8>,
	what: &str,
) -> Result<Option<T>, ReadError>
where
	C: StorageProvider<Block, B>,
	B: Backend<Block>,
{
	match client.storage(hash, &StorageKey(key)).map_err(|e| format!("{what}: {e}"))? {
		None => Ok(None),
		Some(data) => T::decode(&mut &data.0[..]).map(Some).map_err(|e| format!("{what} does not decode: {e}")),
	}
}

fn plain_key(pallet: &[u8], item: &[u8]) -> Vec<u8> {
	[sp_io::hashing::twox_128(pallet), sp_io::hashing::twox_128(item)].concat()
}

/// The store's input for block `number`, or `None` if its state is gone (pruned before the
/// service reached it).
fn block_input<C, B>(client: &C, backend: &B, number: u32) -> Result<Option<BlockInput>, ReadError>
where
	C: HeaderBackend<Block> + BlockBackend<Block> + StorageProvider<Block, B> + ProvideRuntimeApi<Block>,
	C::Api: SettlementApi<Block> + OrderbookApi<Block, AccountId, pallet_orderbook::OrderInfoOf<Runtime>>,
	B: Backend<Block>,
{
	let hash = client
		.hash(number)
		.map_err(|e| format!("block {number}: {e}"))?
		.ok_or_else(|| format!("block {number} is finalized but not in the database"))?;
	let header = client
		.header(hash)
		.map_err(|e| format!("block {number}: {e}"))?
		.ok_or_else(|| format!("block {number}: no header"))?;
	let parent = *header.parent_hash();
	if !backend.have_state_at(hash, number) || !backend.have_state_at(parent, number.saturating_sub(1)) {
		return Ok(None);
	}
	let events: Vec<EventRecord> =
		match storage_value(client, hash, plain_key(b"System", b"Events"), &format!("block {number}: events")) {
			Ok(events) => events.unwrap_or_default(),
			Err(e) => {
				log::error!(target: "surveillance", "{e}; the block's orders are missing from the store");
				return Ok(None);
			},
		};
	let time_ms: u64 = storage_value(client, hash, plain_key(b"Timestamp", b"Now"), "timestamp")?.unwrap_or_default();
	// The body names the call and signer of a refusal (a failed extrinsic, or a batch's failed
	// item); most blocks have none, so it is read and decoded only for those that do.
	let refusals = events.iter().any(|r| {
		matches!(
			r.event,
			RuntimeEvent::System(frame_system::Event::ExtrinsicFailed { .. })
				| RuntimeEvent::Orderbook(OrderbookEvent::BatchItemFailed { .. })
		)
	});
	let calls = if refusals {
		signed_calls(&client.block_body(hash).map_err(|e| format!("block {number}: body: {e}"))?.unwrap_or_default())
	} else {
		Vec::new()
	};
	let events_in = inputs(&events, &calls);
	// Every block's day, events or not: the detectors' day-scoped state follows it.
	let day = client.runtime_api().today(hash).map_err(|e| format!("block {number}: settlement day: {e}"))?;
	let mut block = BlockInput { number, hash: hash.0, time_ms, day, events: events_in, ..Default::default() };
	let mut markets = BTreeSet::new();
	let mut traders = BTreeSet::new();
	// One API instance per block: the markets (and replaced orders) as they stood before it.
	let before = client.runtime_api();
	for input in &block.events {
		match input {
			Input::Placed { market, .. } => {
				markets.insert(*market);
			},
			Input::Replaced { order, .. } => {
				let live = before.order(parent, *order).map_err(|e| format!("block {number}: order {order}: {e}"))?;
				markets.extend(live.map(|o| o.market));
			},
			Input::Filled { market, maker, taker, .. } => {
				markets.insert(*market);
				traders.extend([*maker, *taker]);
			},
			_ => {},
		}
	}
	for market in markets {
		let info = before.market(parent, market).map_err(|e| format!("block {number}: market {market}: {e}"))?;
		let depth = before.depth(parent, market, 1).map_err(|e| format!("block {number}: depth of {market}: {e}"))?;
		let Some(info) = info else { continue }; // created in this block
		let (band_low, band_high) = info.band_limits();
		block.markets.insert(
			market,
			MarketView {
				best_bid: depth.as_ref().and_then(|d| d.bids.first()).map(|l| l.price),
				best_ask: depth.as_ref().and_then(|d| d.asks.first()).map(|l| l.price),
				last_price: info.last_price,
				band_low,
				band_high,
			},
		);
	}
	block.owners = owners(client, hash, traders)?;
	Ok(Some(block))
}

/// The beneficial owner of each of `accounts` that is a credit account (its investor account).
fn owners<C, B>(client: &C, hash: H256, accounts: BTreeSet<[u8; 32]>) -> Result<BTreeMap<[u8; 32], [u8; 32]>, ReadError>
where
	C: StorageProvider<Block, B>,
	B: Backend<Block>,
{
	let mut out = BTreeMap::new();
	for a in accounts {
		let key = pallet_investors::Registry::<Runtime>::hashed_key_for(AccountId::from(a));
		let info: Option<pallet_investors::InvestorOf<Runtime>> =
			storage_value(client, hash, key, "investor registry")?;
		if let Some(owner) = info.and_then(|i| i.credit_of) {
			out.insert(a, account(&owner));
		}
	}
	Ok(out)
}

/// Take every finalized block the store does not have yet; send the alerts they raise.
fn catch_up<C, B>(client: &C, backend: &B, store: &Store<C>, alerts: &AlertSender) -> Result<(), ReadError>
where
	C: HeaderBackend<Block> + BlockBackend<Block> + StorageProvider<Block, B> + ProvideRuntimeApi<Block> + AuxStore,
	C::Api: SettlementApi<Block> + OrderbookApi<Block, AccountId, pallet_orderbook::OrderInfoOf<Runtime>>,
	B: Backend<Block>,
{
	let finalized = client.info().finalized_number;
	let mut next = store.next_block().map_err(|e| format!("surveillance store: {e}"))?.unwrap_or(1);
	while next <= finalized {
		match block_input(client, backend, next)? {
			Some(block) => {
				let raised = store.index_block(&block).map_err(|e| format!("surveillance store: {e}"))?;
				for alert in raised {
					log::info!(target: "surveillance", "alert {} {}: {}", alert.id, alert.kind.name(), alert.detail);
					// No subscriber is not an error: the alert is in the store.
					let _ = alerts.send(alert);
				}
			},
			None => {
				log::warn!(target: "surveillance", "block {next}: state pruned before surveillance read it; its orders are missing");
				let hash = client.hash(next).ok().flatten().unwrap_or_default();
				store.skip_block(next, hash.0).map_err(|e| format!("surveillance store: {e}"))?;
			},
		}
		next += 1;
	}
	Ok(())
}

/// Follow finality and keep `store` at the finalized head. Runs until the client stops.
pub async fn run<C, B>(client: Arc<C>, backend: Arc<B>, store: Arc<Store<C>>, alerts: AlertSender)
where
	C: HeaderBackend<Block> + BlockBackend<Block> + StorageProvider<Block, B> + ProvideRuntimeApi<Block> + AuxStore,
	C: BlockchainEvents<Block> + Send + Sync + 'static,
	C::Api: SettlementApi<Block> + OrderbookApi<Block, AccountId, pallet_orderbook::OrderInfoOf<Runtime>>,
	B: Backend<Block>,
{
	let mut finality = client.finality_notification_stream();
	loop {
		if let Err(e) = catch_up(&*client, &*backend, &store, &alerts) {
			log::error!(target: "surveillance", "surveillance stopped, retrying at the next finalized block: {e}");
		}
		if finality.next().await.is_none() {
			return;
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use frame_system::Phase;

	fn record(phase: Phase, event: RuntimeEvent) -> EventRecord {
		EventRecord { phase, event, topics: vec![] }
	}

	#[test]
	fn events_and_refused_calls_become_the_stores_input() {
		let (alice, bob) = (AccountId::from([1; 32]), AccountId::from([2; 32]));
		let band: sp_runtime::DispatchError = pallet_orderbook::Error::<Runtime>::PriceOutsideBand.into();
		assert_eq!(error_name(&band), "Orderbook::PriceOutsideBand");
		assert_eq!(error_name(&sp_runtime::DispatchError::BadOrigin), "BadOrigin");
		let calls = vec![
			Some((
				alice.clone(),
				RuntimeCall::Orderbook(pallet_orderbook::Call::cancel_orders { order_ids: Default::default() }),
			)),
			Some((bob.clone(), RuntimeCall::Orderbook(pallet_orderbook::Call::cancel_order { order_id: 9 }))),
			Some((bob.clone(), RuntimeCall::System(frame_system::Call::remark { remark: vec![] }))),
		];
		let ob = |e| RuntimeEvent::Orderbook(e);
		let failed = |e| {
			RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
				dispatch_error: e,
				dispatch_info: Default::default(),
			})
		};
		let events = vec![
			record(
				Phase::ApplyExtrinsic(0),
				ob(pallet_orderbook::Event::OrderCancelled {
					order_id: 4,
					who: alice.clone(),
					remaining: 100,
					reason: CancelReason::ByOwner,
				}),
			),
			record(Phase::ApplyExtrinsic(0), ob(pallet_orderbook::Event::BatchItemFailed { index: 1, error: band })),
			record(
				Phase::ApplyExtrinsic(0),
				ob(pallet_orderbook::Event::BatchCompleted { who: alice.clone(), succeeded: 1, failed: 1 }),
			),
			record(Phase::ApplyExtrinsic(1), failed(pallet_orderbook::Error::<Runtime>::UnknownOrder.into())),
			// A failed call of another pallet is not a trading refusal.
			record(Phase::ApplyExtrinsic(2), failed(sp_runtime::DispatchError::BadOrigin)),
			record(
				Phase::Finalization,
				ob(pallet_orderbook::Event::OrderCancelled {
					order_id: 5,
					who: bob.clone(),
					remaining: 100,
					reason: CancelReason::PlacementFailed(band),
				}),
			),
		];
		let got = inputs(&events, &calls);
		assert_eq!(
			got,
			vec![
				Input::Cancelled {
					order: 4,
					account: [1; 32],
					remaining: 100,
					by_owner: true,
					reason: "ByOwner".into()
				},
				Input::Rejected {
					account: [1; 32],
					call: "Orderbook.cancel_orders[1]".into(),
					error: "Orderbook::PriceOutsideBand".into()
				},
				Input::Rejected {
					account: [2; 32],
					call: "Orderbook.cancel_order".into(),
					error: "Orderbook::UnknownOrder".into()
				},
				Input::Cancelled {
					order: 5,
					account: [2; 32],
					remaining: 100,
					by_owner: false,
					reason: "PlacementFailed(Orderbook::PriceOutsideBand)".into()
				},
			]
		);
	}
}
