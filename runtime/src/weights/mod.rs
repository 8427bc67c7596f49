//! Weights measured on this chain's reference machine by `scripts/benchmark-weights.sh`:
//!
//! - `benchmark overhead`: the cost of an empty block and the base cost of every extrinsic
//!   (decoding, signature check, nonce, fee), which the block limits use;
//! - `benchmark storage --database paritydb`: the cost of a read and a write of the node's
//!   database (ParityDB), measured on the dev genesis
//!   grown to the state of a busy chain (300,000 ledger balances, 100,000 settlement records;
//!   `scripts/realistic-state.py`), which every pallet weight adds per storage access.

#[allow(missing_docs)] // generated
pub mod block_weights;
#[allow(missing_docs)] // generated
pub mod extrinsic_weights;

#[allow(missing_docs, unused_doc_comments)] // generated
pub mod paritydb_weights;

pub use block_weights::BlockExecutionWeight;
pub use extrinsic_weights::ExtrinsicBaseWeight;
pub use paritydb_weights::constants::ParityDbWeight;
