//! Weights of the node-authorization calls. Replaced by `scripts/benchmark-weights.sh`.

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_node_authorization`.
pub trait WeightInfo {
	fn add_well_known_node() -> Weight;
	fn remove_well_known_node() -> Weight;
	fn swap_well_known_node() -> Weight;
	fn reset_well_known_nodes(n: u32) -> Weight;
	fn claim_node() -> Weight;
	fn remove_claim() -> Weight;
	fn transfer_node() -> Weight;
	fn add_connections(n: u32) -> Weight;
	fn remove_connections(n: u32) -> Weight;
}

/// Until generated: the database accesses alone.
impl WeightInfo for () {
	fn add_well_known_node() -> Weight {
		RocksDbWeight::get().reads_writes(3, 3)
	}
	fn remove_well_known_node() -> Weight {
		RocksDbWeight::get().reads_writes(3, 4)
	}
	fn swap_well_known_node() -> Weight {
		RocksDbWeight::get().reads_writes(6, 7)
	}
	fn reset_well_known_nodes(n: u32) -> Weight {
		RocksDbWeight::get().reads_writes(3, 3).saturating_mul(n.into())
	}
	fn claim_node() -> Weight {
		RocksDbWeight::get().reads_writes(2, 2)
	}
	fn remove_claim() -> Weight {
		RocksDbWeight::get().reads_writes(3, 3)
	}
	fn transfer_node() -> Weight {
		RocksDbWeight::get().reads_writes(3, 3)
	}
	fn add_connections(_n: u32) -> Weight {
		RocksDbWeight::get().reads_writes(2, 1)
	}
	fn remove_connections(_n: u32) -> Weight {
		RocksDbWeight::get().reads_writes(2, 1)
	}
}

/// Until generated: the database accesses alone, at the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn add_well_known_node() -> Weight {
		T::DbWeight::get().reads_writes(3, 3)
	}
	fn remove_well_known_node() -> Weight {
		T::DbWeight::get().reads_writes(3, 4)
	}
	fn swap_well_known_node() -> Weight {
		T::DbWeight::get().reads_writes(6, 7)
	}
	fn reset_well_known_nodes(n: u32) -> Weight {
		T::DbWeight::get().reads_writes(3, 3).saturating_mul(n.into())
	}
	fn claim_node() -> Weight {
		T::DbWeight::get().reads_writes(2, 2)
	}
	fn remove_claim() -> Weight {
		T::DbWeight::get().reads_writes(3, 3)
	}
	fn transfer_node() -> Weight {
		T::DbWeight::get().reads_writes(3, 3)
	}
	fn add_connections(_n: u32) -> Weight {
		T::DbWeight::get().reads_writes(2, 1)
	}
	fn remove_connections(_n: u32) -> Weight {
		T::DbWeight::get().reads_writes(2, 1)
	}
}
