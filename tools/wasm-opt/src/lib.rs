//! The part of `wasm-opt` 0.116's API that `substrate-wasm-builder` calls, without Binaryen.
//!
//! `substrate-wasm-builder` runs two passes over the runtime blob: [`Pass::StripDwarf`] and
//! [`Pass::SignextLowering`], at optimisation level 0, optionally with
//! [`OptimizationOptions::mvp_features_only`]. Building Binaryen's C++ for that was the longest
//! single step of a cold build on a 2-core machine, so the workspace substitutes this crate
//! with `[patch.crates-io]`. Sections are copied unchanged except for what a pass removes or
//! rewrites; see the README beside this crate.

use std::{fmt, fs, path::Path};
use wasm_encoder::{
	reencode::{self, Reencode},
	Instruction as I,
};
use wasmparser::{FunctionBody, Operator, Parser, Validator, WasmFeatures};

/// A pass of the optimizer. Only the passes `substrate-wasm-builder` runs exist here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pass {
	/// Lower the sign-extension operators (`i32.extend8_s` and friends) to MVP instructions.
	SignextLowering,
	/// Remove DWARF debug sections (custom sections named `.debug_*`).
	StripDwarf,
}

/// What to do to a module: the passes, whether names are kept, which features are allowed.
#[derive(Clone, Debug, Default)]
pub struct OptimizationOptions {
	passes: Vec<Pass>,
	debug_info: bool,
	mvp_features_only: bool,
}

/// Why [`OptimizationOptions::run`] failed.
#[derive(Debug)]
pub enum OptimizationError {
	/// The input module did not validate.
	ValidateWasmInput(String),
	/// The output module did not validate.
	ValidateWasmOutput(String),
	/// The input could not be read or parsed.
	Read(String),
	/// The output could not be written.
	Write(String),
	/// The input path names stdin, which the API does not read.
	InvalidStdinPath,
}

impl fmt::Display for OptimizationError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::ValidateWasmInput(e) => write!(f, "Failed to validate wasm: error validating input: {e}"),
			Self::ValidateWasmOutput(e) => write!(f, "Failed to validate wasm: error after opts: {e}"),
			Self::Read(e) => write!(f, "Failed to read module: {e}"),
			Self::Write(e) => write!(f, "Failed to write module: {e}"),
			Self::InvalidStdinPath => write!(f, "Refusing to read from stdin"),
		}
	}
}

impl std::error::Error for OptimizationError {}

impl OptimizationOptions {
	/// Optimisation level 0: no passes but those added with [`Self::add_pass`].
	pub fn new_opt_level_0() -> Self {
		Self::default()
	}

	/// Run `pass` (in the order added).
	pub fn add_pass(&mut self, pass: Pass) -> &mut Self {
		self.passes.push(pass);
		self
	}

	/// Keep the `name` section (`true`) or drop it and every DWARF section (`false`).
	pub fn debug_info(&mut self, value: bool) -> &mut Self {
		self.debug_info = value;
		self
	}

	/// Allow only the MVP feature set (plus mutable globals) in the output.
	pub fn mvp_features_only(&mut self) -> &mut Self {
		self.mvp_features_only = true;
		self
	}

	/// Read the module at `infile`, run the passes, write the result to `outfile` (which may be
	/// the same path).
	pub fn run(&self, infile: impl AsRef<Path>, outfile: impl AsRef<Path>) -> Result<(), OptimizationError> {
		let infile = infile.as_ref();
		if infile.as_os_str().is_empty() || infile == Path::new("-") {
			return Err(OptimizationError::InvalidStdinPath);
		}
		let input = fs::read(infile).map_err(|e| OptimizationError::Read(format!("{}: {e}", infile.display())))?;
		let output = self.run_on_bytes(&input)?;
		let outfile = outfile.as_ref();
		fs::write(outfile, output).map_err(|e| OptimizationError::Write(format!("{}: {e}", outfile.display())))
	}

	/// The passes on a module in memory.
	pub fn run_on_bytes(&self, input: &[u8]) -> Result<Vec<u8>, OptimizationError> {
		let lower = self.passes.contains(&Pass::SignextLowering);
		let mut features = WasmFeatures::WASM1;
		if self.mvp_features_only {
			// The input may use sign-extension when this run removes it.
			let input_features = if lower { features | WasmFeatures::SIGN_EXTENSION } else { features };
			validate(input, input_features).map_err(OptimizationError::ValidateWasmInput)?;
		} else {
			// Anything the input uses may stay, but it must be valid.
			features = WasmFeatures::default();
			validate(input, features).map_err(OptimizationError::ValidateWasmInput)?;
		}
		let mut rewriter = Rewriter {
			lower_sign_ext: lower,
			strip_dwarf: self.passes.contains(&Pass::StripDwarf) || !self.debug_info,
			keep_names: self.debug_info,
		};
		let mut module = wasm_encoder::Module::new();
		rewriter
			.parse_core_module(&mut module, Parser::new(0), input)
			.map_err(|e| OptimizationError::Read(e.to_string()))?;
		let output = module.finish();
		validate(&output, features).map_err(OptimizationError::ValidateWasmOutput)?;
		Ok(output)
	}
}

fn validate(wasm: &[u8], features: WasmFeatures) -> Result<(), String> {
	Validator::new_with_features(features).validate_all(wasm).map(|_| ()).map_err(|e| e.to_string())
}

/// Copies a module section by section, applying the passes.
struct Rewriter {
	lower_sign_ext: bool,
	strip_dwarf: bool,
	keep_names: bool,
}

/// Whether `op` is one of the sign-extension operators [`Pass::SignextLowering`] rewrites.
pub fn is_sign_ext(op: &Operator<'_>) -> bool {
	matches!(
		op,
		Operator::I32Extend8S
			| Operator::I32Extend16S
			| Operator::I64Extend8S
			| Operator::I64Extend16S
			| Operator::I64Extend32S
	)
}

impl Rewriter {
	fn uses_sign_ext(func: &FunctionBody<'_>) -> Result<bool, wasmparser::BinaryReaderError> {
		let mut reader = func.get_operators_reader()?;
		while !reader.eof() {
			if is_sign_ext(&reader.read()?) {
				return Ok(true);
			}
		}
		Ok(false)
	}
}

impl Reencode for Rewriter {
	type Error = std::convert::Infallible;

	fn parse_custom_section(
		&mut self,
		module: &mut wasm_encoder::Module,
		section: wasmparser::CustomSectionReader<'_>,
	) -> Result<(), reencode::Error<Self::Error>> {
		let name = section.name();
		if (self.strip_dwarf && name.starts_with(".debug_")) || (!self.keep_names && name == "name") {
			return Ok(());
		}
		// Byte for byte: `runtime_version`, `runtime_apis`, `name`, producers, ...
		module.section(&wasm_encoder::CustomSection { name: name.into(), data: section.data().into() });
		Ok(())
	}

	fn parse_function_body(
		&mut self,
		code: &mut wasm_encoder::CodeSection,
		func: FunctionBody<'_>,
	) -> Result<(), reencode::Error<Self::Error>> {
		if !self.lower_sign_ext || !Self::uses_sign_ext(&func)? {
			code.raw(func.as_bytes());
			return Ok(());
		}
		let mut f = self.new_function_with_parsed_locals(&func)?;
		let mut reader = func.get_operators_reader()?;
		while !reader.eof() {
			match reader.read()? {
				// x << (bits - n) >> (bits - n), arithmetic: Binaryen's lowering.
				Operator::I32Extend8S => shift_pair(&mut f, false, 24),
				Operator::I32Extend16S => shift_pair(&mut f, false, 16),
				Operator::I64Extend8S => shift_pair(&mut f, true, 56),
				Operator::I64Extend16S => shift_pair(&mut f, true, 48),
				Operator::I64Extend32S => {
					f.instruction(&I::I32WrapI64).instruction(&I::I64ExtendI32S);
				},
				op => {
					f.instruction(&self.instruction(op)?);
				},
			}
		}
		code.function(&f);
		Ok(())
	}
}

/// Sign-extend the low `bits - shift` bits of the value on the stack: shift left by `shift`,
/// then arithmetic shift right by as much (`wide`: an i64, otherwise an i32).
fn shift_pair(f: &mut wasm_encoder::Function, wide: bool, shift: i64) {
	if wide {
		f.instruction(&I::I64Const(shift)).instruction(&I::I64Shl);
		f.instruction(&I::I64Const(shift)).instruction(&I::I64ShrS);
	} else {
		f.instruction(&I::I32Const(shift as i32)).instruction(&I::I32Shl);
		f.instruction(&I::I32Const(shift as i32)).instruction(&I::I32ShrS);
	}
}
