//! Criterion benchmarks of the national algorithms as the node runs them (native, one core):
//! SM2 sign and verify (the node's verifier and the RustCrypto reference), SM3 and SM4-GCM/CBC
//! throughput, the multi-recipient envelope, and
//! ed25519 verification (ed25519-zebra, the verifier `sp-core` uses) for scale.
//!
//! `cargo bench -p qingsuan-sm-crypto --bench sm_crypto` measures;
//! `scripts/crypto-bench.sh` runs it beside `openssl speed` and prints the ratios;
//! `cargo test --benches` runs every benchmark once as a smoke test.

// `criterion_group!` generates a public function without docs.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use qingsuan_sm_crypto::{envelope::Envelope, sm2, sm3, sm4};
use std::hint::black_box;

const MSG: [u8; 128] = [0x5a; 128];
const SIZES: [usize; 2] = [1024, 16 * 1024];

fn sm2_key() -> sm2::SecretKey {
	sm2::SecretKey::from_bytes(&[0x11; 32]).expect("a valid scalar")
}

fn signatures(c: &mut Criterion) {
	let key = sm2_key();
	let public = key.public();
	let sig = key.sign(&MSG).expect("signs");
	let mut group = c.benchmark_group("signature");
	group.bench_function("sm2_sign", |b| b.iter(|| key.sign(black_box(&MSG)).expect("signs")));
	group.bench_function("sm2_verify", |b| {
		b.iter(|| assert!(sm2::verify(black_box(&public), black_box(&MSG), black_box(&sig))))
	});

	// `sm2_verify` is the node's path (efficient-sm2's arithmetic behind our checks); the
	// reference is RustCrypto's arithmetic (the runtime's no_std path, and the node's before);
	// efficient-sm2 alone (its ZA through libsm, without the range checks) for scale.
	group.bench_function("sm2_verify_reference", |b| {
		b.iter(|| assert!(sm2::verify_reference(black_box(&public), black_box(&MSG), black_box(&sig), sm2::DEFAULT_ID)))
	});
	group.bench_function("sm2_digest_with_za", |b| {
		b.iter(|| public.message_digest(black_box(&MSG), sm2::DEFAULT_ID).expect("a digest"))
	});
	let point = {
		use ::sm2::elliptic_curve::sec1::ToSec1Point;
		let key = ::sm2::PublicKey::from_sec1_bytes(&public.0).expect("a valid key");
		key.as_affine().to_sec1_point(false)
	};
	let efficient_key = efficient_sm2::PublicKey::from_slice(&point.as_bytes()[1..]);
	let efficient_sig = efficient_sm2::Signature::from_slice(&sig.0).expect("64 bytes");
	group.bench_function("sm2_verify_efficient_sm2_alone", |b| {
		b.iter(|| black_box(&efficient_sig).verify(black_box(&efficient_key), black_box(&MSG)).expect("verifies"))
	});

	let ed_key = ed25519_zebra::SigningKey::try_from(&[0x22u8; 32][..]).expect("32 bytes");
	let ed_public = ed25519_zebra::VerificationKey::from(&ed_key);
	let ed_sig = ed_key.sign(&MSG);
	group.bench_function("ed25519_verify", |b| {
		b.iter(|| ed_public.verify(black_box(&ed_sig), black_box(&MSG)).expect("verifies"))
	});
	group.finish();
}

fn sm3_throughput(c: &mut Criterion) {
	let mut group = c.benchmark_group("sm3");
	for size in SIZES {
		let data = vec![0xa5u8; size];
		group.throughput(Throughput::Bytes(size as u64));
		group
			.bench_with_input(BenchmarkId::from_parameter(size), &data, |b, data| b.iter(|| sm3::sm3(black_box(data))));
	}
	group.finish();
}

fn sm4_throughput(c: &mut Criterion) {
	let key = [0x33u8; sm4::KEY_LEN];
	let nonce = [0x44u8; sm4::NONCE_LEN];
	let iv = [0x55u8; sm4::IV_LEN];
	let mut group = c.benchmark_group("sm4");
	for size in SIZES {
		let data = vec![0xa5u8; size];
		let sealed = sm4::gcm_seal(&key, &nonce, b"aad", &data).expect("seals");
		group.throughput(Throughput::Bytes(size as u64));
		group.bench_with_input(BenchmarkId::new("gcm_seal", size), &data, |b, data| {
			b.iter(|| sm4::gcm_seal(&key, &nonce, b"aad", black_box(data)).expect("seals"))
		});
		group.bench_with_input(BenchmarkId::new("gcm_open", size), &sealed, |b, sealed| {
			b.iter(|| sm4::gcm_open(&key, &nonce, b"aad", black_box(sealed)).expect("opens"))
		});
		group.bench_with_input(BenchmarkId::new("cbc_encrypt", size), &data, |b, data| {
			b.iter(|| sm4::cbc_encrypt(&key, &iv, black_box(data)))
		});
	}
	group.finish();
}

fn envelopes(c: &mut Criterion) {
	let bank = sm2_key();
	let regulator = sm2::SecretKey::from_bytes(&[0x12; 32]).expect("a valid scalar");
	let recipients = [bank.public(), regulator.public()];
	let payload = vec![0x42u8; 256];
	let envelope = Envelope::seal(&recipients, b"withdrawal", &payload).expect("seals");
	let mut group = c.benchmark_group("envelope");
	group.bench_function("seal_2_recipients_256B", |b| {
		b.iter(|| Envelope::seal(black_box(&recipients), b"withdrawal", black_box(&payload)).expect("seals"))
	});
	group.bench_function("open_256B", |b| b.iter(|| black_box(&envelope).open(&bank).expect("opens")));
	group.finish();
}

criterion_group!(benches, signatures, sm3_throughput, sm4_throughput, envelopes);
criterion_main!(benches);
