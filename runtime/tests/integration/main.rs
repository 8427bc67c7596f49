//! Runtime integration tests: the runtime's pallets together on the presets' genesis, calls
//! dispatched the way blocks dispatch them. One test binary (one link of the native runtime)
//! with a module per area.

mod consortium;
mod orderbook;
mod settlement;
