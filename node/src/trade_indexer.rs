//! Feeds the node's trade store ([`qingsuan_trade_store`]) from finalized blocks: each block's
//! `TradeSettled` and `InstructionSettled` events, in order, one atomic write per block, on the
//! node's own database (`AuxStore`). It runs on a blocking task of its own and catches up from
//! the store's last block on every start and every finality notification, so a node that was
//! stopped (or killed) resumes where its store ends.

use futures::StreamExt;
use pallet_settlement::{SettledOf, SettlementId};
use pallet_settlement_runtime_api::SettlementApi;
use qingsuan_runtime::{opaque::Block, Runtime, RuntimeEvent};
use qingsuan_trade_store::{Error, Kv, Read, TradeStore};
use sc_client_api::{AuxStore, Backend, BlockchainEvents, StorageProvider};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{storage::StorageKey, H256};
use std::sync::Arc;

/// The runtime's trade store on a client's aux database.
pub type Store<C> = crate::rpc::Store<AuxKv<C>>;

/// A client's aux database (the node's own key-value space beside its blocks and state).
pub struct AuxKv<C>(pub Arc<C>);

impl<C: AuxStore> Read for AuxKv<C> {
	fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, Error> {
		self.0.get_aux(key).map_err(|e| Error::Backend(e.to_string()))
	}
}

impl<C: AuxStore> Kv for AuxKv<C> {
	fn commit(&self, writes: Vec<(Vec<u8>, Vec<u8>)>) -> Result<(), Error> {
		let pairs: Vec<(&[u8], &[u8])> = writes.iter().map(|(k, v)| (&k[..], &v[..])).collect();
		self.0.insert_aux(pairs.iter(), std::iter::empty()).map_err(|e| Error::Backend(e.to_string()))
	}
}

/// The runtime's trade store over `client`'s aux database.
pub fn store<C: AuxStore>(client: Arc<C>) -> Store<C> {
	use qingsuan_runtime::configs::{FeeAccount, TaxAccount};
	TradeStore::new(AuxKv(client), FeeAccount::get(), TaxAccount::get())
}

/// The settlements a block's events announce, in order.
pub fn settlements(
	events: Vec<frame_system::EventRecord<RuntimeEvent, H256>>,
) -> Vec<(SettlementId, SettledOf<Runtime>)> {
	events
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Settlement(e) => e.settlement(),
			_ => None,
		})
		.collect()
}

/// What went wrong indexing a block; the indexer retries at the next finality notification.
type IndexError = String;

fn store_err(e: Error) -> IndexError {
	format!("trade store: {e}")
}

/// Index block `number` into `store`.
fn index_block<C, B>(client: &C, backend: &B, store: &Store<C>, number: u32) -> Result<(), IndexError>
where
	C: HeaderBackend<Block> + StorageProvider<Block, B> + ProvideRuntimeApi<Block> + AuxStore,
	C::Api: SettlementApi<Block>,
	B: Backend<Block>,
{
	let hash = client
		.hash(number)
		.map_err(|e| format!("block {number}: {e}"))?
		.ok_or_else(|| format!("block {number} is finalized but not in the database"))?;
	if !backend.have_state_at(hash, number) {
		log::warn!(target: "trade-store", "block {number}: state pruned before it was indexed; its settlements are missing from the store");
		return store.skip_block(number, hash.0).map_err(store_err);
	}
	let key = StorageKey([sp_io::hashing::twox_128(b"System"), sp_io::hashing::twox_128(b"Events")].concat());
	let raw = client.storage(hash, &key).map_err(|e| format!("block {number}: events: {e}"))?;
	let events = match raw {
		None => Vec::new(),
		Some(data) => match codec::Decode::decode(&mut &data.0[..]) {
			Ok(events) => events,
			Err(e) => {
				// Events of another runtime version than the node's: nothing to do but say so.
				log::error!(target: "trade-store", "block {number}: events do not decode ({e}); its settlements are missing from the store");
				return store.skip_block(number, hash.0).map_err(store_err);
			},
		},
	};
	let entries = settlements(events);
	if entries.is_empty() {
		return store.index_block(number, hash.0, 0, entries).map_err(store_err);
	}
	let api = client.runtime_api();
	let day = api.today(hash).map_err(|e| format!("block {number}: settlement day: {e}"))?;
	store.index_block(number, hash.0, day, entries).map_err(store_err)?;
	// The day's hash chain as the store rebuilt it must be the chain's own.
	if store.complete().map_err(store_err)? {
		let on_chain = api.day_digest(hash, day).map_err(|e| format!("block {number}: day digest: {e}"))?;
		let indexed = store.day_digest(day).map_err(store_err)?;
		if indexed != on_chain {
			log::error!(target: "trade-store", "block {number}: day {day}'s hash chain differs: store {indexed:?}, chain {on_chain:?}");
			store.note_mismatch(day).map_err(store_err)?;
		}
	}
	Ok(())
}

/// Index every finalized block the store does not have yet.
fn catch_up<C, B>(client: &C, backend: &B, store: &Store<C>) -> Result<(), IndexError>
where
	C: HeaderBackend<Block> + StorageProvider<Block, B> + ProvideRuntimeApi<Block> + AuxStore,
	C::Api: SettlementApi<Block>,
	B: Backend<Block>,
{
	let finalized = client.info().finalized_number;
	// Genesis settles nothing: a new store starts at block 1.
	let mut next = store.next_block().map_err(store_err)?.unwrap_or(1);
	while next <= finalized {
		index_block(client, backend, store, next)?;
		next += 1;
	}
	Ok(())
}

/// Follow finality and keep `store` at the finalized head. Runs until the client stops.
pub async fn run<C, B>(client: Arc<C>, backend: Arc<B>, store: Arc<Store<C>>)
where
	C: HeaderBackend<Block> + StorageProvider<Block, B> + ProvideRuntimeApi<Block> + AuxStore,
	C: BlockchainEvents<Block> + Send + Sync + 'static,
	C::Api: SettlementApi<Block>,
	B: Backend<Block>,
{
	let mut finality = client.finality_notification_stream();
	loop {
		if let Err(e) = catch_up(&*client, &*backend, &store) {
			log::error!(target: "trade-store", "indexing stopped, retrying at the next finalized block: {e}");
		}
		if finality.next().await.is_none() {
			return;
		}
	}
}
