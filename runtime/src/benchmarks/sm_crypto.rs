//! What signature checks and hashing cost inside the runtime: SM2 verification and SM3 through
//! Qingsuan's host functions against the same code compiled into the wasm runtime, with
//! ed25519 (an `sp_io` host function) beside them for scale.
//!
//! Not a pallet: like `frame_benchmarking::baseline`, a set of benchmarks that
//! `qingsuan-node benchmark pallet --pallet sm_crypto` runs inside the runtime.

use alloc::vec;
use frame_benchmarking::v2::*;
use qingsuan_sm_crypto::{host::sm, sm2, sm3};
use sp_core::crypto::KeyTypeId;

/// The benchmarks' "pallet".
pub struct Pallet<T: Config>(frame_system::Pallet<T>);
/// Nothing to configure.
pub trait Config: frame_system::Config {}

/// The message every signature benchmark verifies: the size of a typical signed payload.
const MSG: [u8; 128] = [0x5a; 128];
/// A fixed SM2 key: deterministic signing makes the fixture the same on every run.
const SM2_SECRET: [u8; 32] = [0x11; 32];
const BENCH_KEY_TYPE: KeyTypeId = KeyTypeId(*b"bnch");

fn sm2_fixture() -> (sm2::Public, sm2::Signature) {
	let key = sm2::SecretKey::from_bytes(&SM2_SECRET).expect("0x11.. lies in [1, n-2]; qed");
	let sig = key.sign(&MSG).expect("signing a fixed message with a valid key succeeds; qed");
	(key.public(), sig)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// One SM2 verification through the `sm2_verify` host function (what the runtime uses).
	#[benchmark]
	fn sm2_verify_host() {
		let (public, sig) = sm2_fixture();
		let ok;
		#[block]
		{
			ok = sm::sm2_verify(&sig.0, &MSG, &public.0);
		}
		assert!(ok);
	}

	/// One SM2 verification by the same RustCrypto code compiled into the wasm runtime.
	#[benchmark]
	fn sm2_verify_wasm() {
		let (public, sig) = sm2_fixture();
		let ok;
		#[block]
		{
			ok = sm2::verify(&public, &MSG, &sig);
		}
		assert!(ok);
	}

	/// One ed25519 verification through `sp_io` (for scale).
	#[benchmark]
	fn ed25519_verify_host() {
		let public = sp_io::crypto::ed25519_generate(BENCH_KEY_TYPE, None);
		let sig = sp_io::crypto::ed25519_sign(BENCH_KEY_TYPE, &public, &MSG)
			.expect("the benchmark keystore holds the key it just generated; qed");
		let ok;
		#[block]
		{
			ok = sp_io::crypto::ed25519_verify(&sig, &MSG, &public);
		}
		assert!(ok);
	}

	/// SM3 of `n` bytes through the `sm3` host function.
	#[benchmark]
	fn sm3_host(n: Linear<0, 65_536>) {
		let data = vec![0xa5u8; n as usize];
		let mut out = [0u8; 32];
		#[block]
		{
			sm::sm3(&data, &mut out);
		}
		assert_eq!(out, sm3::sm3(&data));
	}

	/// SM3 of `n` bytes computed in the wasm runtime.
	#[benchmark]
	fn sm3_wasm(n: Linear<0, 65_536>) {
		let data = vec![0xa5u8; n as usize];
		let out;
		#[block]
		{
			out = sm3::sm3(&data);
		}
		assert_ne!(out, [0u8; 32]);
	}
}
