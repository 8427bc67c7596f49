//! The node's JSON-RPC extensions beyond Substrate's standard set.

use jsonrpsee::RpcModule;
use qingsuan_runtime::{opaque::Block, AccountId, Balance, Nonce, Runtime};
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use std::sync::Arc;

/// The node's trade store on the database `K`.
pub type Store<K> = qingsuan_trade_store::TradeStore<K, AccountId, <Runtime as pallet_settlement::Config>::MaxLegs>;

/// What the RPC extensions need.
pub struct FullDeps<C, P, K> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
	/// The node's trade store.
	pub store: Arc<Store<K>>,
	/// The surveillance store and its new alerts, if the node runs surveillance.
	pub surveillance: Option<(Arc<qingsuan_surveillance::Surveillance<K>>, qingsuan_surveillance::server::AlertSender)>,
}

/// Build the RPC extensions: account nonces (`system_accountNextIndex`), fee queries
/// (`payment_queryInfo`), settlement records and reports (`settlement_*`), the order book
/// (`orderbook_*`), the history ones served from the trade store, credit accounts
/// (`margin_*`), and, with surveillance on, its alerts and order lifecycles (`surveillance_*`).
pub fn create_full<C, P, K>(deps: FullDeps<C, P, K>) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>,
	C: HeaderBackend<Block> + HeaderMetadata<Block, Error = BlockChainError> + 'static,
	C: Send + Sync + 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	C::Api: pallet_settlement_runtime_api::SettlementApi<Block>,
	C::Api: pallet_orderbook_runtime_api::OrderbookApi<Block, AccountId, pallet_orderbook::OrderInfoOf<Runtime>>,
	C::Api: pallet_margin_runtime_api::MarginApi<Block, AccountId>,
	P: TransactionPool + 'static,
	K: qingsuan_trade_store::Kv + Send + Sync + 'static,
{
	use pallet_margin_rpc::{server::Margin, MarginApiServer};
	use pallet_orderbook_rpc::{server::Orderbook, OrderbookApiServer};
	use pallet_settlement_rpc::{server::Settlement, SettlementApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, store, surveillance } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Settlement::<_, Block, _, _, _>::new(client.clone(), store.clone()).into_rpc())?;
	module.merge(Orderbook::<_, Block, _, _, _>::new(client.clone(), store).into_rpc())?;
	module.merge(Margin::<C, Block>::new(client).into_rpc())?;
	if let Some((store, alerts)) = surveillance {
		use qingsuan_surveillance::server::SurveillanceRpc;
		use qingsuan_surveillance_rpc::SurveillanceApiServer;
		module.merge(SurveillanceRpc::<K, AccountId>::new(store, alerts).into_rpc())?;
	}

	Ok(module)
}

/// The RPC methods an observer does not serve: every one that submits, broadcasts or watches a
/// transaction, touches the keystore, writes offchain storage, or changes peers or logging.
pub const OBSERVER_REMOVED: &[&str] = &[
	"author_submitExtrinsic",
	"author_submitAndWatchExtrinsic",
	"author_unwatchExtrinsic",
	"author_insertKey",
	"author_rotateKeys",
	"author_rotateKeysWithOwner",
	"author_removeExtrinsic",
	"author_hasKey",
	"author_hasSessionKeys",
	"transaction_v1_broadcast",
	"transaction_v1_stop",
	"transactionWatch_v1_submitAndWatch",
	"transactionWatch_v1_unwatch",
	"offchain_localStorageSet",
	"offchain_localStorageClear",
	"system_addReservedPeer",
	"system_removeReservedPeer",
	"system_addLogFilter",
	"system_resetLogFilter",
];

/// What an observer may serve, reviewed method by method: a method name starting with one of
/// these, once [`OBSERVER_REMOVED`] are gone. (`system_*` is reads only after the removals:
/// health, peers, roles, properties, `accountNextIndex`, `dryRun`.)
const OBSERVER_READS: &[&str] = &[
	"chain_",
	"state_",
	"childstate_",
	"archive_v1_",
	"chainHead_v1_",
	"chainSpec_v1_",
	"bitswap_v1_",
	"system_",
	"payment_",
	"settlement_",
	"orderbook_",
	"margin_",
	"surveillance_",
	"offchain_localStorageGet",
	"author_pendingExtrinsics",
	"subscribe_newHead",
	"unsubscribe_newHead",
	"account_nextIndex",
];

/// Remove every write method from `module`; fail, naming them, if any method is left that is
/// not a reviewed read (a new method from an SDK upgrade is refused until someone reviews it).
pub fn observer_module(mut module: RpcModule<()>) -> Result<RpcModule<()>, String> {
	for name in OBSERVER_REMOVED {
		module.remove_method(name);
	}
	let unreviewed: Vec<&str> =
		module.method_names().filter(|name| !OBSERVER_READS.iter().any(|read| name.starts_with(read))).collect();
	if unreviewed.is_empty() {
		Ok(module)
	} else {
		Err(format!("--observer: RPC methods not reviewed as read-only: {}", unreviewed.join(", ")))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn an_observer_module_loses_every_write_and_refuses_an_unreviewed_method() {
		let mut module = RpcModule::new(());
		for name in ["chain_getBlock", "author_submitExtrinsic", "transaction_v1_broadcast", "settlement_today"] {
			module.register_method(name, |_, _, _| "ok").expect("a new name");
		}
		let observer = observer_module(module).expect("only reviewed methods are left");
		let left: Vec<&str> = observer.method_names().collect();
		assert_eq!(left.len(), 2, "{left:?}");
		assert!(left.contains(&"chain_getBlock") && left.contains(&"settlement_today"));

		let mut module = RpcModule::new(());
		module.register_method("dev_setStorage", |_, _, _| "ok").expect("a new name");
		let err = observer_module(module).expect_err("an unreviewed method stops the observer");
		assert!(err.contains("dev_setStorage"), "{err}");
	}
}
