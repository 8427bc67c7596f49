//! The two passes on modules built here: what they remove, what they keep byte for byte, and
//! that lowered code computes what the original computes (both executed in wasmtime).

use wasm_encoder::{
	CodeSection, CustomSection, ExportKind, ExportSection, Function, FunctionSection, Instruction as I, Module,
	NameMap, NameSection, TypeSection, ValType,
};
use wasm_opt::{OptimizationError, OptimizationOptions, Pass};
use wasmparser::{Parser, Payload, Validator, WasmFeatures};

/// The five sign-extension operators, each as an exported function `(x) -> extend(x)`.
const SIGN_EXT: [(&str, ValType, I<'static>); 5] = [
	("i32_extend8_s", ValType::I32, I::I32Extend8S),
	("i32_extend16_s", ValType::I32, I::I32Extend16S),
	("i64_extend8_s", ValType::I64, I::I64Extend8S),
	("i64_extend16_s", ValType::I64, I::I64Extend16S),
	("i64_extend32_s", ValType::I64, I::I64Extend32S),
];
const RUNTIME_VERSION: &[u8] = b"\x10qingsuan\x01\x02\x03 version bytes";

/// A module with the five sign-extension functions, a plain `add` function, a DWARF section, a
/// `runtime_version` section and a name section.
fn module_with_sign_ext() -> Vec<u8> {
	let mut types = TypeSection::new();
	types.ty().function([ValType::I32], [ValType::I32]);
	types.ty().function([ValType::I64], [ValType::I64]);
	types.ty().function([ValType::I32, ValType::I32], [ValType::I32]);
	let mut functions = FunctionSection::new();
	let mut exports = ExportSection::new();
	let mut code = CodeSection::new();
	let mut names = NameMap::new();
	for (index, (name, ty, op)) in SIGN_EXT.iter().enumerate() {
		functions.function(if *ty == ValType::I32 { 0 } else { 1 });
		exports.export(name, ExportKind::Func, index as u32);
		names.append(index as u32, name);
		let mut f = Function::new([]);
		f.instruction(&I::LocalGet(0)).instruction(op).instruction(&I::End);
		code.function(&f);
	}
	functions.function(2);
	exports.export("add", ExportKind::Func, 5);
	names.append(5, "add");
	let mut add = Function::new([(1, ValType::I32)]);
	add.instruction(&I::LocalGet(0))
		.instruction(&I::LocalGet(1))
		.instruction(&I::I32Add)
		.instruction(&I::LocalTee(2))
		.instruction(&I::End);
	code.function(&add);

	let mut name_section = NameSection::new();
	name_section.functions(&names);
	let mut module = Module::new();
	module
		.section(&types)
		.section(&functions)
		.section(&exports)
		.section(&code)
		.section(&CustomSection { name: ".debug_info".into(), data: b"dwarf".as_slice().into() })
		.section(&CustomSection { name: ".debug_line".into(), data: b"lines".as_slice().into() })
		.section(&CustomSection { name: "runtime_version".into(), data: RUNTIME_VERSION.into() })
		.section(&name_section);
	module.finish()
}

fn compact() -> OptimizationOptions {
	// What substrate-wasm-builder's `compact_wasm` asks for.
	let mut options = OptimizationOptions::new_opt_level_0();
	options.mvp_features_only().debug_info(true).add_pass(Pass::StripDwarf).add_pass(Pass::SignextLowering);
	options
}

fn custom_sections(wasm: &[u8]) -> Vec<(String, Vec<u8>)> {
	Parser::new(0)
		.parse_all(wasm)
		.filter_map(|p| match p.expect("parses") {
			Payload::CustomSection(c) => Some((c.name().to_string(), c.data().to_vec())),
			_ => None,
		})
		.collect()
}

/// Every function body's bytes (locals and code).
fn bodies(wasm: &[u8]) -> Vec<Vec<u8>> {
	Parser::new(0)
		.parse_all(wasm)
		.filter_map(|p| match p.expect("parses") {
			Payload::CodeSectionEntry(body) => Some(body.as_bytes().to_vec()),
			_ => None,
		})
		.collect()
}

fn sign_ext_ops(wasm: &[u8]) -> usize {
	let mut count = 0;
	for p in Parser::new(0).parse_all(wasm) {
		if let Payload::CodeSectionEntry(body) = p.expect("parses") {
			let mut ops = body.get_operators_reader().expect("operators");
			while !ops.eof() {
				count += wasm_opt::is_sign_ext(&ops.read().expect("operator")) as usize;
			}
		}
	}
	count
}

#[test]
fn compact_strips_dwarf_lowers_sign_ext_and_keeps_the_rest() {
	let input = module_with_sign_ext();
	assert_eq!(sign_ext_ops(&input), 5);
	assert!(Validator::new_with_features(WasmFeatures::WASM1).validate_all(&input).is_err());

	let output = compact().run_on_bytes(&input).expect("compacts");
	assert_eq!(sign_ext_ops(&output), 0);
	Validator::new_with_features(WasmFeatures::WASM1).validate_all(&output).expect("MVP only");
	let sections: Vec<String> = custom_sections(&output).into_iter().map(|(name, _)| name).collect();
	assert_eq!(sections, ["runtime_version", "name"]);
	assert_eq!(custom_sections(&output)[0].1, RUNTIME_VERSION);
	assert_eq!(custom_sections(&output)[1].1, custom_sections(&input)[3].1, "name section byte for byte");
	// `add` has no sign-extension: copied byte for byte.
	assert_eq!(bodies(&output)[5], bodies(&input)[5]);
}

#[test]
fn without_debug_info_names_go_too() {
	let mut options = OptimizationOptions::new_opt_level_0();
	options.debug_info(false).add_pass(Pass::SignextLowering);
	let output = options.run_on_bytes(&module_with_sign_ext()).expect("runs");
	let sections: Vec<String> = custom_sections(&output).into_iter().map(|(name, _)| name).collect();
	assert_eq!(sections, ["runtime_version"]);
}

#[test]
fn lowered_code_computes_what_the_original_computes() {
	let input = module_with_sign_ext();
	let output = compact().run_on_bytes(&input).expect("compacts");
	let engine = wasmtime::Engine::default();
	let mut store = wasmtime::Store::new(&engine, ());
	let original = wasmtime::Instance::new(&mut store, &wasmtime::Module::new(&engine, &input).expect("original"), &[])
		.expect("instantiates");
	let lowered = wasmtime::Instance::new(&mut store, &wasmtime::Module::new(&engine, &output).expect("lowered"), &[])
		.expect("instantiates");

	// Edge values and a deterministic spread (xorshift) of others.
	let mut samples: Vec<u64> = vec![
		0,
		1,
		0x7f,
		0x80,
		0xff,
		0x7fff,
		0x8000,
		0xffff,
		0x7fff_ffff,
		0x8000_0000,
		0xffff_ffff,
		0x1_0000_0080,
		u64::MAX,
		i64::MIN as u64,
	];
	let mut x = 0x9e37_79b9_7f4a_7c15u64;
	for _ in 0..2_000 {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		samples.push(x);
	}
	for (name, ty, _) in SIGN_EXT {
		for &v in &samples {
			if ty == ValType::I32 {
				let f = |i: &wasmtime::Instance, store: &mut wasmtime::Store<()>| {
					i.get_typed_func::<i32, i32>(&mut *store, name).expect("export").call(&mut *store, v as i32)
				};
				assert_eq!(
					f(&lowered, &mut store).expect("runs"),
					f(&original, &mut store).expect("runs"),
					"{name}({v:#x})"
				);
			} else {
				let f = |i: &wasmtime::Instance, store: &mut wasmtime::Store<()>| {
					i.get_typed_func::<i64, i64>(&mut *store, name).expect("export").call(&mut *store, v as i64)
				};
				assert_eq!(
					f(&lowered, &mut store).expect("runs"),
					f(&original, &mut store).expect("runs"),
					"{name}({v:#x})"
				);
			}
		}
	}
	let add = lowered.get_typed_func::<(i32, i32), i32>(&mut store, "add").expect("export");
	assert_eq!(add.call(&mut store, (i32::MAX, 1)).expect("runs"), i32::MIN);
}

#[test]
fn post_mvp_features_and_garbage_are_refused() {
	// `memory.fill` is bulk memory: not MVP, and no pass removes it.
	let mut types = TypeSection::new();
	types.ty().function([], []);
	let mut functions = FunctionSection::new();
	functions.function(0);
	let mut memories = wasm_encoder::MemorySection::new();
	memories.memory(wasm_encoder::MemoryType {
		minimum: 1,
		maximum: None,
		memory64: false,
		shared: false,
		page_size_log2: None,
	});
	let mut code = CodeSection::new();
	let mut f = Function::new([]);
	f.instruction(&I::I32Const(0))
		.instruction(&I::I32Const(0))
		.instruction(&I::I32Const(8))
		.instruction(&I::MemoryFill(0))
		.instruction(&I::End);
	code.function(&f);
	let mut module = Module::new();
	module.section(&types).section(&functions).section(&memories).section(&code);
	let bulk = module.finish();
	assert!(matches!(compact().run_on_bytes(&bulk), Err(OptimizationError::ValidateWasmInput(_))));
	// Without `mvp_features_only` it is valid wasm and passes through unchanged in meaning.
	let mut plain = OptimizationOptions::new_opt_level_0();
	plain.add_pass(Pass::StripDwarf);
	assert_eq!(bodies(&plain.run_on_bytes(&bulk).expect("valid")), bodies(&bulk));

	assert!(matches!(compact().run_on_bytes(b"\0asm\x01\0\0\0garbage"), Err(OptimizationError::ValidateWasmInput(_))));
	assert!(matches!(compact().run_on_bytes(b"not wasm"), Err(OptimizationError::ValidateWasmInput(_))));
}

#[test]
fn runs_on_files_in_place_and_refuses_stdin() {
	let dir = std::env::temp_dir().join(format!("wasm-opt-test-{}", std::process::id()));
	std::fs::create_dir_all(&dir).expect("temp dir");
	let path = dir.join("blob.wasm");
	std::fs::write(&path, module_with_sign_ext()).expect("writes");
	// In place, as the builder does when it wants no compact blob.
	let mut lower = OptimizationOptions::new_opt_level_0();
	lower.add_pass(Pass::SignextLowering).debug_info(true);
	lower.run(&path, &path).expect("runs in place");
	assert_eq!(sign_ext_ops(&std::fs::read(&path).expect("reads")), 0);
	assert!(matches!(lower.run(dir.join("missing.wasm"), &path), Err(OptimizationError::Read(_))));
	assert!(matches!(lower.run("-", &path), Err(OptimizationError::InvalidStdinPath)));
	std::fs::remove_dir_all(&dir).expect("cleans up");
}
