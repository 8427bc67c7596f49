#!/usr/bin/env bash
# Installs what building Qingsuan needs on a fresh Debian machine with rustup:
# clang/libclang (rocksdb, bindgen), protoc (libp2p), the wasm target and rust-src (runtime).
# Idempotent: does nothing that is already done.
set -euo pipefail

need_apt=()
for pkg in clang libclang-dev protobuf-compiler; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
if ! rustup component list --installed | grep -q '^rust-src'; then
  echo "setup: adding rustup component rust-src"
  rustup component add rust-src
fi
