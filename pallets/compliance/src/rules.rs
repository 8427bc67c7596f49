//! Evaluating a product's rules for one account: plain functions of what was loaded, no storage.

use crate::types::{trusted_in, AmlResult, ClaimKind, Condition, Direction, HeldClaim, Product, Statement, TrustTable};
use frame_support::traits::Get;
use qingsuan_primitives::investors::Standing;

/// Why an account may not change its position in a product: the condition that failed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Refusal {
	/// `NotFrozen`: a regulator froze the account.
	Frozen,
	/// `NotBlocked`: a trusted attestor's AML screening blocked the account.
	AmlBlocked,
	/// `Has(kind)`: no valid claim of `kind` from an attestor trusted for it.
	MissingClaim(ClaimKind),
	/// `Suitable`: the account's risk category is below the product's level (or it has none) and
	/// it is not a professional investor.
	NotSuitable,
}

/// What the rules see of one account.
pub struct Subject<'a, AccountId> {
	/// Its investor standing; `None` for an account that is not an investor's (a broker's own).
	pub standing: Option<&'a Standing<AccountId>>,
	/// Its claims, as its profile holds them (expired and untrusted ones included).
	pub claims: &'a [HeldClaim<AccountId>],
}

/// The claims of `kind` in `claims` that count for `product` at `now`: not expired, and from an
/// attestor the product trusts for the kind (its own list if it has one, else the global one).
fn valid<'a, AccountId: PartialEq, MaxTrusted: Get<u32>>(
	claims: &'a [HeldClaim<AccountId>],
	kind: ClaimKind,
	product: &'a Product<AccountId, MaxTrusted>,
	global: &'a TrustTable<AccountId, MaxTrusted>,
	now: u64,
) -> impl Iterator<Item = &'a Statement> + 'a {
	let trusted = trusted_in(&product.trust, kind).or_else(|| trusted_in(global, kind)).unwrap_or(&[]);
	valid_from(claims, kind, trusted, now)
}

/// The claims of `kind` in `claims` that count at `now`: not expired, and from one of `trusted`.
pub fn valid_from<'a, AccountId: PartialEq>(
	claims: &'a [HeldClaim<AccountId>],
	kind: ClaimKind,
	trusted: &'a [AccountId],
	now: u64,
) -> impl Iterator<Item = &'a Statement> + 'a {
	claims
		.iter()
		.filter(move |c| c.statement.kind() == kind && now < c.expires_at && trusted.contains(&c.attestor))
		.map(|c| &c.statement)
}

/// Evaluate one condition.
fn holds<AccountId: PartialEq, MaxTrusted: Get<u32>>(
	condition: Condition,
	subject: &Subject<AccountId>,
	product: &Product<AccountId, MaxTrusted>,
	global: &TrustTable<AccountId, MaxTrusted>,
	now: u64,
) -> Result<(), Refusal> {
	let claims = subject.claims;
	match condition {
		Condition::NotFrozen => match subject.standing {
			Some(s) if s.frozen => Err(Refusal::Frozen),
			_ => Ok(()),
		},
		Condition::NotBlocked => {
			match valid(claims, ClaimKind::Aml, product, global, now).any(|s| *s == Statement::Aml(AmlResult::Blocked))
			{
				true => Err(Refusal::AmlBlocked),
				false => Ok(()),
			}
		},
		// A broker's own account is an institution's: identified by its admission to the
		// consortium and a professional investor by law (适当性管理办法, art. 8).
		Condition::Has(_) | Condition::Suitable if subject.standing.is_none() => Ok(()),
		Condition::Has(kind) => match valid(claims, kind, product, global, now).any(Statement::affirms) {
			true => Ok(()),
			false => Err(Refusal::MissingClaim(kind)),
		},
		Condition::Suitable => {
			if valid(claims, ClaimKind::Professional, product, global, now).next().is_some() {
				return Ok(());
			}
			// Where trusted attestors disagree, the most cautious assessment counts.
			let category = valid(claims, ClaimKind::Risk, product, global, now)
				.filter_map(|s| match s {
					Statement::Risk(c) => Some(*c),
					_ => None,
				})
				.min();
			match category {
				Some(c) if c.suits(product.level) => Ok(()),
				_ => Err(Refusal::NotSuitable),
			}
		},
	}
}

/// Whether `subject` may change its position in `product` in `direction` at `now` (Unix
/// milliseconds): `Ok`, or the first condition of the product's list that fails.
pub fn evaluate<AccountId: PartialEq, MaxTrusted: Get<u32>>(
	subject: &Subject<AccountId>,
	product: &Product<AccountId, MaxTrusted>,
	global: &TrustTable<AccountId, MaxTrusted>,
	direction: Direction,
	now: u64,
) -> Result<(), Refusal> {
	product.conditions(direction).iter().try_for_each(|c| holds(*c, subject, product, global, now))
}
