//! # Qingsuan national cryptography
//!
//! SM2 (GB/T 32918), SM3 (GB/T 32905) and SM4 (GB/T 32907) for the runtime, the node and the
//! clients, built on RustCrypto's constant-time `sm2`, `sm3` and `sm4` crates.
//!
//! - [`sm3`], hashing.
//! - [`sm2`], key pairs, signatures with the ZA user identity (default `"1234567812345678"`),
//!   fixed-size SCALE encodings, DER/PEM import and export (std), public-key encryption (std).
//! - [`sm4`], SM4-GCM (RFC 8998) and SM4-CBC with PKCS#7 padding.
//! - [`envelope`], an SM4-GCM ciphertext whose data key is SM2-wrapped to each recipient.
//! - [`host`]: the runtime interface (`sm2_verify`, `sm3`) the node registers as host functions.
//!
//! No input panics: every fallible operation returns [`Error`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod envelope;
mod error;
pub mod host;
pub mod sm2;
pub mod sm3;
pub mod sm4;

pub use error::Error;
