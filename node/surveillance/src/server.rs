//! The node's side of `surveillance_*`: [`SurveillanceApiServer`] over the store, and the
//! alert subscription fed by the service through a broadcast channel. Queries run on the RPC
//! server's blocking pool.

use crate::{store::Surveillance, types, Kv, MAX_PAGE};
use jsonrpsee::{
	core::{RpcResult, SubscriptionResult},
	types::{ErrorObject, ErrorObjectOwned},
	PendingSubscriptionSink, SubscriptionMessage,
};
use qingsuan_surveillance_rpc::{
	codes, AccountDay, Alert, AlertKind, Day, LifecycleEntry, LifecycleEvent, OrderLifecycle, Side, Status,
	SurveillanceApiServer,
};
use serde::{de::DeserializeOwned, Serialize};
use std::{marker::PhantomData, sync::Arc};
use tokio::sync::broadcast;

/// The alerts the service raises, to every subscriber.
pub type AlertSender = broadcast::Sender<types::Alert>;

/// A channel for [`AlertSender`]: subscribers lagging more than this many alerts lose the oldest.
pub fn alert_channel() -> AlertSender {
	broadcast::channel(1024).0
}

fn store_error(e: crate::Error) -> ErrorObjectOwned {
	ErrorObject::owned(codes::STORE_ERROR, "surveillance store read failed", Some(e.to_string()))
}

fn limit(value: Option<u32>) -> Result<u32, ErrorObjectOwned> {
	match value.unwrap_or(MAX_PAGE) {
		0 => Err(ErrorObject::owned(codes::INVALID_PARAMS, "limit must be at least 1", None::<()>)),
		n => Ok(n.min(MAX_PAGE)),
	}
}

fn side(s: types::Side) -> Side {
	match s {
		types::Side::Buy => Side::Buy,
		types::Side::Sell => Side::Sell,
	}
}

fn kind_of(k: types::AlertKind) -> AlertKind {
	match k {
		types::AlertKind::HighFrequency => AlertKind::HighFrequency,
		types::AlertKind::QuickCancel => AlertKind::QuickCancel,
		types::AlertKind::Spoofing => AlertKind::Spoofing,
		types::AlertKind::WashTrade => AlertKind::WashTrade,
		types::AlertKind::MatchedTrades => AlertKind::MatchedTrades,
		types::AlertKind::PricePushing => AlertKind::PricePushing,
		types::AlertKind::BandHold => AlertKind::BandHold,
	}
}

fn kind_from(k: AlertKind) -> types::AlertKind {
	match k {
		AlertKind::HighFrequency => types::AlertKind::HighFrequency,
		AlertKind::QuickCancel => types::AlertKind::QuickCancel,
		AlertKind::Spoofing => types::AlertKind::Spoofing,
		AlertKind::WashTrade => types::AlertKind::WashTrade,
		AlertKind::MatchedTrades => types::AlertKind::MatchedTrades,
		AlertKind::PricePushing => types::AlertKind::PricePushing,
		AlertKind::BandHold => types::AlertKind::BandHold,
	}
}

/// A stored alert as the RPC's.
pub fn alert<A: From<[u8; 32]>>(a: &types::Alert) -> Alert<A> {
	Alert {
		id: a.id,
		kind: kind_of(a.kind),
		day: a.day,
		block: a.block,
		time: a.time_ms,
		account: A::from(a.account),
		counterparty: a.counterparty.map(A::from),
		market: a.market,
		detail: a.detail.clone(),
		orders: a.orders.clone(),
		trades: a.trades.clone(),
	}
}

fn entry<A: From<[u8; 32]>>(e: &types::Entry) -> LifecycleEntry<A> {
	let event = match &e.event {
		types::Event::Placed { market, side: s, quantity, limit, stop } => {
			LifecycleEvent::Placed { market: *market, side: side(*s), quantity: *quantity, limit: *limit, stop: *stop }
		},
		types::Event::Replaced { price, quantity } => LifecycleEvent::Replaced { price: *price, quantity: *quantity },
		types::Event::Filled { price, quantity, settlement, maker, counterparty } => LifecycleEvent::Filled {
			price: *price,
			quantity: *quantity,
			settlement: *settlement,
			maker: *maker,
			counterparty: A::from(*counterparty),
		},
		types::Event::Cancelled { remaining, reason } => {
			LifecycleEvent::Cancelled { remaining: *remaining, reason: reason.clone() }
		},
		types::Event::Expired { remaining } => LifecycleEvent::Expired { remaining: *remaining },
		types::Event::Rejected { call, error } => LifecycleEvent::Rejected { call: call.clone(), error: error.clone() },
	};
	LifecycleEntry { order: e.order, block: e.block, time: e.time_ms, event }
}

/// `surveillance_*` over a store on the database `K`, for account ids `A`.
pub struct SurveillanceRpc<K, A> {
	store: Arc<Surveillance<K>>,
	alerts: AlertSender,
	_account: PhantomData<A>,
}

impl<K, A> SurveillanceRpc<K, A> {
	/// Serve `store`, and to subscribers what `alerts` carries.
	pub fn new(store: Arc<Surveillance<K>>, alerts: AlertSender) -> Self {
		Self { store, alerts, _account: PhantomData }
	}
}

#[jsonrpsee::core::async_trait]
impl<K, A> SurveillanceApiServer<A> for SurveillanceRpc<K, A>
where
	K: Kv + Send + Sync + 'static,
	A: From<[u8; 32]> + AsRef<[u8; 32]> + Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
{
	fn status(&self) -> RpcResult<Status> {
		let s = self.store.status().map_err(store_error)?;
		Ok(Status {
			first: s.first,
			last: s.last.map(|(n, _)| n),
			alerts: s.alerts,
			missed: s.missed,
			config: self.store.config().clone(),
		})
	}

	fn alerts(
		&self,
		day: Day,
		account: Option<A>,
		kind: Option<AlertKind>,
		from: Option<u64>,
		limit_: Option<u32>,
	) -> RpcResult<Vec<Alert<A>>> {
		let limit = limit(limit_)?;
		let account = account.map(|a| *a.as_ref());
		let found = self
			.store
			.alerts(day, account.as_ref(), kind.map(kind_from), from.unwrap_or(0), limit)
			.map_err(store_error)?;
		Ok(found.iter().map(alert).collect())
	}

	fn alert(&self, id: u64) -> RpcResult<Option<Alert<A>>> {
		Ok(self.store.alert(id).map_err(store_error)?.as_ref().map(alert))
	}

	fn order(&self, id: u64) -> RpcResult<Option<OrderLifecycle<A>>> {
		Ok(self.store.order(id).map_err(store_error)?.map(|(r, entries)| OrderLifecycle {
			order: id,
			account: A::from(r.account),
			market: r.market,
			side: side(r.side),
			quantity: r.quantity,
			limit: r.limit,
			entries: entries.iter().map(entry).collect(),
		}))
	}

	fn account_day(&self, account: A, day: Day, from: Option<u64>, limit_: Option<u32>) -> RpcResult<AccountDay<A>> {
		let limit = limit(limit_)?;
		let who = *account.as_ref();
		let (total, entries) = self.store.account_day(&who, day, from.unwrap_or(0), limit).map_err(store_error)?;
		let counts = self.store.counts(&who, day).map_err(store_error)?;
		Ok(AccountDay {
			total,
			orders: counts.orders,
			cancels: counts.cancels,
			quick_cancels: counts.quick_cancels,
			entries: entries.iter().map(entry).collect(),
		})
	}

	async fn subscribe_alerts(&self, pending: PendingSubscriptionSink) -> SubscriptionResult {
		let mut alerts = self.alerts.subscribe();
		let sink = pending.accept().await?;
		loop {
			tokio::select! {
				_ = sink.closed() => return Ok(()),
				next = alerts.recv() => match next {
					Ok(a) => {
						let message = SubscriptionMessage::from_json(&alert::<A>(&a))?;
						if sink.send(message).await.is_err() {
							return Ok(());
						}
					},
					Err(broadcast::error::RecvError::Lagged(lost)) => {
						log::warn!(target: "surveillance", "an alert subscriber fell behind and lost {lost} alerts; they remain in surveillance_alerts");
					},
					Err(broadcast::error::RecvError::Closed) => return Ok(()),
				},
			}
		}
	}
}
