//! The store's keys: every one starts with [`PREFIX`], then a one-byte tag.

use crate::types::{Account, AlertKind, Day, OrderId};

/// Every key of the surveillance store starts with this (version 1 of its layout).
pub const PREFIX: &[u8] = b"qs/surveillance/1/";

fn key(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
	let mut k = PREFIX.to_vec();
	k.push(tag);
	for p in parts {
		k.extend_from_slice(p);
	}
	k
}

/// How far the store has come.
pub fn status() -> Vec<u8> {
	key(b's', &[])
}

/// The detectors' working state.
pub fn window() -> Vec<u8> {
	key(b'w', &[])
}

/// An order's record.
pub fn order(id: OrderId) -> Vec<u8> {
	key(b'o', &[&id.to_be_bytes()])
}

/// The list of an order's lifecycle entries.
pub fn order_entries(id: OrderId) -> Vec<u8> {
	key(b'e', &[&id.to_be_bytes()])
}

/// The list of an account's lifecycle entries of a day.
pub fn account_entries(day: Day, account: &Account) -> Vec<u8> {
	key(b'E', &[&day.to_be_bytes(), account])
}

/// An account's counts of a day.
pub fn counts(day: Day, account: &Account) -> Vec<u8> {
	key(b'c', &[&day.to_be_bytes(), account])
}

/// An alert.
pub fn alert(id: u64) -> Vec<u8> {
	key(b'a', &[&id.to_be_bytes()])
}

/// The list of a day's alert ids.
pub fn day_alerts(day: Day) -> Vec<u8> {
	key(b'D', &[&day.to_be_bytes()])
}

/// The list of a day's alert ids of one kind.
pub fn kind_alerts(day: Day, kind: AlertKind) -> Vec<u8> {
	key(b'K', &[&day.to_be_bytes(), &[kind.tag()]])
}

/// The list of a day's alert ids about one account.
pub fn account_alerts(day: Day, account: &Account) -> Vec<u8> {
	key(b'A', &[&day.to_be_bytes(), account])
}
