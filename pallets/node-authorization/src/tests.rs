//! Every call's bad origin, errors and success; the bounds; each scenario ends with the
//! invariants.

use crate::{mock::*, AdditionalConnections, Error, Event, OwnedNodes, Owners, PeerId, WellKnownNodes};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use sp_runtime::DispatchError;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn stored(p: &PeerId) -> crate::PeerIdOf<Test> {
	NodeAuthorization::bounded(p.clone()).unwrap()
}

fn peers(bytes: &[u8]) -> BoundedVec<PeerId, frame_support::traits::ConstU32<3>> {
	BoundedVec::try_from(bytes.iter().map(|b| peer(*b)).collect::<Vec<_>>()).unwrap()
}

#[test]
fn the_consortium_manages_the_well_known_set() {
	run_test(|| {
		assert_noop!(NodeAuthorization::add_well_known_node(signed(ALICE), peer(30), BOB), DispatchError::BadOrigin);
		assert_noop!(
			NodeAuthorization::add_well_known_node(signed(CONSORTIUM), PeerId(vec![0; 9]), BOB),
			Error::<Test>::PeerIdTooLong
		);
		assert_noop!(
			NodeAuthorization::add_well_known_node(signed(CONSORTIUM), peer(10), BOB),
			Error::<Test>::AlreadyJoined
		);
		assert_ok!(NodeAuthorization::add_well_known_node(signed(CONSORTIUM), peer(30), BOB));
		System::assert_last_event(Event::NodeAdded { peer_id: peer(30), who: BOB }.into());
		assert_ok!(NodeAuthorization::add_well_known_node(signed(CONSORTIUM), peer(40), BOB));
		assert_noop!(
			NodeAuthorization::add_well_known_node(signed(CONSORTIUM), peer(50), BOB),
			Error::<Test>::TooManyNodes
		);

		assert_noop!(NodeAuthorization::remove_well_known_node(signed(BOB), peer(30)), DispatchError::BadOrigin);
		assert_noop!(NodeAuthorization::remove_well_known_node(signed(CONSORTIUM), peer(50)), Error::<Test>::NotExist);
		assert_ok!(NodeAuthorization::remove_well_known_node(signed(CONSORTIUM), peer(30)));
		assert_eq!(Owners::<Test>::get(stored(&peer(30))), None);

		assert_noop!(
			NodeAuthorization::swap_well_known_node(signed(BOB), peer(40), peer(50)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			NodeAuthorization::swap_well_known_node(signed(CONSORTIUM), peer(50), peer(60)),
			Error::<Test>::NotExist
		);
		assert_noop!(
			NodeAuthorization::swap_well_known_node(signed(CONSORTIUM), peer(40), peer(10)),
			Error::<Test>::AlreadyJoined
		);
		assert_ok!(NodeAuthorization::swap_well_known_node(signed(CONSORTIUM), peer(40), peer(50)));
		assert_eq!(Owners::<Test>::get(stored(&peer(50))), Some(BOB));
		assert_eq!(Owners::<Test>::get(stored(&peer(40))), None);
		assert_eq!(OwnedNodes::<Test>::get(BOB), 2);
	});
}

/// Upstream left the old well-known nodes' owners behind on a reset.
#[test]
fn a_reset_replaces_the_set_and_its_owners() {
	run_test(|| {
		let nodes = |v: Vec<(PeerId, u64)>| BoundedVec::try_from(v).unwrap();
		assert_noop!(NodeAuthorization::reset_well_known_nodes(signed(ALICE), nodes(vec![])), DispatchError::BadOrigin);
		assert_noop!(
			NodeAuthorization::reset_well_known_nodes(
				signed(CONSORTIUM),
				nodes(vec![(peer(30), BOB), (peer(30), ALICE)])
			),
			Error::<Test>::DuplicateNode
		);
		assert_ok!(NodeAuthorization::claim_node(signed(ALICE), peer(1)));
		assert_ok!(NodeAuthorization::reset_well_known_nodes(signed(CONSORTIUM), nodes(vec![(peer(30), BOB)])));
		assert_eq!(WellKnownNodes::<Test>::get().into_iter().collect::<Vec<_>>(), vec![stored(&peer(30))]);
		assert_eq!(Owners::<Test>::get(stored(&peer(10))), None, "the old set's owners are gone");
		assert_eq!(Owners::<Test>::get(stored(&peer(1))), Some(ALICE), "a claim outside the set stays");
		assert_eq!((OwnedNodes::<Test>::get(ALICE), OwnedNodes::<Test>::get(BOB)), (1, 1));
	});
}

/// Regression (hardening review, defect 2): any funded account could claim nodes and grow a
/// node's connections without bound. Owners now need the owner origin (a member), and every
/// set is bounded.
#[test]
fn only_members_own_nodes_within_bounds() {
	run_test(|| {
		assert_noop!(NodeAuthorization::claim_node(signed(OUTSIDER), peer(1)), DispatchError::BadOrigin);
		assert_noop!(NodeAuthorization::claim_node(signed(ALICE), PeerId(vec![1; 9])), Error::<Test>::PeerIdTooLong);
		assert_noop!(NodeAuthorization::claim_node(signed(ALICE), peer(20)), Error::<Test>::AlreadyClaimed);
		// Alice owns node 10 already; two more claims reach her bound of 3.
		assert_ok!(NodeAuthorization::claim_node(signed(ALICE), peer(1)));
		System::assert_last_event(Event::NodeClaimed { peer_id: peer(1), who: ALICE }.into());
		assert_ok!(NodeAuthorization::claim_node(signed(ALICE), peer(2)));
		assert_noop!(NodeAuthorization::claim_node(signed(ALICE), peer(3)), Error::<Test>::TooManyOwnedNodes);

		assert_noop!(
			NodeAuthorization::add_connections(signed(OUTSIDER), peer(1), peers(&[5])),
			DispatchError::BadOrigin
		);
		assert_noop!(NodeAuthorization::add_connections(signed(BOB), peer(1), peers(&[5])), Error::<Test>::NotOwner);
		assert_noop!(
			NodeAuthorization::add_connections(signed(ALICE), peer(9), peers(&[5])),
			Error::<Test>::NotClaimed
		);
		// Itself is skipped; a fourth connection is over the bound of 3.
		assert_ok!(NodeAuthorization::add_connections(signed(ALICE), peer(1), peers(&[1, 5, 6])));
		assert_ok!(NodeAuthorization::add_connections(signed(ALICE), peer(1), peers(&[7])));
		assert_noop!(
			NodeAuthorization::add_connections(signed(ALICE), peer(1), peers(&[8])),
			Error::<Test>::TooManyConnections
		);
		assert_eq!(NodeAuthorization::authorized_nodes(&stored(&peer(1))), vec![peer(5), peer(6), peer(7)]);

		assert_noop!(NodeAuthorization::remove_connections(signed(BOB), peer(1), peers(&[5])), Error::<Test>::NotOwner);
		assert_ok!(NodeAuthorization::remove_connections(signed(ALICE), peer(1), peers(&[5, 6, 7])));
		assert!(!AdditionalConnections::<Test>::contains_key(stored(&peer(1))), "no empty sets are kept");

		// A transfer respects the receiver's bound.
		assert_noop!(NodeAuthorization::transfer_node(signed(BOB), peer(1), BOB), Error::<Test>::NotOwner);
		assert_ok!(NodeAuthorization::transfer_node(signed(ALICE), peer(1), BOB));
		System::assert_last_event(Event::NodeTransferred { peer_id: peer(1), target: BOB }.into());
		assert_ok!(NodeAuthorization::claim_node(signed(BOB), peer(3)));
		assert_noop!(NodeAuthorization::transfer_node(signed(ALICE), peer(2), BOB), Error::<Test>::TooManyOwnedNodes);

		assert_noop!(NodeAuthorization::remove_claim(signed(OUTSIDER), peer(2)), DispatchError::BadOrigin);
		assert_noop!(NodeAuthorization::remove_claim(signed(BOB), peer(2)), Error::<Test>::NotOwner);
		assert_noop!(NodeAuthorization::remove_claim(signed(ALICE), peer(10)), Error::<Test>::PermissionDenied);
		assert_ok!(NodeAuthorization::remove_claim(signed(ALICE), peer(2)));
		System::assert_last_event(Event::ClaimRemoved { peer_id: peer(2), who: ALICE }.into());
		assert_eq!(OwnedNodes::<Test>::get(ALICE), 1);
	});
}

#[test]
fn a_well_known_node_is_authorized_to_the_others_and_its_connections() {
	run_test(|| {
		assert_ok!(NodeAuthorization::add_connections(signed(ALICE), peer(10), peers(&[5])));
		assert_eq!(NodeAuthorization::authorized_nodes(&stored(&peer(10))), vec![peer(5), peer(20)]);
		assert_eq!(NodeAuthorization::authorized_nodes(&stored(&peer(20))), vec![peer(10)]);
		assert_eq!(NodeAuthorization::authorized_nodes(&stored(&peer(99))), Vec::<PeerId>::new());
	});
}
