//! A compiled artifact (`compile.js` output: `{contract, abi, bytecode, ...}`) and what its ABI
//! does for a command line: arguments from strings, return values, reverts and logs as JSON.

use crate::address;
use alloy_dyn_abi::{DynSolType, DynSolValue, ErrorExt, EventExt, FunctionExt, JsonAbiExt};
use alloy_json_abi::{Function, JsonAbi};
use alloy_primitives::B256;
use serde_json::{json, Value};
use std::path::Path;

/// The selector of `Error(string)`, Solidity's `revert("...")` and `require(.., "...")`, and the
/// settlement precompile's refusals.
const ERROR_STRING: [u8; 4] = [0x08, 0xc3, 0x79, 0xa0];
/// The selector of `Panic(uint256)` (an assertion, an overflow, a division by zero).
const PANIC: [u8; 4] = [0x4e, 0x48, 0x7b, 0x71];

/// A contract compiled by the SDK's `compile.js`.
#[derive(Debug, Clone)]
pub struct Artifact {
	/// The contract's name.
	pub name: String,
	/// Its ABI.
	pub abi: JsonAbi,
	/// Its EVM init code.
	pub bytecode: Vec<u8>,
}

impl Artifact {
	/// Read the artifact at `path`.
	pub fn load(path: &Path) -> Result<Self, String> {
		let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
		Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
	}

	/// Parse an artifact's JSON.
	pub fn parse(text: &str) -> Result<Self, String> {
		let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
		let name = value["contract"].as_str().unwrap_or("contract").to_string();
		let abi: JsonAbi = serde_json::from_value(value["abi"].clone()).map_err(|e| format!("no valid abi: {e}"))?;
		let code = value["bytecode"].as_str().ok_or("no bytecode: compile it with `qs-contract compile`")?;
		let bytecode = hex::decode(code.trim_start_matches("0x")).map_err(|e| format!("bytecode is not hex: {e}"))?;
		if bytecode.is_empty() {
			return Err("the bytecode is empty (an interface or an abstract contract)".into());
		}
		Ok(Artifact { name, abi, bytecode })
	}

	/// The init code with the constructor's arguments, parsed from `args`, appended (as an EVM
	/// constructor reads them).
	pub fn deploy_code(&self, args: &[String]) -> Result<Vec<u8>, String> {
		let encoded = match &self.abi.constructor {
			Some(c) => {
				let types: Vec<String> = c.inputs.iter().map(|p| p.selector_type().into_owned()).collect();
				let values = parse_args("the constructor", &types, args)?;
				c.abi_encode_input(&values).map_err(|e| format!("the constructor's arguments: {e}"))?
			},
			None if args.is_empty() => Vec::new(),
			None => return Err(format!("{} has no constructor, but {} arguments were given", self.name, args.len())),
		};
		Ok([self.bytecode.clone(), encoded].concat())
	}

	/// The function `name` (or, for an overloaded one, its signature `name(uint32,address)`).
	pub fn function(&self, name: &str) -> Result<&Function, String> {
		let all: Vec<&Function> = self.abi.functions().collect();
		if let Some(f) = all.iter().find(|f| f.signature() == name) {
			return Ok(f);
		}
		let named: Vec<&&Function> = all.iter().filter(|f| f.name == name).collect();
		match named.as_slice() {
			[one] => Ok(one),
			[] => Err(format!(
				"{} has no function {name:?}; it has {}",
				self.name,
				all.iter().map(|f| f.signature()).collect::<Vec<_>>().join(", ")
			)),
			many => Err(format!(
				"{name} is overloaded: give one of {}",
				many.iter().map(|f| f.signature()).collect::<Vec<_>>().join(", ")
			)),
		}
	}

	/// The call data of `function` with `args`.
	pub fn call_data(&self, function: &Function, args: &[String]) -> Result<Vec<u8>, String> {
		let types: Vec<String> = function.inputs.iter().map(|p| p.selector_type().into_owned()).collect();
		let values = parse_args(&function.signature(), &types, args)?;
		function.abi_encode_input(&values).map_err(|e| format!("{}: {e}", function.signature()))
	}

	/// What `function` returned, as JSON: one value, or an array of several.
	pub fn output(&self, function: &Function, data: &[u8]) -> Result<Value, String> {
		let values = function.abi_decode_output(data).map_err(|e| format!("cannot decode the output: {e}"))?;
		Ok(match values.as_slice() {
			[] => Value::Null,
			[one] => to_json(one),
			many => Value::Array(many.iter().map(to_json).collect()),
		})
	}

	/// Why a call reverted, in words: the `Error(string)` reason, the panic code, or the
	/// contract's custom error with its arguments (`DeadlinePassed()`).
	pub fn revert_reason(&self, data: &[u8]) -> String {
		revert_reason(Some(&self.abi), data)
	}

	/// A log of this contract, decoded: `{"event": name, "args": {...}}`; `None` if no event of
	/// the ABI has its first topic.
	pub fn decode_log(&self, topics: &[[u8; 32]], data: &[u8]) -> Option<Value> {
		let first = B256::from(*topics.first()?);
		let event = self.abi.events().find(|e| !e.anonymous && e.selector() == first)?;
		let decoded = event.decode_log_parts(topics.iter().map(|t| B256::from(*t)), data).ok()?;
		let (mut indexed, mut body) = (decoded.indexed.iter(), decoded.body.iter());
		let mut args = serde_json::Map::new();
		for (i, input) in event.inputs.iter().enumerate() {
			let value = if input.indexed { indexed.next() } else { body.next() }?;
			let name = if input.name.is_empty() { i.to_string() } else { input.name.clone() };
			args.insert(name, to_json(value));
		}
		Some(json!({ "event": event.name, "args": args }))
	}
}

/// Why a call reverted, in words, decoding custom errors with `abi` if given.
pub fn revert_reason(abi: Option<&JsonAbi>, data: &[u8]) -> String {
	if data.is_empty() {
		return "reverted without a reason".into();
	}
	let (selector, rest) = data.split_at(data.len().min(4));
	if selector == ERROR_STRING {
		if let Ok(DynSolValue::String(reason)) = DynSolType::String.abi_decode(rest) {
			return reason;
		}
	}
	if selector == PANIC {
		if let Ok(DynSolValue::Uint(code, _)) = DynSolType::Uint(256).abi_decode(rest) {
			return format!("Panic(0x{code:x})");
		}
	}
	if let Some(error) = abi.and_then(|abi| abi.errors().find(|e| e.selector().as_slice() == selector)) {
		if let Ok(decoded) = error.decode_error(data) {
			let args: Vec<String> = decoded.body.iter().map(|v| to_json(v).to_string()).collect();
			return format!("{}({})", error.name, args.join(", "));
		}
	}
	format!("reverted with 0x{}", hex::encode(data))
}

/// Parse `args` as values of `types` (Solidity type names): numbers in decimal or 0x-hex,
/// `true`/`false`, strings as they are, arrays and tuples as `[a,b]` and `(a,b)`; an `address`
/// may also be an account (SS58 or 0x-hex of 32 bytes) or a development key (`//Alice`),
/// given as its contract address.
pub fn parse_args(what: &str, types: &[String], args: &[String]) -> Result<Vec<DynSolValue>, String> {
	if types.len() != args.len() {
		return Err(format!("{what} takes {} arguments ({}), {} given", types.len(), types.join(", "), args.len()));
	}
	types
		.iter()
		.zip(args)
		.enumerate()
		.map(|(i, (ty, arg))| {
			let parsed = DynSolType::parse(ty).map_err(|e| format!("{what}: type {ty}: {e}"))?;
			let arg = match parsed {
				DynSolType::Address => address::parse(arg).map(|a| a.to_string())?,
				_ => arg.clone(),
			};
			parsed.coerce_str(&arg).map_err(|e| format!("{what}: argument {} ({ty}): {e}", i + 1))
		})
		.collect()
}

/// A value as JSON: integers as decimal strings (they exceed JSON's numbers), addresses and bytes
/// as 0x-hex, arrays and tuples as arrays.
pub fn to_json(value: &DynSolValue) -> Value {
	match value {
		DynSolValue::Bool(b) => json!(b),
		DynSolValue::Int(i, _) => json!(i.to_string()),
		DynSolValue::Uint(u, _) => json!(u.to_string()),
		DynSolValue::Address(a) => json!(a.to_string()),
		DynSolValue::Function(f) => json!(format!("0x{}", hex::encode(f.as_slice()))),
		DynSolValue::FixedBytes(word, size) => json!(format!("0x{}", hex::encode(&word[..*size]))),
		DynSolValue::Bytes(b) => json!(format!("0x{}", hex::encode(b))),
		DynSolValue::String(s) => json!(s),
		DynSolValue::Array(items) | DynSolValue::FixedArray(items) | DynSolValue::Tuple(items) => {
			Value::Array(items.iter().map(to_json).collect())
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const ABI: &str = r#"{"contract": "T", "bytecode": "0x6000", "abi": [
		{"type": "constructor", "inputs": [{"name": "who", "type": "address"}, {"name": "n", "type": "uint64"}], "stateMutability": "nonpayable"},
		{"type": "function", "name": "f", "inputs": [{"name": "a", "type": "uint32"}], "outputs": [{"name": "", "type": "uint128"}], "stateMutability": "view"},
		{"type": "function", "name": "g", "inputs": [], "outputs": [{"name": "x", "type": "bool"}, {"name": "y", "type": "string"}], "stateMutability": "view"},
		{"type": "event", "name": "E", "anonymous": false, "inputs": [{"name": "id", "type": "uint256", "indexed": true}, {"name": "why", "type": "string", "indexed": false}]},
		{"type": "error", "name": "TooEarly", "inputs": []},
		{"type": "error", "name": "Short", "inputs": [{"name": "need", "type": "uint128"}]}
	]}"#;

	fn artifact() -> Artifact {
		Artifact::parse(ABI).expect("parses")
	}

	#[test]
	fn constructor_arguments_follow_the_init_code() {
		let a = artifact();
		let code = a.deploy_code(&["//Alice".into(), "7".into()]).expect("encodes");
		assert_eq!(&code[..2], &[0x60, 0x00]);
		assert_eq!(code.len(), 2 + 64);
		assert_eq!(code[2 + 63], 7);
		// Alice's contract address, left-padded.
		let alice = address::parse("//Alice").expect("a dev key");
		assert_eq!(&code[2 + 12..2 + 32], alice.as_slice());
		assert!(a.deploy_code(&["//Alice".into()]).unwrap_err().contains("takes 2 arguments"));
		assert!(a.deploy_code(&["//Alice".into(), "-1".into()]).unwrap_err().contains("argument 2"));
	}

	#[test]
	fn calls_encode_and_outputs_decode() {
		let a = artifact();
		let f = a.function("f").expect("f");
		let data = a.call_data(f, &["0x10".into()]).expect("encodes");
		assert_eq!(&data[..4], f.selector().as_slice());
		assert_eq!(data[35], 16);
		let mut out = [0u8; 32];
		out[31] = 42;
		assert_eq!(a.output(f, &out).expect("decodes"), json!("42"));
		assert!(a.function("h").unwrap_err().contains("has no function"));
		let g = a.function("g()").expect("by signature");
		let encoded =
			g.abi_encode_output(&[DynSolValue::Bool(true), DynSolValue::String("ok".into())]).expect("encodes");
		assert_eq!(a.output(g, &encoded).expect("decodes"), json!([true, "ok"]));
	}

	#[test]
	fn reverts_read_as_their_reason() {
		let a = artifact();
		let reason =
			[ERROR_STRING.to_vec(), DynSolValue::String("NotHeldByContract".into()).abi_encode_params()].concat();
		assert_eq!(a.revert_reason(&reason), "NotHeldByContract");
		let too_early = a.abi.errors().find(|e| e.name == "TooEarly").expect("an error").selector();
		assert_eq!(a.revert_reason(too_early.as_slice()), "TooEarly()");
		let short = a.abi.errors().find(|e| e.name == "Short").expect("an error").selector();
		let data = [short.to_vec(), DynSolValue::Uint(alloy_primitives::U256::from(5), 128).abi_encode()].concat();
		assert_eq!(a.revert_reason(&data), "Short(\"5\")");
		let panic = [PANIC.to_vec(), DynSolValue::Uint(alloy_primitives::U256::from(0x11), 256).abi_encode()].concat();
		assert_eq!(a.revert_reason(&panic), "Panic(0x11)");
		assert_eq!(a.revert_reason(&[]), "reverted without a reason");
		assert_eq!(a.revert_reason(&[1, 2]), "reverted with 0x0102");
	}

	#[test]
	fn logs_decode_by_their_first_topic() {
		let a = artifact();
		let event = a.abi.events().next().expect("E");
		let mut id = [0u8; 32];
		id[31] = 3;
		let data = DynSolValue::String("MissingClaim".into()).abi_encode_params();
		let decoded = a.decode_log(&[event.selector().0, id], &data).expect("decodes");
		assert_eq!(decoded, json!({"event": "E", "args": {"id": "3", "why": "MissingClaim"}}));
		assert_eq!(a.decode_log(&[[9; 32]], &data), None);
	}
}
