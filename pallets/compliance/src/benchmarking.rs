//! Benchmarks of the compliance pallet (FRAME benchmarking v2).

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;

/// What the runtime provides so the benchmarks can build their world.
pub trait BenchmarkHelper<AccountId> {
	/// Make `who` an attestor.
	fn make_attestor(who: &AccountId);
	/// A registered security.
	fn security() -> AssetId;
	/// Set the chain's clock to `ms` (Unix milliseconds).
	fn set_time(ms: u64);
}

/// The benchmarks' time: 2026-12-01 00:00 UTC.
const NOW: u64 = 1_796_083_200_000;
const YEAR: u64 = 365 * 86_400_000;

fn secret(i: u32) -> sm2::SecretKey {
	let mut bytes = [0x3c; 32];
	bytes[28..].copy_from_slice(&i.to_be_bytes());
	sm2::SecretKey::from_bytes(&bytes).expect("a scalar below n - 1; qed")
}

/// Attestor `i`, with the attestor role and its key registered.
fn attestor<T: Config>(i: u32) -> T::AccountId {
	let who: T::AccountId = account("attestor", i, 0);
	T::BenchmarkHelper::make_attestor(&who);
	AttestorKeys::<T>::insert(&who, secret(i).public());
	who
}

fn attestors<T: Config>(n: u32) -> TrustList<T::AccountId, T::MaxTrusted> {
	BoundedVec::truncate_from((0..n).map(attestor::<T>).collect::<Vec<_>>())
}

/// The statements the benchmarks fill a profile with, one per kind, cycling.
fn statement(i: u32) -> Statement {
	let board = [Board::Main, Board::Star, Board::ChiNext, Board::Bse][(i % 4) as usize];
	match i % 6 {
		0 => Statement::Kyc,
		1 => Statement::Aml(AmlResult::Passed),
		2 => Statement::Risk(RiskCategory::C5),
		3 => Statement::Professional,
		4 => Statement::Board(board),
		_ => Statement::Margin,
	}
}

/// Fill `subject`'s profile with `MaxClaims - 1` claims of other attestors (none expired, so
/// a write keeps them all).
fn fill_profile<T: Config>(subject: &T::AccountId) {
	let claims: Vec<_> = (0..T::MaxClaims::get().saturating_sub(1))
		.map(|i| HeldClaim { statement: statement(i), attestor: account("other", i, 0), expires_at: NOW + YEAR })
		.collect();
	Profiles::<T>::insert(subject, BoundedVec::truncate_from(claims));
}

/// Give `who` a full profile: a valid claim of every kind from an attestor trusted for every
/// kind (so every default rule passes, whatever the product's level and board), and claims of
/// untrusted attestors up to `MaxClaims` (so a check decodes and scans the most a profile
/// holds). For other pallets' benchmarks of calls that run the pre-trade check.
pub fn full_profile<T: Config>(who: &T::AccountId) {
	let trusted = attestor::<T>(0);
	if trusted_in(&Trust::<T>::get(), ClaimKind::Kyc).is_none_or(|l| !l.contains(&trusted)) {
		for kind in ClaimKind::ALL {
			let _ = Pallet::<T>::do_set_trust(kind, BoundedVec::truncate_from(alloc::vec![trusted.clone()]));
		}
	}
	let boards = [Board::Main, Board::Star, Board::ChiNext, Board::Bse].map(Statement::Board);
	let statements = [
		Statement::Kyc,
		Statement::Aml(AmlResult::Passed),
		Statement::Risk(RiskCategory::C5),
		Statement::Professional,
		Statement::Margin,
	]
	.into_iter()
	.chain(boards);
	let mut claims: Vec<_> =
		statements.map(|statement| HeldClaim { statement, attestor: trusted.clone(), expires_at: u64::MAX }).collect();
	let untrusted = T::MaxClaims::get().saturating_sub(claims.len() as u32);
	claims.extend((0..untrusted).map(|i| HeldClaim {
		statement: statement(i),
		attestor: account("untrusted", i, 0),
		expires_at: u64::MAX,
	}));
	claims.truncate(T::MaxClaims::get() as usize);
	Profiles::<T>::insert(who, BoundedVec::truncate_from(claims));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_attestor_key() {
		let who: T::AccountId = account("attestor", 0, 0);
		T::BenchmarkHelper::make_attestor(&who);
		let key = secret(0).public();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), key);
		assert_eq!(AttestorKeys::<T>::get(&who), Some(key));
	}

	#[benchmark]
	fn set_trust(n: Linear<1, { T::MaxTrusted::get() }>) -> Result<(), BenchmarkError> {
		let list = attestors::<T>(n);
		let origin = T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		// Every other kind has a full list: the table is at its largest.
		for kind in ClaimKind::ALL.into_iter().filter(|k| *k != ClaimKind::Kyc) {
			Pallet::<T>::do_set_trust(kind, attestors::<T>(T::MaxTrusted::get()))?;
		}
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, ClaimKind::Kyc, list);
		assert_eq!(trusted_in(&Trust::<T>::get(), ClaimKind::Kyc).map(|l| l.len() as u32), Some(n));
		Ok(())
	}

	#[benchmark]
	fn set_product() -> Result<(), BenchmarkError> {
		let asset = T::BenchmarkHelper::security();
		let origin = T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, asset, RiskLevel::R4, Board::Star);
		assert_eq!(Products::<T>::get(asset).map(|p| p.level), Some(RiskLevel::R4));
		Ok(())
	}

	#[benchmark]
	fn set_rules() -> Result<(), BenchmarkError> {
		let asset = T::BenchmarkHelper::security();
		Pallet::<T>::do_set_product(asset, RiskLevel::R4, Board::Star)?;
		let full = |c| BoundedVec::truncate_from(alloc::vec![c; MAX_CONDITIONS as usize]);
		let origin = T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, asset, full(Condition::Suitable), full(Condition::NotBlocked));
		assert_eq!(Products::<T>::get(asset).map(|p| p.increase.len() as u32), Some(MAX_CONDITIONS));
		Ok(())
	}

	#[benchmark]
	fn set_product_trust(n: Linear<1, { T::MaxTrusted::get() }>) -> Result<(), BenchmarkError> {
		let asset = T::BenchmarkHelper::security();
		Pallet::<T>::do_set_product(asset, RiskLevel::R4, Board::Star)?;
		for kind in ClaimKind::ALL.into_iter().filter(|k| *k != ClaimKind::Kyc) {
			Pallet::<T>::do_set_product_trust(asset, kind, attestors::<T>(T::MaxTrusted::get()))?;
		}
		let list = attestors::<T>(n);
		let origin = T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, asset, ClaimKind::Kyc, list);
		Ok(())
	}

	/// The subject's profile is full but for one: the claim is verified, the profile decoded,
	/// pruned, extended and written whole.
	#[benchmark]
	fn submit_claim() -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(NOW);
		let signer = attestor::<T>(0);
		Pallet::<T>::do_set_trust(ClaimKind::Risk, BoundedVec::truncate_from(alloc::vec![signer.clone()]))?;
		let subject: T::AccountId = account("subject", 0, 0);
		fill_profile::<T>(&subject);
		let claim = Claim {
			attestor: signer,
			subject: subject.clone(),
			statement: Statement::Risk(RiskCategory::C4),
			issued_at: NOW - 1,
			expires_at: NOW + YEAR,
			nonce: 1,
		};
		let signature =
			secret(0).sign(&claim.payload(&Pallet::<T>::genesis())).map_err(|_| BenchmarkError::Weightless)?;
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), claim, signature);
		assert_eq!(Profiles::<T>::get(&subject).map(|p| p.len() as u32), Some(T::MaxClaims::get()));
		Ok(())
	}

	#[benchmark]
	fn revoke_claim() -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(NOW);
		let signer = attestor::<T>(0);
		let subject: T::AccountId = account("subject", 0, 0);
		fill_profile::<T>(&subject);
		Profiles::<T>::mutate(&subject, |p| {
			if let Some(p) = p {
				let _ = p.try_push(HeldClaim {
					statement: Statement::Kyc,
					attestor: signer.clone(),
					expires_at: NOW + YEAR,
				});
			}
		});
		#[extrinsic_call]
		_(RawOrigin::Signed(signer), subject.clone(), ClaimKind::Kyc);
		assert_eq!(Profiles::<T>::get(&subject).map(|p| p.len() as u32), Some(T::MaxClaims::get() - 1));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
