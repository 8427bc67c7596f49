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
}

/// Build the RPC extensions: account nonces (`system_accountNextIndex`), fee queries
/// (`payment_queryInfo`), settlement records and reports (`settlement_*`), the order book
/// (`orderbook_*`), the history ones served from the trade store, and credit accounts
/// (`margin_*`).
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
	let FullDeps { client, pool, store } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Settlement::<_, Block, _, _, _>::new(client.clone(), store.clone()).into_rpc())?;
	module.merge(Orderbook::<_, Block, _, _, _>::new(client.clone(), store).into_rpc())?;
	module.merge(Margin::<C, Block>::new(client).into_rpc())?;

	Ok(module)
}
