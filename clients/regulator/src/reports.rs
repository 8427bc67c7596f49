//! The day's reports: trades and instructions settled, net positions, and the cash assets'
//! flows, as rows written as JSON or CSV.

use crate::{
	cli::{Format, Output},
	Failure,
};
use qingsuan_client::{
	api::runtime_types::pallet_ledger::types::InstrumentKind,
	pallet_settlement_rpc::{Record, Settled, SettlementApiClient},
	AccountId32, Client,
};
use serde::Serialize;
use std::io::Write;

fn node(e: impl std::fmt::Display) -> Failure {
	Failure::Node(e.to_string())
}

/// One settlement: an exchange trade, or an instruction with its legs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SettlementRow {
	/// The settlement's id.
	pub id: u64,
	/// The block that made it.
	pub block: u32,
	/// Its settlement day.
	pub day: u32,
	/// `trade`, `instruction` or `contract`.
	pub kind: String,
	/// A trade's buyer.
	pub buyer: String,
	/// A trade's seller.
	pub seller: String,
	/// A trade's security.
	pub security: Option<u32>,
	/// A trade's cash asset.
	pub cash: Option<u32>,
	/// A trade's quantity.
	pub quantity: String,
	/// A trade's price.
	pub price: String,
	/// A trade's `quantity × price`.
	pub cash_amount: String,
	/// The buyer's handling fee.
	pub buyer_fee: String,
	/// The seller's handling fee.
	pub seller_fee: String,
	/// The seller's stamp duty.
	pub stamp_duty: String,
	/// An instruction's id.
	pub instruction: Option<u64>,
	/// The settling contract's account.
	pub contract: String,
	/// An instruction's or a contract's legs: `from>to:asset:amount`, separated by `;`.
	pub legs: String,
}

/// Legs as one CSV cell: `from>to:asset:amount`, separated by `;`.
fn legs_cell(legs: &[qingsuan_client::pallet_settlement_rpc::Leg<AccountId32>]) -> String {
	legs.iter().map(|l| format!("{}>{}:{}:{}", l.from, l.to, l.asset, l.amount)).collect::<Vec<_>>().join(";")
}

impl From<Record<AccountId32>> for SettlementRow {
	fn from(r: Record<AccountId32>) -> Self {
		let row = SettlementRow { id: r.id, block: r.block, day: r.day, ..Default::default() };
		match r.settled {
			Settled::Trade(t) => SettlementRow {
				kind: "trade".into(),
				buyer: t.buyer.to_string(),
				seller: t.seller.to_string(),
				security: Some(t.security),
				cash: Some(t.cash),
				quantity: t.quantity,
				price: t.price,
				cash_amount: t.cash_amount,
				buyer_fee: t.buyer_fee,
				seller_fee: t.seller_fee,
				stamp_duty: t.stamp_duty,
				..row
			},
			Settled::Instruction { instruction, legs } => SettlementRow {
				kind: "instruction".into(),
				instruction: Some(instruction),
				legs: legs_cell(&legs),
				..row
			},
			Settled::Contract { contract, legs } => {
				SettlementRow { kind: "contract".into(), contract: contract.to_string(), legs: legs_cell(&legs), ..row }
			},
		}
	}
}

/// The settlement day `day`, or today at the finalized head.
pub async fn day_or_today(client: &Client, day: Option<u32>) -> Result<u32, Failure> {
	match day {
		Some(day) => Ok(day),
		None => {
			let (_, head) = client.finalized_block().await.map_err(node)?;
			client.settlement().today(Some(head)).await.map_err(node)
		},
	}
}

/// Every finalized settlement of `day`, from the node's trade store.
pub async fn settlements(client: &Client, day: u32) -> Result<Vec<SettlementRow>, Failure> {
	Ok(client.day_settlements(day).await.map_err(node)?.into_iter().map(SettlementRow::from).collect())
}

/// One account's movements of one asset over the day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NetRow {
	/// The settlement day.
	pub day: u32,
	/// The account.
	pub account: String,
	/// The asset.
	pub asset: u32,
	/// Received.
	pub received: String,
	/// Delivered or paid, fees included.
	pub delivered: String,
	/// `received - delivered`.
	pub net: String,
}

/// Every net position of `day`.
pub async fn net_positions(client: &Client, day: u32) -> Result<Vec<NetRow>, Failure> {
	let positions = client.day_net_positions(day).await.map_err(node)?;
	Ok(positions
		.into_iter()
		.map(|p| NetRow {
			day,
			account: p.account.to_string(),
			asset: p.asset,
			received: p.received,
			delivered: p.delivered,
			net: p.net,
		})
		.collect())
}

/// A cash asset's flows through its bank.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CashRow {
	/// The finalized block read.
	pub block: u64,
	/// The cash asset.
	pub asset: u32,
	/// Its currency code.
	pub currency: String,
	/// Its issuing bank.
	pub bank: String,
	/// Every deposit the bank confirmed.
	pub deposited: String,
	/// Every withdrawal the bank confirmed.
	pub withdrawn: String,
}

/// Every cash asset's confirmed flows, at the finalized head.
pub async fn cash(client: &Client) -> Result<Vec<CashRow>, Failure> {
	let (block, head) = client.finalized_block().await.map_err(node)?;
	let mut rows = Vec::new();
	for (asset, info) in client.instruments(Some(head)).await.map_err(node)? {
		let InstrumentKind::Cash(c) = info.kind else { continue };
		let totals = client.settlement().cash_totals(asset, Some(head)).await.map_err(node)?;
		rows.push(CashRow {
			block,
			asset,
			currency: String::from_utf8_lossy(&c.currency).into_owned(),
			bank: c.bank.to_string(),
			deposited: totals.deposited,
			withdrawn: totals.withdrawn,
		});
	}
	Ok(rows)
}

/// Write `rows` as `output` says: a JSON array, or CSV with a header.
pub fn write<R: Serialize>(rows: &[R], output: &Output) -> Result<(), Failure> {
	let mut sink: Box<dyn Write> = match &output.output {
		Some(path) => Box::new(
			std::fs::File::create(path).map_err(|e| Failure::Input(format!("cannot write {}: {e}", path.display())))?,
		),
		None => Box::new(std::io::stdout().lock()),
	};
	let failed = |e: &dyn std::fmt::Display| Failure::Input(format!("cannot write the report: {e}"));
	match output.format {
		Format::Json => {
			serde_json::to_writer_pretty(&mut sink, rows).map_err(|e| failed(&e))?;
			writeln!(sink).map_err(|e| failed(&e))
		},
		Format::Csv => {
			let mut csv = csv::Writer::from_writer(sink);
			for row in rows {
				csv.serialize(row).map_err(|e| failed(&e))?;
			}
			csv.flush().map_err(|e| failed(&e))
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use qingsuan_client::pallet_settlement_rpc::{Leg, Trade};

	#[test]
	fn trades_and_instructions_flatten_to_one_row_shape() {
		let (a, b) = (AccountId32([1; 32]), AccountId32([2; 32]));
		let trade = Record {
			id: 7,
			block: 9,
			day: 20_425,
			settled: Settled::Trade(Trade {
				buyer: a,
				seller: b,
				security: 1,
				cash: 1000,
				quantity: "100".into(),
				price: "150000".into(),
				cash_amount: "15000000".into(),
				buyer_fee: "3".into(),
				seller_fee: "3".into(),
				stamp_duty: "7500".into(),
			}),
		};
		let row = SettlementRow::from(trade);
		assert_eq!((row.kind.as_str(), row.security, row.stamp_duty.as_str()), ("trade", Some(1), "7500"));
		let instruction = Record {
			id: 8,
			block: 9,
			day: 20_425,
			settled: Settled::Instruction {
				instruction: 3,
				legs: vec![Leg { from: a, to: b, asset: 1, amount: "5".into() }],
			},
		};
		let row = SettlementRow::from(instruction);
		assert_eq!((row.kind.as_str(), row.instruction), ("instruction", Some(3)));
		assert_eq!(row.legs, format!("{a}>{b}:1:5"));
		let by_contract = Record {
			id: 9,
			block: 10,
			day: 20_425,
			settled: Settled::Contract {
				contract: b,
				legs: vec![
					Leg { from: a, to: b, asset: 1, amount: "5".into() },
					Leg { from: b, to: a, asset: 1000, amount: "750000".into() },
				],
			},
		};
		let contract_row = SettlementRow::from(by_contract);
		assert_eq!((contract_row.kind.as_str(), contract_row.contract.clone()), ("contract", b.to_string()));
		assert_eq!(contract_row.legs, format!("{a}>{b}:1:5;{b}>{a}:1000:750000"));
		// All serialize to CSV under one header.
		let mut csv = csv::Writer::from_writer(Vec::new());
		csv.serialize(SettlementRow::default()).unwrap();
		csv.serialize(row).unwrap();
		csv.serialize(contract_row).unwrap();
		let text = String::from_utf8(csv.into_inner().unwrap()).unwrap();
		assert_eq!(text.lines().count(), 4, "{text}");
		assert!(text.starts_with("id,block,day,kind,buyer,seller,security,cash,quantity,price,cashAmount"));
	}
}
