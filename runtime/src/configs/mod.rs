//! Configuration of every pallet in the runtime, grouped by area.

mod consensus;
pub mod contracts;
mod governance;
mod market;
mod system;

pub use consensus::SessionKeysInSession;
pub use governance::{ConsortiumOrigin, CouncilCollective, CouncilMotionDuration};
pub use market::{FeeAccount, TaxAccount};
pub use system::{BlockLength, BlockWeights, FeePerByte, FeePerPicosecond, RuntimeBlockWeights, FULL_BLOCK_FEE};
