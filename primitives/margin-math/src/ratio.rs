//! The maintenance guarantee ratio (维持担保比例) and the lines it is measured against.

use crate::{mul_div_floor, Amount, Bps};

/// The maintenance ratio of a credit account with `assets` (cash and the market value of every
/// security in it) against `liabilities` (financing debt, borrowed shares at their marks,
/// interest and fees), rounded down; `None` when it owes nothing (an infinite ratio).
pub fn maintenance_ratio(assets: Amount, liabilities: Amount) -> Option<Bps> {
	(liabilities > 0).then(|| Bps(mul_div_floor(assets, 10_000, liabilities)))
}

/// The lines, as parameters; [`Lines::default`] is the exchanges' defaults.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Lines {
	/// Below it, a warning (150%).
	pub warning: Bps,
	/// Below it at the day's close, a margin call (130%).
	pub call: Bps,
	/// Below it at any time, forced liquidation (110%).
	pub instant: Bps,
	/// Above it, collateral may be withdrawn (300%).
	pub withdrawal: Bps,
}

impl Default for Lines {
	fn default() -> Self {
		Lines { warning: Bps(15_000), call: Bps(13_000), instant: Bps(11_000), withdrawal: Bps(30_000) }
	}
}

impl Lines {
	/// Whether the lines are in their order: instant < call < warning < withdrawal, and the
	/// instant line above 100% (below it, selling everything no longer repays the debt).
	pub fn are_ordered(&self) -> bool {
		Bps(10_000) < self.instant
			&& self.instant < self.call
			&& self.call < self.warning
			&& self.warning < self.withdrawal
	}
}

/// Where a ratio stands against the lines.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Zone {
	/// Below the instant-liquidation line.
	Instant,
	/// Below the margin-call line.
	Call,
	/// Below the warning line.
	Warning,
	/// At or above the warning line (or no debt).
	Safe,
}

/// The zone of `ratio` (`None`: no debt).
pub fn zone(ratio: Option<Bps>, lines: &Lines) -> Zone {
	match ratio {
		None => Zone::Safe,
		Some(r) if r < lines.instant => Zone::Instant,
		Some(r) if r < lines.call => Zone::Call,
		Some(r) if r < lines.warning => Zone::Warning,
		Some(_) => Zone::Safe,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	/// The design's worked example: cash 100,000, 1,000 Moutai at 1,500 and then at 1,200, debt
	/// 1,000,000 and interest 1,000.
	#[test]
	fn the_worked_example() {
		let debt = 1_000_000 + 1_000;
		assert_eq!(maintenance_ratio(100_000 + 1_000 * 1_500, debt), Some(Bps(15_984)));
		assert_eq!(maintenance_ratio(100_000 + 1_000 * 1_200, debt), Some(Bps(12_987)));
		let lines = Lines::default();
		assert_eq!(zone(maintenance_ratio(1_600_000, debt), &lines), Zone::Safe);
		assert_eq!(zone(maintenance_ratio(1_300_000, debt), &lines), Zone::Call);
	}

	#[test]
	fn zones_follow_the_lines_at_their_edges() {
		let lines = Lines::default();
		assert!(lines.are_ordered());
		assert_eq!(zone(None, &lines), Zone::Safe);
		assert_eq!(zone(Some(Bps(15_000)), &lines), Zone::Safe);
		assert_eq!(zone(Some(Bps(14_999)), &lines), Zone::Warning);
		assert_eq!(zone(Some(Bps(13_000)), &lines), Zone::Warning);
		assert_eq!(zone(Some(Bps(12_999)), &lines), Zone::Call);
		assert_eq!(zone(Some(Bps(10_999)), &lines), Zone::Instant);
		assert_eq!(maintenance_ratio(5, 0), None);
		assert_eq!(maintenance_ratio(0, 5), Some(Bps(0)));
		assert!(!Lines { instant: Bps(10_000), ..lines }.are_ordered());
	}
}
