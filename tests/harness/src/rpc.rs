//! A minimal JSON-RPC 2.0 client over HTTP/1.1, on std's TCP stream.

use crate::ClientError;
use serde_json::{json, Value};
use std::{
	io::{Read, Write},
	net::{SocketAddr, TcpStream},
	time::Duration,
};

/// A JSON-RPC client for one node's RPC endpoint.
#[derive(Clone, Debug)]
pub struct RpcClient {
	addr: SocketAddr,
	timeout: Duration,
}

impl RpcClient {
	/// A client for the node listening on `addr` (for example `127.0.0.1:9944`).
	pub fn new(addr: SocketAddr) -> Self {
		RpcClient { addr, timeout: Duration::from_secs(10) }
	}

	/// A client for the node on 127.0.0.1 at `port`.
	pub fn local(port: u16) -> Self {
		Self::new(SocketAddr::from(([127, 0, 0, 1], port)))
	}

	/// Call `method` with `params` and return the `result` member of the answer.
	pub fn call(&self, method: &str, params: Value) -> Result<Value, ClientError> {
		let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string();
		let response = self.post(&body)?;
		let answer: Value = serde_json::from_slice(&response).map_err(|e| ClientError::Decode(e.to_string()))?;
		if let Some(err) = answer.get("error") {
			return Err(ClientError::Rpc {
				code: err.get("code").and_then(Value::as_i64).unwrap_or_default(),
				message: err.get("message").and_then(Value::as_str).unwrap_or_default().to_string()
					+ &err.get("data").map(|d| format!(": {d}")).unwrap_or_default(),
			});
		}
		answer.get("result").cloned().ok_or_else(|| ClientError::Decode(format!("no result in {answer}")))
	}

	fn post(&self, body: &str) -> Result<Vec<u8>, ClientError> {
		let mut stream = TcpStream::connect_timeout(&self.addr, self.timeout)?;
		stream.set_read_timeout(Some(self.timeout))?;
		stream.set_write_timeout(Some(self.timeout))?;
		let request = format!(
			"POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
			self.addr,
			body.len(),
			body
		);
		stream.write_all(request.as_bytes())?;
		let mut raw = Vec::new();
		stream.read_to_end(&mut raw)?;
		parse_http_response(&raw)
	}
}

/// The body of an HTTP/1.1 response, checking the status and undoing chunked encoding.
fn parse_http_response(raw: &[u8]) -> Result<Vec<u8>, ClientError> {
	let split =
		raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| ClientError::Http("no end of headers".into()))?;
	let head = String::from_utf8_lossy(&raw[..split]).to_string();
	let body = &raw[split + 4..];
	let status_line = head.lines().next().unwrap_or_default();
	let status: u16 = status_line
		.split_whitespace()
		.nth(1)
		.and_then(|s| s.parse().ok())
		.ok_or_else(|| ClientError::Http(format!("bad status line '{status_line}'")))?;
	let chunked = head.lines().any(|l| {
		let l = l.to_ascii_lowercase();
		l.starts_with("transfer-encoding:") && l.contains("chunked")
	});
	let body = if chunked { dechunk(body)? } else { body.to_vec() };
	if status != 200 {
		return Err(ClientError::Http(format!("status {status}: {}", String::from_utf8_lossy(&body))));
	}
	Ok(body)
}

fn dechunk(mut body: &[u8]) -> Result<Vec<u8>, ClientError> {
	let mut out = Vec::new();
	loop {
		let line_end = body
			.windows(2)
			.position(|w| w == b"\r\n")
			.ok_or_else(|| ClientError::Http("truncated chunk size".into()))?;
		let size_text = String::from_utf8_lossy(&body[..line_end]).to_string();
		let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
			.map_err(|_| ClientError::Http(format!("bad chunk size '{size_text}'")))?;
		body = &body[line_end + 2..];
		if size == 0 {
			return Ok(out);
		}
		if body.len() < size + 2 {
			return Err(ClientError::Http("truncated chunk".into()));
		}
		out.extend_from_slice(&body[..size]);
		body = &body[size + 2..];
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parses_a_plain_response() {
		let raw = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello";
		assert_eq!(parse_http_response(raw).expect("valid response"), b"hello");
	}

	#[test]
	fn parses_a_chunked_response() {
		let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n";
		assert_eq!(parse_http_response(raw).expect("valid response"), b"hello");
	}

	#[test]
	fn rejects_errors_and_garbage() {
		assert!(matches!(parse_http_response(b"HTTP/1.1 500 Internal\r\n\r\nboom"), Err(ClientError::Http(_))));
		assert!(matches!(parse_http_response(b"garbage"), Err(ClientError::Http(_))));
		assert!(matches!(
			parse_http_response(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
			Err(ClientError::Http(_))
		));
	}
}
