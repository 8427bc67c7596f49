//! The logic behind the calls, the off-chain worker's peer list and the invariants.

use crate::{
	AdditionalConnections, Config, Error, Event, OwnedNodes, Owners, Pallet, PeerId, PeerIdOf, WellKnownNodes,
	WellKnownOf,
};
use alloc::{collections::btree_set::BTreeSet, vec::Vec};
use codec::Decode;
use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// `node` as stored, or `PeerIdTooLong`.
	pub fn bounded(node: PeerId) -> Result<PeerIdOf<T>, DispatchError> {
		PeerIdOf::<T>::try_from(node.0).map_err(|_| Error::<T>::PeerIdTooLong.into())
	}

	fn unbounded(node: PeerIdOf<T>) -> PeerId {
		PeerId(node.into_inner())
	}

	/// Make `owner` the owner of `node`, keeping the counts. `bounded`: refuse an owner that
	/// owns `MaxNodesPerOwner` already (claims and transfers; the consortium is not bound).
	fn set_owner(node: &PeerIdOf<T>, owner: &T::AccountId, bounded: bool) -> DispatchResult {
		if let Some(old) = Owners::<T>::get(node) {
			if &old == owner {
				return Ok(());
			}
			Self::count_down(&old);
		}
		let owned = OwnedNodes::<T>::get(owner);
		ensure!(!bounded || owned < T::MaxNodesPerOwner::get(), Error::<T>::TooManyOwnedNodes);
		OwnedNodes::<T>::insert(owner, owned.saturating_add(1));
		Owners::<T>::insert(node, owner);
		Ok(())
	}

	/// Forget `node`'s owner and connections.
	fn forget(node: &PeerIdOf<T>) {
		if let Some(old) = Owners::<T>::take(node) {
			Self::count_down(&old);
		}
		AdditionalConnections::<T>::remove(node);
	}

	fn count_down(owner: &T::AccountId) {
		OwnedNodes::<T>::mutate_exists(owner, |n| *n = n.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0));
	}

	/// The consortium adds a well-known node.
	pub fn do_add_well_known_node(node: PeerId, owner: T::AccountId) -> DispatchResult {
		let peer = Self::bounded(node.clone())?;
		let mut nodes = WellKnownNodes::<T>::get();
		ensure!(!nodes.contains(&peer), Error::<T>::AlreadyJoined);
		nodes.try_insert(peer.clone()).map_err(|_| Error::<T>::TooManyNodes)?;
		WellKnownNodes::<T>::put(nodes);
		Self::set_owner(&peer, &owner, false)?;
		Self::deposit_event(Event::NodeAdded { peer_id: node, who: owner });
		Ok(())
	}

	/// The consortium removes a well-known node.
	pub fn do_remove_well_known_node(node: PeerId) -> DispatchResult {
		let peer = Self::bounded(node.clone())?;
		let mut nodes = WellKnownNodes::<T>::get();
		ensure!(nodes.remove(&peer), Error::<T>::NotExist);
		WellKnownNodes::<T>::put(nodes);
		Self::forget(&peer);
		Self::deposit_event(Event::NodeRemoved { peer_id: node });
		Ok(())
	}

	/// The consortium swaps a well-known node for another.
	pub fn do_swap_well_known_node(remove: PeerId, add: PeerId) -> DispatchResult {
		let (old, new) = (Self::bounded(remove.clone())?, Self::bounded(add.clone())?);
		if old == new {
			return Ok(());
		}
		let mut nodes = WellKnownNodes::<T>::get();
		ensure!(nodes.contains(&old), Error::<T>::NotExist);
		ensure!(!nodes.contains(&new), Error::<T>::AlreadyJoined);
		nodes.remove(&old);
		nodes.try_insert(new.clone()).map_err(|_| Error::<T>::TooManyNodes)?;
		WellKnownNodes::<T>::put(nodes);
		// The new node takes over the old one's owner and connections; a claim on the new one
		// is replaced.
		let owner = Owners::<T>::get(&old);
		let connections = AdditionalConnections::<T>::take(&old);
		Self::forget(&old);
		Self::forget(&new);
		if let Some(owner) = owner {
			Self::set_owner(&new, &owner, false)?;
		}
		AdditionalConnections::<T>::insert(&new, connections);
		Self::deposit_event(Event::NodeSwapped { removed: remove, added: add });
		Ok(())
	}

	/// Replace the well-known set (genesis, and the consortium).
	pub fn do_reset_well_known_nodes(nodes: &[(PeerId, T::AccountId)]) -> DispatchResult {
		let mut set = WellKnownOf::<T>::new();
		let mut owned = Vec::with_capacity(nodes.len());
		for (node, owner) in nodes {
			let peer = Self::bounded(node.clone())?;
			ensure!(!set.contains(&peer), Error::<T>::DuplicateNode);
			set.try_insert(peer.clone()).map_err(|_| Error::<T>::TooManyNodes)?;
			owned.push((peer, owner));
		}
		for old in WellKnownNodes::<T>::get() {
			Self::forget(&old);
		}
		WellKnownNodes::<T>::put(set);
		for (peer, owner) in owned {
			Self::set_owner(&peer, owner, false)?;
		}
		Ok(())
	}

	/// `who` claims `node`.
	pub fn do_claim_node(who: T::AccountId, node: PeerId) -> DispatchResult {
		let peer = Self::bounded(node.clone())?;
		ensure!(!Owners::<T>::contains_key(&peer), Error::<T>::AlreadyClaimed);
		Self::set_owner(&peer, &who, true)?;
		Self::deposit_event(Event::NodeClaimed { peer_id: node, who });
		Ok(())
	}

	/// The owned node `node` of `who`, as stored, or why not.
	fn owned(who: &T::AccountId, node: PeerId) -> Result<PeerIdOf<T>, DispatchError> {
		let peer = Self::bounded(node)?;
		let owner = Owners::<T>::get(&peer).ok_or(Error::<T>::NotClaimed)?;
		ensure!(&owner == who, Error::<T>::NotOwner);
		Ok(peer)
	}

	/// `who` gives up its claim on `node`.
	pub fn do_remove_claim(who: T::AccountId, node: PeerId) -> DispatchResult {
		let peer = Self::owned(&who, node.clone())?;
		ensure!(!WellKnownNodes::<T>::get().contains(&peer), Error::<T>::PermissionDenied);
		Self::forget(&peer);
		Self::deposit_event(Event::ClaimRemoved { peer_id: node, who });
		Ok(())
	}

	/// `who` gives `node` to `owner`.
	pub fn do_transfer_node(who: T::AccountId, node: PeerId, owner: T::AccountId) -> DispatchResult {
		let peer = Self::owned(&who, node.clone())?;
		Self::set_owner(&peer, &owner, true)?;
		Self::deposit_event(Event::NodeTransferred { peer_id: node, target: owner });
		Ok(())
	}

	/// `who` lets `node` connect to `connections` too (itself excepted).
	pub fn do_add_connections(who: T::AccountId, node: PeerId, connections: Vec<PeerId>) -> DispatchResult {
		let peer = Self::owned(&who, node.clone())?;
		let mut allowed = AdditionalConnections::<T>::get(&peer);
		for other in &connections {
			let other = Self::bounded(other.clone())?;
			if other != peer {
				allowed.try_insert(other).map_err(|_| Error::<T>::TooManyConnections)?;
			}
		}
		AdditionalConnections::<T>::insert(&peer, allowed);
		Self::deposit_event(Event::ConnectionsAdded { peer_id: node, allowed_connections: connections });
		Ok(())
	}

	/// `who` no longer lets `node` connect to `connections`.
	pub fn do_remove_connections(who: T::AccountId, node: PeerId, connections: Vec<PeerId>) -> DispatchResult {
		let peer = Self::owned(&who, node.clone())?;
		let mut allowed = AdditionalConnections::<T>::get(&peer);
		for other in &connections {
			allowed.remove(&Self::bounded(other.clone())?);
		}
		if allowed.is_empty() {
			AdditionalConnections::<T>::remove(&peer);
		} else {
			AdditionalConnections::<T>::insert(&peer, allowed);
		}
		Self::deposit_event(Event::ConnectionsRemoved { peer_id: node, allowed_connections: connections });
		Ok(())
	}

	/// The peers `node` may connect to: the other well-known nodes if it is one, and its
	/// additional connections.
	pub fn authorized_nodes(node: &PeerIdOf<T>) -> Vec<PeerId> {
		let mut nodes: BTreeSet<PeerIdOf<T>> = AdditionalConnections::<T>::get(node).into_iter().collect();
		let well_known = WellKnownNodes::<T>::get();
		if well_known.contains(node) {
			nodes.extend(well_known.into_iter().filter(|n| n != node));
		}
		nodes.into_iter().map(Self::unbounded).collect()
	}

	/// The off-chain worker: hand this node's authorized peers to its networking.
	pub(crate) fn authorize_peers(now: frame_system::pallet_prelude::BlockNumberFor<T>) {
		let state = match sp_io::offchain::network_state() {
			Ok(state) => state,
			Err(()) => {
				log::error!(target: "runtime::node-authorization", "no network state at block {now:?}");
				return;
			},
		};
		let Ok(Ok(node)) = Vec::<u8>::decode(&mut &state.peer_id.0[..]).map(PeerIdOf::<T>::try_from) else {
			log::error!(target: "runtime::node-authorization", "cannot decode this node's peer id at block {now:?}");
			return;
		};
		sp_io::offchain::set_authorized_nodes(Self::authorized_nodes(&node), true);
	}

	/// Check every invariant of the pallet.
	///
	/// # Invariants
	///
	/// - every well-known node has an owner;
	/// - `OwnedNodes` counts each account's nodes in `Owners`, and keeps no zero entries;
	/// - every node with additional connections has an owner, and none lists itself.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		for node in WellKnownNodes::<T>::get() {
			ensure!(Owners::<T>::contains_key(&node), "a well-known node without an owner");
		}
		let mut owned: alloc::collections::btree_map::BTreeMap<T::AccountId, u32> = Default::default();
		for (_, owner) in Owners::<T>::iter() {
			*owned.entry(owner).or_default() += 1;
		}
		let counted: alloc::collections::btree_map::BTreeMap<_, _> = OwnedNodes::<T>::iter().collect();
		ensure!(counted == owned, "owned-node counts differ from the owners");
		for (node, connections) in AdditionalConnections::<T>::iter() {
			ensure!(Owners::<T>::contains_key(&node), "connections of a node without an owner");
			ensure!(!connections.contains(&node), "a node lists itself as a connection");
		}
		Ok(())
	}
}
