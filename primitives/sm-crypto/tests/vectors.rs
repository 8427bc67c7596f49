//! Official test vectors, pinned. Each carries its source; `vector_count_is_pinned` fails if one
//! is dropped or added without updating the count.

use qingsuan_sm_crypto::{sm2, sm3::sm3, sm4};

fn h(s: &str) -> Vec<u8> {
	hex::decode(s.replace(' ', "")).expect("vector hex")
}

fn arr<const N: usize>(s: &str) -> [u8; N] {
	h(s).try_into().expect("vector length")
}

/// GB/T 32905-2016 (SM3), Annex A, examples 1 and 2 (identical to GM/T 0004-2012).
const SM3_VECTORS: &[(&[u8], &str)] = &[
	(b"abc", "66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0"),
	(
		b"abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd",
		"debe9ff9 2275b8a1 38604889 c18e5a4d 6fdb70e5 387e5765 293dcba3 9c0c5732",
	),
];

/// GB/T 32907-2016 (SM4), Annex A, examples 1 and 2: (key, plaintext, iterations, ciphertext).
const SM4_VECTORS: &[(&str, &str, u32, &str)] = &[
	("0123456789abcdeffedcba9876543210", "0123456789abcdeffedcba9876543210", 1, "681edf34d206965e86b3e94f536e4246"),
	(
		"0123456789abcdeffedcba9876543210",
		"0123456789abcdeffedcba9876543210",
		1_000_000,
		"595298c7c6fd271f0402f804c33d3f66",
	),
];

/// GB/T 32918.5-2017 (GM/T 0003.5-2012), Annex A: SM2 signature on the recommended curve, with
/// ID "1234567812345678" and message "message digest".
struct Sm2Vector {
	secret: &'static str,
	public_x: &'static str,
	public_y: &'static str,
	message: &'static [u8],
	r: &'static str,
	s: &'static str,
}

const SM2_VECTORS: &[Sm2Vector] = &[Sm2Vector {
	secret: "3945208F 7B2144B1 3F36E38A C6D39F95 88939369 2860B51A 42FB81EF 4DF7C5B8",
	public_x: "09F9DF31 1E5421A1 50DD7D16 1E4BC5C6 72179FAD 1833FC07 6BB08FF3 56F35020",
	public_y: "CCEA490C E26775A5 2DC6EA71 8CC1AA60 0AED05FB F35E084A 6632F607 2DA9AD13",
	message: b"message digest",
	r: "F5A03B06 48D2C463 0EEAC513 E1BB81A1 5944DA38 27D5B741 43AC7EAC EEE720B3",
	s: "B1B6AA29 DF212FD8 763182BC 0D421CA1 BB9038FD 1F7F42D4 840B69C4 85BBC1AA",
}];

/// RFC 8998, Appendix A.1: SM4-GCM.
struct GcmVector {
	key: &'static str,
	iv: &'static str,
	aad: &'static str,
	plaintext: &'static str,
	ciphertext: &'static str,
	tag: &'static str,
}

const GCM_VECTORS: &[GcmVector] = &[GcmVector {
	key: "0123456789ABCDEFFEDCBA9876543210",
	iv: "00001234567800000000ABCD",
	aad: "FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2",
	plaintext: "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDDEEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA",
	ciphertext: "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D",
	tag: "83DE3541E4C2B58177E065A9BF7B62EC",
}];

#[test]
fn vector_count_is_pinned() {
	assert_eq!(SM3_VECTORS.len() + SM4_VECTORS.len() + SM2_VECTORS.len() + GCM_VECTORS.len(), 6);
}

#[test]
fn sm3_official_vectors() {
	for (msg, digest) in SM3_VECTORS {
		assert_eq!(sm3(msg).to_vec(), h(digest), "SM3({:?})", String::from_utf8_lossy(msg));
	}
}

#[test]
fn sm4_official_vectors_including_one_million_iterations() {
	for (key, pt, iterations, ct) in SM4_VECTORS {
		let key = arr::<16>(key);
		let mut block = arr::<16>(pt);
		for _ in 0..*iterations {
			sm4::encrypt_block(&key, &mut block);
		}
		assert_eq!(block.to_vec(), h(ct), "{iterations} iteration(s)");
		for _ in 0..*iterations.min(&1000) {
			sm4::decrypt_block(&key, &mut block);
		}
		if *iterations == 1 {
			assert_eq!(block, arr::<16>(pt), "decryption inverts encryption");
		}
	}
}

#[test]
fn sm2_official_signature_verifies_and_a_changed_message_does_not() {
	for v in SM2_VECTORS {
		let secret = sm2::SecretKey::from_slice(&h(v.secret)).expect("valid key");
		let mut uncompressed = vec![0x04];
		uncompressed.extend(h(v.public_x));
		uncompressed.extend(h(v.public_y));
		let public = sm2::Public::from_sec1(&uncompressed).expect("valid point");
		assert_eq!(secret.public(), public, "the published public key is the secret's");
		assert_eq!(public.to_uncompressed().expect("valid").to_vec(), uncompressed);

		let mut rs = h(v.r);
		rs.extend(h(v.s));
		let sig = sm2::Signature(rs.try_into().expect("64 bytes"));
		assert_eq!(public.verify(v.message, &sig), Ok(()));
		assert_eq!(public.verify(b"message digesT", &sig), Err(qingsuan_sm_crypto::Error::BadSignature));
		assert!(public.verify_with_id(v.message, &sig, "ALICE123@YAHOO.COM").is_err(), "another ID");
	}
}

#[test]
fn sm4_gcm_rfc8998_vector() {
	for v in GCM_VECTORS {
		let key = arr::<16>(v.key);
		let iv = arr::<12>(v.iv);
		let sealed = sm4::gcm_seal(&key, &iv, &h(v.aad), &h(v.plaintext)).expect("seal");
		let mut expected = h(v.ciphertext);
		expected.extend(h(v.tag));
		assert_eq!(sealed, expected);
		assert_eq!(sm4::gcm_open(&key, &iv, &h(v.aad), &sealed).expect("open"), h(v.plaintext));
	}
}
