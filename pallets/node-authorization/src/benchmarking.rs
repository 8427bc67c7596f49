//! Benchmarks of node authorization (FRAME benchmarking v2), each at the worst case of its
//! inputs: peer ids of the longest length, full sets.

use super::*;
use crate::pallet::{AdditionalConnections, OwnedNodes, Owners, WellKnownNodes};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use sp_runtime::traits::StaticLookup;

/// A peer id of the longest length, distinct for each `i`.
fn peer<T: Config>(i: u32) -> PeerId {
	let mut bytes = alloc::vec![0xAB; T::MaxPeerIdLength::get() as usize];
	bytes[..4].copy_from_slice(&i.to_le_bytes());
	PeerId(bytes)
}

/// `n` well-known nodes, owned by one account.
fn well_known<T: Config>(n: u32) -> Result<(), BenchmarkError> {
	let owner: T::AccountId = account("owner", 0, 0);
	let nodes: Vec<_> = (0..n).map(|i| (peer::<T>(1_000 + i), owner.clone())).collect();
	Pallet::<T>::do_reset_well_known_nodes(&nodes)?;
	Ok(())
}

/// The owner origin and its account, owning `MaxNodesPerOwner - 1` nodes already, node 2_000
/// among them.
fn owner<T: Config>() -> Result<(T::RuntimeOrigin, T::AccountId), BenchmarkError> {
	let origin = T::OwnerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
	let who = T::OwnerOrigin::ensure_origin(origin.clone()).map_err(|_| BenchmarkError::Weightless)?;
	// Node 2_000 is the one the benchmarks work on; the others fill the account up.
	Pallet::<T>::do_claim_node(who.clone(), peer::<T>(2_000))?;
	for i in OwnedNodes::<T>::get(&who)..T::MaxNodesPerOwner::get().saturating_sub(1) {
		Pallet::<T>::do_claim_node(who.clone(), peer::<T>(2_001 + i))?;
	}
	Ok((origin, who))
}

/// Consortium origins, or `Weightless` if the runtime cannot make one.
fn consortium<O: EnsureOrigin<R>, R>() -> Result<R, BenchmarkError> {
	O::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

fn full_connections<T: Config>(n: u32) -> BoundedVec<PeerId, T::MaxConnections> {
	let all: Vec<_> = (0..n).map(|i| peer::<T>(3_000 + i)).collect();
	BoundedVec::truncate_from(all)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_well_known_node() -> Result<(), BenchmarkError> {
		well_known::<T>(T::MaxWellKnownNodes::get() - 1)?;
		let origin = consortium::<T::AddOrigin, _>()?;
		let who: T::AccountId = account("new", 0, 0);
		let node = peer::<T>(1);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, node.clone(), T::Lookup::unlookup(who.clone()));
		assert_eq!(Owners::<T>::get(Pallet::<T>::bounded(node)?), Some(who));
		Ok(())
	}

	#[benchmark]
	fn remove_well_known_node() -> Result<(), BenchmarkError> {
		well_known::<T>(T::MaxWellKnownNodes::get())?;
		let origin = consortium::<T::RemoveOrigin, _>()?;
		let node = peer::<T>(1_000);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, node);
		assert_eq!(WellKnownNodes::<T>::get().len() as u32, T::MaxWellKnownNodes::get() - 1);
		Ok(())
	}

	#[benchmark]
	fn swap_well_known_node() -> Result<(), BenchmarkError> {
		well_known::<T>(T::MaxWellKnownNodes::get())?;
		let origin = consortium::<T::SwapOrigin, _>()?;
		let (_, claimer) = owner::<T>()?;
		// The new node was claimed: its claim is replaced.
		let add = peer::<T>(2_000);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, peer::<T>(1_000), add.clone());
		assert!(WellKnownNodes::<T>::get().contains(&Pallet::<T>::bounded(add)?));
		assert_eq!(OwnedNodes::<T>::get(&claimer), T::MaxNodesPerOwner::get().saturating_sub(2));
		Ok(())
	}

	/// Replace a full set by `n` other nodes.
	#[benchmark]
	fn reset_well_known_nodes(n: Linear<1, { T::MaxWellKnownNodes::get() }>) -> Result<(), BenchmarkError> {
		well_known::<T>(T::MaxWellKnownNodes::get())?;
		let origin = consortium::<T::ResetOrigin, _>()?;
		let nodes: Vec<_> = (0..n).map(|i| (peer::<T>(5_000 + i), account("other", i, 0))).collect();
		let nodes = BoundedVec::try_from(nodes).map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, nodes);
		assert_eq!(WellKnownNodes::<T>::get().len() as u32, n);
		Ok(())
	}

	#[benchmark]
	fn claim_node() -> Result<(), BenchmarkError> {
		let (origin, who) = owner::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, peer::<T>(1));
		assert_eq!(OwnedNodes::<T>::get(&who), T::MaxNodesPerOwner::get());
		Ok(())
	}

	#[benchmark]
	fn remove_claim() -> Result<(), BenchmarkError> {
		well_known::<T>(T::MaxWellKnownNodes::get())?;
		let (origin, who) = owner::<T>()?;
		let node = peer::<T>(2_000);
		Pallet::<T>::do_add_connections(
			who.clone(),
			node.clone(),
			full_connections::<T>(T::MaxConnections::get()).into_inner(),
		)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, node.clone());
		assert!(!Owners::<T>::contains_key(Pallet::<T>::bounded(node)?));
		Ok(())
	}

	#[benchmark]
	fn transfer_node() -> Result<(), BenchmarkError> {
		let (origin, _) = owner::<T>()?;
		let node = peer::<T>(2_000);
		let target: T::AccountId = account("target", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, node.clone(), T::Lookup::unlookup(target.clone()));
		assert_eq!(Owners::<T>::get(Pallet::<T>::bounded(node)?), Some(target));
		Ok(())
	}

	/// Add `n` connections to a node that has `MaxConnections - n`.
	#[benchmark]
	fn add_connections(n: Linear<1, { T::MaxConnections::get() }>) -> Result<(), BenchmarkError> {
		let (origin, who) = owner::<T>()?;
		let node = peer::<T>(2_000);
		let before: Vec<_> = (0..T::MaxConnections::get() - n).map(|i| peer::<T>(4_000 + i)).collect();
		Pallet::<T>::do_add_connections(who, node.clone(), before)?;
		let add = full_connections::<T>(n);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, node.clone(), add);
		assert_eq!(AdditionalConnections::<T>::get(Pallet::<T>::bounded(node)?).len() as u32, T::MaxConnections::get());
		Ok(())
	}

	/// Remove `n` connections of a node that has `MaxConnections`.
	#[benchmark]
	fn remove_connections(n: Linear<1, { T::MaxConnections::get() }>) -> Result<(), BenchmarkError> {
		let (origin, who) = owner::<T>()?;
		let node = peer::<T>(2_000);
		let all = full_connections::<T>(T::MaxConnections::get());
		Pallet::<T>::do_add_connections(who, node.clone(), all.clone().into_inner())?;
		let remove = BoundedVec::truncate_from(all.into_inner().into_iter().take(n as usize).collect::<Vec<_>>());
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, node.clone(), remove);
		assert_eq!(
			AdditionalConnections::<T>::get(Pallet::<T>::bounded(node)?).len() as u32,
			T::MaxConnections::get() - n
		);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
