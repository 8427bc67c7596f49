//! The SDK's errors.

/// What can go wrong talking to a node.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
	/// The node could not be reached, or the connection failed.
	#[error("cannot reach the node: {0}")]
	Connect(String),
	/// A Qingsuan RPC method answered with an error.
	#[error("{0}")]
	Rpc(#[from] jsonrpsee::core::ClientError),
	/// subxt failed (metadata, encoding, a standard RPC method).
	#[error("{0}")]
	Subxt(String),
	/// A transaction was refused by the pool, dropped, or failed in its block.
	#[error("the transaction failed: {0}")]
	Transaction(String),
	/// A key or secret could not be used.
	#[error("{0}")]
	Key(String),
	/// A value from the chain could not be decoded or opened.
	#[error("{0}")]
	Decode(String),
}

impl ClientError {
	/// Wrap any subxt error.
	pub fn subxt(e: impl std::fmt::Display) -> Self {
		ClientError::Subxt(e.to_string())
	}
}
