//! Host functions for the runtime: SM2 verification and SM3 hashing run natively in the node
//! instead of in the wasm interpreter, the way `sp_io` exposes `ed25519_verify`.
//!
//! The node registers [`sm::HostFunctions`] beside `sp_io::SubstrateHostFunctions`; the runtime
//! calls `sm::sm2_verify` and `sm::sm3`.

// The macro generates the wasm-side `extern` calls, which are `unsafe`.
#![allow(unsafe_code)]

use sp_runtime_interface::{
	pass_by::{PassFatPointerAndRead, PassPointerAndRead, PassPointerAndWrite},
	runtime_interface,
};

/// SM2 and SM3 host functions.
#[runtime_interface]
pub trait Sm {
	/// Whether `sig` (`r || s`) is `pub_key`'s (SEC1 compressed) SM2 signature of `msg`, for the
	/// default user identity `"1234567812345678"`.
	fn sm2_verify(
		sig: PassPointerAndRead<&[u8; 64], 64>,
		msg: PassFatPointerAndRead<&[u8]>,
		pub_key: PassPointerAndRead<&[u8; 33], 33>,
	) -> bool {
		crate::sm2::verify(&crate::sm2::Public(*pub_key), msg, &crate::sm2::Signature(*sig))
	}

	/// The SM3 digest of `data`, written to `out`.
	fn sm3(data: PassFatPointerAndRead<&[u8]>, out: PassPointerAndWrite<&mut [u8; 32], 32>) {
		out.copy_from_slice(&crate::sm3::sm3(data));
	}
}
