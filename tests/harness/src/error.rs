//! Errors of the client SDK.

use std::fmt;

/// Everything that can go wrong talking to a node.
#[derive(Debug)]
pub enum ClientError {
	/// The node could not be reached or the connection broke.
	Io(std::io::Error),
	/// The node answered something that is not a well-formed HTTP response.
	Http(String),
	/// The node answered with a JSON-RPC error.
	Rpc {
		/// The JSON-RPC error code.
		code: i64,
		/// The node's message.
		message: String,
	},
	/// The node's answer could not be decoded into the expected type.
	Decode(String),
}

impl fmt::Display for ClientError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			ClientError::Io(e) => write!(f, "cannot reach the node: {e}"),
			ClientError::Http(e) => write!(f, "malformed HTTP response: {e}"),
			ClientError::Rpc { code, message } => write!(f, "node refused the call ({code}): {message}"),
			ClientError::Decode(e) => write!(f, "cannot decode the node's answer: {e}"),
		}
	}
}

impl std::error::Error for ClientError {}

impl From<std::io::Error> for ClientError {
	fn from(e: std::io::Error) -> Self {
		ClientError::Io(e)
	}
}
