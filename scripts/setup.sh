#!/usr/bin/env bash
# Installs what building Qingsuan needs on a fresh Debian machine with rustup:
# clang/libclang (bindgen), protoc (libp2p), mold (the linker), libssl-dev and pkg-config
# (WebRTC's OpenSSL; both explained in .cargo/config.toml), the wasm targets and rust-src
# (runtime), Node.js and npm (the contract SDK's solc-js). Idempotent: does nothing that is
# already done.
set -euo pipefail

need_apt=()
for pkg in clang libclang-dev protobuf-compiler mold libssl-dev pkg-config; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# wasm32v1-none (MVP wasm with a precompiled core/alloc) is what substrate-wasm-builder uses
# when it is installed; without it, the builder compiles core and alloc from rust-src for
# wasm32-unknown-unknown on every cold build.
for target in wasm32-unknown-unknown wasm32v1-none; do
  if ! rustup target list --installed | grep -qx "$target"; then
    echo "setup: adding rustup target $target"
    rustup target add "$target"
  fi
done
if ! rustup component list --installed | grep -q '^rust-src'; then
  echo "setup: adding rustup component rust-src"
  rustup component add rust-src
fi

# Contracts (contracts/, qs-contract): Node.js and npm run the SDK's pinned solc-js.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing nodejs npm"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
