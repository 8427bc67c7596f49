#!/usr/bin/env node
// Compile Solidity for Qingsuan: solc-js (the version pinned in contracts/package.json), EVM
// bytecode for pallet-revive's EVM interpreter, target `cancun`, optimizer on (200 runs).
//
//   node contracts/scripts/compile.js OUT_DIR FILE.sol...
//
// Imports resolve against the source's directory, then contracts/sdk (so a contract writes
// `import "ISettlement.sol";`). For every contract in the given files it writes
// OUT_DIR/<Contract>.json: {"contract", "source", "compiler", "evmVersion", "abi", "bytecode"}
// (bytecode as 0x-hex init code). Exit 1 with solc's messages on any error.
"use strict";
const fs = require("fs");
const path = require("path");
const solc = require("solc");

const EVM_VERSION = "cancun";
const SDK = path.resolve(__dirname, "..", "sdk");

function usage(message) {
  process.stderr.write(`error: ${message}\nusage: compile.js OUT_DIR FILE.sol...\n`);
  process.exit(2);
}

const [outDir, ...files] = process.argv.slice(2);
if (!outDir || files.length === 0) usage("an output directory and at least one .sol file are needed");
for (const f of files) if (!fs.existsSync(f)) usage(`no such file: ${f}`);

const sources = {};
for (const f of files) sources[path.basename(f)] = { content: fs.readFileSync(f, "utf8") };
const roots = [...new Set(files.map((f) => path.dirname(path.resolve(f)))), SDK];

function findImports(name) {
  for (const dir of roots) {
    const candidate = path.resolve(dir, name);
    if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, "utf8") };
  }
  return { error: `not found in ${roots.join(", ")}: ${name}` };
}

const input = {
  language: "Solidity",
  sources,
  settings: {
    evmVersion: EVM_VERSION,
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter((e) => e.severity === "error");
for (const e of output.errors || []) process.stderr.write(e.formattedMessage);
if (errors.length > 0) process.exit(1);

fs.mkdirSync(outDir, { recursive: true });
const compiler = `solc-js ${solc.version()}`;
for (const source of Object.keys(sources)) {
  for (const [name, c] of Object.entries(output.contracts[source] || {})) {
    const bytecode = c.evm.bytecode.object;
    if (!bytecode) continue; // interfaces and abstract contracts
    const out = path.join(outDir, `${name}.json`);
    const artifact = { contract: name, source, compiler, evmVersion: EVM_VERSION, abi: c.abi, bytecode: `0x${bytecode}` };
    fs.writeFileSync(out, JSON.stringify(artifact, null, 2) + "\n");
    process.stdout.write(`${out}\n`);
  }
}
