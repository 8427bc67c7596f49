//! Connecting to an observer node, and refusing any other.

use crate::Failure;
use qingsuan_client::{
	jsonrpsee::{core::client::ClientT, rpc_params},
	Client,
};

/// Methods an observer never serves: a node that lists one accepts transactions.
pub const WRITE_METHODS: [&str; 4] = [
	"author_submitExtrinsic",
	"author_submitAndWatchExtrinsic",
	"transaction_v1_broadcast",
	"transactionWatch_v1_submitAndWatch",
];

/// The write methods among `methods`.
pub fn writes_offered<'a>(methods: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
	methods.into_iter().filter(|m| WRITE_METHODS.contains(m)).collect()
}

/// Connect to `url`; refuse (exit 2) a node that offers a write method.
pub async fn connect(url: &str) -> Result<Client, Failure> {
	let client = Client::connect(url).await.map_err(|e| Failure::Node(e.to_string()))?;
	let listed: serde_json::Value =
		client.rpc().request("rpc_methods", rpc_params![]).await.map_err(|e| Failure::Node(e.to_string()))?;
	let methods = listed["methods"]
		.as_array()
		.ok_or_else(|| Failure::Node("rpc_methods answered without a method list".into()))?;
	let offered = writes_offered(methods.iter().filter_map(|m| m.as_str()));
	if !offered.is_empty() {
		return Err(Failure::Input(format!(
			"{url} is not an observer node: it accepts transactions ({}); connect to a node started with --observer",
			offered.join(", ")
		)));
	}
	Ok(client)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_node_offering_any_write_method_is_not_an_observer() {
		assert!(writes_offered(["chain_getBlock", "settlement_today"]).is_empty());
		assert_eq!(writes_offered(["chain_getBlock", "transaction_v1_broadcast"]), vec!["transaction_v1_broadcast"]);
	}
}
