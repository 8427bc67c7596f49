//! # qs-contract
//!
//! The contract developer's client for a Qingsuan node, as a library and as the `qs-contract`
//! command:
//!
//! - [`project`]: a new project with the Solidity SDK (`ISettlement.sol`, `Settlement.sol`), the
//!   example contracts and the pinned solc-js; compilation to artifacts (ABI and EVM bytecode);
//! - [`abi`]: arguments, return values, reverts and logs through an artifact's ABI;
//! - [`chain`]: deployment, calls and reads (each dry-run first through `ReviveApi`), a
//!   contract's logs, a broker's approval of a contract (`settlement.approveContract`) and its
//!   reclaim of what a terminated contract held (`settlement.reclaimContractHold`);
//! - [`address`]: accounts and contract addresses, mapped as the runtime maps them.

pub mod abi;
pub mod address;
pub mod chain;
pub mod project;
