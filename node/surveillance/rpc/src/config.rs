//! The detectors' thresholds. Defaults follow the SSE and SZSE abnormal-trading rules; a node
//! operator overrides any of them with a JSON file (`--surveillance-config`), whose fields are
//! these in camelCase. Unknown fields are an error, so a misspelt threshold is not ignored.

use serde::{Deserialize, Serialize};

/// Every threshold, with its default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Config {
	/// Orders plus owner cancels of one account within one second that make it high-frequency.
	pub high_frequency_per_second: u32,
	/// ... or within one day.
	pub high_frequency_per_day: u32,
	/// A cancel this soon after its order was placed is a quick cancel (milliseconds).
	pub quick_cancel_ms: u64,
	/// Quick cancels of one account in a day that, with the ratio below, make an alert.
	pub quick_cancel_min_count: u32,
	/// The account's cancels as a share of its orders that day, in percent.
	pub quick_cancel_ratio_percent: u32,
	/// An order at least this large (shares) is a spoofing candidate ...
	pub spoof_min_quantity: u64,
	/// ... when priced within this many basis points of the best price on its side.
	pub spoof_near_bps: u32,
	/// ... and cancelled by its owner within this many milliseconds of being placed ...
	pub spoof_cancel_ms: u64,
	/// ... while its owner trades the other side within this many milliseconds of it.
	pub spoof_window_ms: u64,
	/// Two accounts trading a market both ways within this many milliseconds are matched.
	pub matched_window_ms: u64,
	/// The price-pushing window (milliseconds).
	pub push_window_ms: u64,
	/// A move from the price before the window of at least this many basis points ...
	pub push_move_bps: u32,
	/// ... with one account making at least this share of the window's volume on the side of
	/// the move, in percent.
	pub push_share_percent: u32,
	/// An account's orders at the band limit in a day, in shares, that with the share below
	/// make a band-hold alert.
	pub band_hold_min_quantity: u64,
	/// Its share of all orders at that limit that day, in percent.
	pub band_hold_share_percent: u32,
}

impl Default for Config {
	fn default() -> Self {
		Config {
			high_frequency_per_second: 300,
			high_frequency_per_day: 20_000,
			quick_cancel_ms: 1_000,
			quick_cancel_min_count: 500,
			quick_cancel_ratio_percent: 50,
			spoof_min_quantity: 100_000,
			spoof_near_bps: 100,
			spoof_cancel_ms: 30_000,
			spoof_window_ms: 60_000,
			matched_window_ms: 300_000,
			push_window_ms: 60_000,
			push_move_bps: 200,
			push_share_percent: 30,
			band_hold_min_quantity: 100_000,
			band_hold_share_percent: 30,
		}
	}
}

impl Config {
	/// The configuration in the JSON `text`: the defaults, overridden by its fields.
	pub fn from_json(text: &str) -> Result<Config, String> {
		let config: Config = serde_json::from_str(text).map_err(|e| format!("surveillance config: {e}"))?;
		config.check()?;
		Ok(config)
	}

	/// Whether the thresholds make sense: none that would alert on everything is zero, and
	/// percentages are at most 100.
	pub fn check(&self) -> Result<(), String> {
		let nonzero = [
			("highFrequencyPerSecond", self.high_frequency_per_second as u64),
			("highFrequencyPerDay", self.high_frequency_per_day as u64),
			("quickCancelMinCount", self.quick_cancel_min_count as u64),
			("spoofMinQuantity", self.spoof_min_quantity),
			("pushWindowMs", self.push_window_ms),
			("pushMoveBps", self.push_move_bps as u64),
			("bandHoldMinQuantity", self.band_hold_min_quantity),
		];
		if let Some((name, _)) = nonzero.iter().find(|(_, v)| *v == 0) {
			return Err(format!("surveillance config: {name} must be at least 1"));
		}
		let percents = [
			("quickCancelRatioPercent", self.quick_cancel_ratio_percent),
			("pushSharePercent", self.push_share_percent),
			("bandHoldSharePercent", self.band_hold_share_percent),
		];
		if let Some((name, v)) = percents.iter().find(|(_, v)| *v > 100) {
			return Err(format!("surveillance config: {name} is {v}, more than 100"));
		}
		Ok(())
	}
}
