//! Weights measured on this chain's reference machine by `scripts/benchmark-weights.sh`
//! (`qingsuan-node benchmark overhead`): the cost of an empty block and the base cost of every
//! extrinsic (decoding, signature check, nonce, fee), which the block limits below use.
//!
//! The database weights stay Substrate's reference `RocksDbWeight`: `benchmark storage` on the
//! dev chain's ~60-key state is dominated by the runtime code blob and says little about a real
//! state (its figures are in the README).

#[allow(missing_docs)] // generated
pub mod block_weights;
#[allow(missing_docs)] // generated
pub mod extrinsic_weights;

pub use block_weights::BlockExecutionWeight;
pub use extrinsic_weights::ExtrinsicBaseWeight;
