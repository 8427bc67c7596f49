//! Genesis presets: `dev` (one validator, sudo) and `local` (a four-validator consortium).
//!
//! `qingsuan-node --chain <preset>` builds its chain spec from the preset (so it always carries
//! this runtime); `scripts/build-specs.sh` exports one to a file.

use crate::{
	AccountId, BalancesConfig, ComplianceConfig, CouncilMembershipConfig, LedgerConfig, MarginConfig, MembersConfig,
	NodeAuthorizationConfig, OrderbookConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys, SettlementConfig,
	SudoConfig, ValidatorSetConfig, UNIT,
};
use alloc::{vec, vec::Vec};
use pallet_compliance::{Board, ClaimKind, RiskLevel};
use pallet_ledger::{CashInfo, Instrument, InstrumentKind, InstrumentStatus, SecurityInfo};
use pallet_margin::{Category, Conversion};
use pallet_members::Role;
use pallet_orderbook::SelfTradePrevention;
use pallet_settlement::FeeSchedule;
use qingsuan_primitives::market::{Amount, AssetId};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::OpaquePeerId;
use sp_genesis_builder::PresetId;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::{Perbill, Percent};

/// The preset of the single-validator development chain.
pub const DEV_PRESET: &str = "dev";
/// The preset of the four-validator local consortium.
pub const LOCAL_PRESET: &str = "local";

/// What every funded account starts with.
const ENDOWMENT: u128 = 1_000_000 * UNIT;

/// Kweichow Moutai (600519) in the presets.
pub const MOUTAI: AssetId = 1;
/// Ping An Insurance (601318) in the presets.
pub const PING_AN: AssetId = 2;
/// Renminbi, in fen, issued by the presets' clearing bank.
pub const CNY: AssetId = 1000;
/// Shares of each security every broker holds at genesis.
pub const GENESIS_SHARES: Amount = 100_000;
/// Cash every broker has deposited at genesis: 100 million yuan, in fen.
pub const GENESIS_CASH: Amount = 10_000_000_000;
/// The Moutai/CNY order-book market.
pub const MOUTAI_MARKET: u32 = 0;
/// The Ping An/CNY order-book market.
pub const PING_AN_MARKET: u32 = 1;
/// Moutai's reference price at genesis: 1,500.00 yuan, in fen.
pub const MOUTAI_REFERENCE: u64 = 150_000;
/// Ping An's reference price at genesis: 50.00 yuan, in fen.
pub const PING_AN_REFERENCE: u64 = 5_000;

/// PeerIds (`PeerId::to_bytes()`) of the nodes started with `--node-key` 0x00..01, 0x00..02,
/// 0x00..03 and 0x00..04: 12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp,
/// 12D3KooWHdiAxVd8uMQR1hGWXccidmfCwLqcMpGwR6QcTP6QRMuD,
/// 12D3KooWSCufgHzV4fCwRijfH2k3abrpAJxTKxEvN1FDuRXA2U9x and
/// 12D3KooWSsChzF81YDUKpe9Uk5AHV5oqAaXAcWNSPYgoLauUk4st. A test pins them.
pub const LOCAL_NODE_PEER_IDS: [[u8; 38]; 4] = [
	peer_id_from_ed25519(hex_literal(b"4cb5abf6ad79fbf5abbccafcc269d85cd2651ed4b885b5869f241aedf0a5ba29")),
	peer_id_from_ed25519(hex_literal(b"7422b9887598068e32c4448a949adb290d0f4e35b9e01b0ee5f1a1e600fe2674")),
	peer_id_from_ed25519(hex_literal(b"f381626e41e7027ea431bfe3009e94bdd25a746beec468948d6c3c7c5dc9a54b")),
	peer_id_from_ed25519(hex_literal(b"fd50b8e3b144ea244fbf7737f550bc8dd0c2650bbc1aada833ca17ff8dbf329b")),
];

/// The libp2p PeerId bytes of an ed25519 node key: an identity multihash (0x00, length 0x24)
/// of the protobuf-encoded public key (type Ed25519 = 1, 32 bytes of data).
pub const fn peer_id_from_ed25519(public: [u8; 32]) -> [u8; 38] {
	let mut out = [0u8; 38];
	let prefix = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20];
	let mut i = 0;
	while i < 6 {
		out[i] = prefix[i];
		i += 1;
	}
	while i < 38 {
		out[i] = public[i - 6];
		i += 1;
	}
	out
}

/// 64 hex digits to 32 bytes, at compile time.
const fn hex_literal(hex: &[u8; 64]) -> [u8; 32] {
	const fn nibble(c: u8) -> u8 {
		match c {
			b'0'..=b'9' => c - b'0',
			b'a'..=b'f' => c - b'a' + 10,
			_ => panic!("not a lower-case hex digit"),
		}
	}
	let mut out = [0u8; 32];
	let mut i = 0;
	while i < 32 {
		out[i] = nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]);
		i += 1;
	}
	out
}

/// A validator's account and session keys, from the well-known development key `who`.
fn validator(who: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AccountId, SessionKeys) {
	(who.to_account_id(), SessionKeys { aura: AuraId::from(who.public()), grandpa: GrandpaId::from(grandpa.public()) })
}

/// The parts in which the presets differ.
struct Consortium {
	validators: Vec<(AccountId, SessionKeys)>,
	endowed: Vec<AccountId>,
	council: Vec<AccountId>,
	members: Vec<(AccountId, Role)>,
	nodes: Vec<(OpaquePeerId, AccountId)>,
	sudo: Option<AccountId>,
	brokers: Vec<AccountId>,
	bank: AccountId,
	/// The attestor with the development attestor key, trusted for every claim kind.
	attestor: Option<AccountId>,
}

fn security(code: &[u8], isin: &[u8; 12], name: &str) -> Instrument<AccountId> {
	Instrument {
		kind: InstrumentKind::Security(SecurityInfo {
			code: code.to_vec().try_into().expect("preset codes fit; qed"),
			isin: *isin,
			name: name.as_bytes().to_vec().try_into().expect("preset names fit; qed"),
			lot_size: 100,
			tick_size: 1,
		}),
		status: InstrumentStatus::Trading,
	}
}

/// Two listed securities, CNY issued by the consortium's clearing bank, and every broker
/// holding shares of both and cash deposited at the bank.
fn market(brokers: &[AccountId], bank: &AccountId) -> (LedgerConfig, SettlementConfig) {
	let cash = Instrument {
		kind: InstrumentKind::Cash(CashInfo { currency: *b"CNY", bank: bank.clone() }),
		status: InstrumentStatus::Trading,
	};
	let bank_key = qingsuan_sm_crypto::sm2::SecretKey::from_bytes(&qingsuan_primitives::DEV_BANK_ENVELOPE_SECRET)
		.expect("the development bank key is a valid scalar; qed")
		.public();
	(
		LedgerConfig {
			instruments: vec![
				(MOUTAI, security(b"600519", b"CNE0000018R8", "贵州茅台")),
				(PING_AN, security(b"601318", b"CNE000001R84", "中国平安")),
				(CNY, cash),
			],
			securities: brokers
				.iter()
				.flat_map(|b| [(MOUTAI, b.clone(), GENESIS_SHARES), (PING_AN, b.clone(), GENESIS_SHARES)])
				.collect(),
		},
		SettlementConfig {
			// A-share rates: 0.00341% handling each side, 0.05% stamp duty on sales.
			fees: FeeSchedule { handling: Perbill::from_parts(34_100), stamp_duty: Perbill::from_parts(500_000) },
			bank_keys: vec![(bank.clone(), bank_key.0.to_vec())],
			deposits: brokers.iter().map(|b| (CNY, b.clone(), GENESIS_CASH)).collect(),
		},
	)
}

/// Compliance: the preset's attestor (if any) with the development key, trusted for every
/// claim kind; Moutai an R3 and Ping An an R2 product, both on the main board.
fn compliance(attestor: Option<AccountId>) -> ComplianceConfig {
	let key = qingsuan_sm_crypto::sm2::SecretKey::from_bytes(&qingsuan_primitives::DEV_ATTESTOR_SECRET)
		.expect("the development attestor key is a valid scalar; qed")
		.public();
	ComplianceConfig {
		attestor_keys: attestor.iter().map(|a| (a.clone(), key.0.to_vec())).collect(),
		trust: attestor.iter().flat_map(|a| ClaimKind::ALL.map(|k| (k, vec![a.clone()]))).collect(),
		products: vec![(MOUTAI, RiskLevel::R3, Board::Main), (PING_AN, RiskLevel::R2, Board::Main)],
	}
}

fn genesis(c: Consortium) -> RuntimeGenesisConfig {
	let (ledger, settlement) = market(&c.brokers, &c.bank);
	RuntimeGenesisConfig {
		ledger,
		settlement,
		compliance: compliance(c.attestor),
		// A-share rules: prices in fen (tick 0.01 yuan), board lots of 100 shares, a 10% band.
		orderbook: OrderbookConfig {
			markets: vec![
				(MOUTAI, CNY, 1, 100, MOUTAI_REFERENCE, Percent::from_percent(10), SelfTradePrevention::CancelNewest),
				(PING_AN, CNY, 1, 100, PING_AN_REFERENCE, Percent::from_percent(10), SelfTradePrevention::CancelNewest),
			],
			..Default::default()
		},
		// Both listed securities are collateral: Moutai and Ping An are SSE 180 constituents
		// (at most 70%); the dev chains take 65% and 70%.
		margin: MarginConfig {
			conversions: vec![
				(MOUTAI, Conversion { category: Category::IndexConstituent, rate: 650_000 }),
				(PING_AN, Conversion { category: Category::IndexConstituent, rate: 700_000 }),
			],
			..Default::default()
		},
		balances: BalancesConfig {
			balances: c.endowed.iter().cloned().map(|a| (a, ENDOWMENT)).collect(),
			..Default::default()
		},
		validator_set: ValidatorSetConfig { validators: c.validators.iter().map(|(a, _)| a.clone()).collect() },
		session: SessionConfig {
			keys: c.validators.iter().map(|(a, k)| (a.clone(), a.clone(), k.clone())).collect(),
			..Default::default()
		},
		council_membership: CouncilMembershipConfig {
			members: c.council.try_into().expect("presets name fewer than 32 council members; qed"),
			..Default::default()
		},
		node_authorization: NodeAuthorizationConfig { nodes: c.nodes },
		members: MembersConfig { members: c.members },
		sudo: SudoConfig { key: c.sudo },
		..Default::default()
	}
}

/// One validator (Alice), sudo (Alice), every development account funded; Alice and Bob are
/// member brokers, Charlie the clearing bank, Dave the regulator, Eve the attestor and Ferdie a
/// contract developer.
fn dev() -> RuntimeGenesisConfig {
	use Sr25519Keyring::*;
	genesis(Consortium {
		validators: vec![validator(Alice, Ed25519Keyring::Alice)],
		endowed: Sr25519Keyring::iter().map(|k| k.to_account_id()).collect(),
		council: vec![Alice.to_account_id(), Bob.to_account_id(), Charlie.to_account_id()],
		members: vec![
			(Alice.to_account_id(), Role::MemberBroker),
			(Bob.to_account_id(), Role::MemberBroker),
			(Charlie.to_account_id(), Role::ClearingBank),
			(Dave.to_account_id(), Role::Regulator),
			(Eve.to_account_id(), Role::Attestor),
			(Ferdie.to_account_id(), Role::Developer),
		],
		nodes: vec![(OpaquePeerId(LOCAL_NODE_PEER_IDS[0].to_vec()), Alice.to_account_id())],
		sudo: Some(Alice.to_account_id()),
		brokers: vec![Alice.to_account_id(), Bob.to_account_id()],
		bank: Charlie.to_account_id(),
		attestor: Some(Eve.to_account_id()),
	})
}

/// Four validators (Alice, Bob, Charlie, Dave, who are also the four member brokers), one
/// clearing bank (Eve), one regulator (Ferdie); the council is the brokers and the bank. No sudo.
fn local() -> RuntimeGenesisConfig {
	use Sr25519Keyring::*;
	let brokers = [Alice, Bob, Charlie, Dave];
	let mut members: Vec<_> = brokers.iter().map(|b| (b.to_account_id(), Role::MemberBroker)).collect();
	members.push((Eve.to_account_id(), Role::ClearingBank));
	members.push((Ferdie.to_account_id(), Role::Regulator));
	let mut council: Vec<_> = brokers.iter().map(|b| b.to_account_id()).collect();
	council.push(Eve.to_account_id());
	genesis(Consortium {
		validators: vec![
			validator(Alice, Ed25519Keyring::Alice),
			validator(Bob, Ed25519Keyring::Bob),
			validator(Charlie, Ed25519Keyring::Charlie),
			validator(Dave, Ed25519Keyring::Dave),
		],
		endowed: Sr25519Keyring::iter().map(|k| k.to_account_id()).collect(),
		council,
		members,
		nodes: LOCAL_NODE_PEER_IDS
			.iter()
			.zip(brokers.iter())
			.map(|(peer, owner)| (OpaquePeerId(peer.to_vec()), owner.to_account_id()))
			.collect(),
		sudo: None,
		brokers: brokers.iter().map(|b| b.to_account_id()).collect(),
		bank: Eve.to_account_id(),
		attestor: None,
	})
}

/// The JSON of preset `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let config = match id.as_ref() {
		DEV_PRESET => dev(),
		LOCAL_PRESET => local(),
		_ => return None,
	};
	Some(serde_json::to_string(&config).expect("serializing a genesis config cannot fail; qed").into_bytes())
}

/// The names of all presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEV_PRESET), PresetId::from(LOCAL_PRESET)]
}
