// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// Qingsuan's settlement precompile, at 0x0000000000000000000000000000000009000000
/// (`Settlement.sol` names it `SETTLEMENT`): the chain's ledger and its
/// delivery-versus-payment settlement, for contracts.
///
/// A contract never owns ledger assets. It holds assets on its parties' own accounts, up to what
/// each owner approved for it (`Settlement.approveContract`, a transaction the owner's broker
/// signs), gives them back, or settles them between parties. A settlement runs the checks an
/// instruction's does (every party a member broker or a member's investor, not frozen; the
/// compliance rules of every security leg; delivery versus payment within the price band where
/// an investor is a party) and is recorded like one.
///
/// Addresses are accounts as contracts see them: a native account's address is the last 20
/// bytes of keccak256 of its 32-byte id (every account is mapped when it is created).
/// Amounts are in the asset's smallest unit. A failure reverts with `Error(string)` naming the
/// chain's error (see `Settlement.sol` for the names).
interface ISettlement {
    /// One movement of a settlement: `amount` of `asset` from `from` to `to`.
    struct Leg {
        address from;
        address to;
        uint32 asset;
        uint128 amount;
    }

    /// `account`'s free (spendable) balance of `asset`.
    function balanceOf(uint32 asset, address account) external view returns (uint128);

    /// The member broker that acts for `account`: itself for a broker's own account, its broker
    /// for an investor's; the zero address for an account that cannot settle now (neither, a
    /// frozen investor, a margin credit account).
    function brokerOf(address account) external view returns (address);

    /// How much of `owner`'s `asset` the calling contract holds.
    function heldBy(uint32 asset, address owner) external view returns (uint128);

    /// How much more of `owner`'s `asset` the calling contract may hold.
    function allowance(uint32 asset, address owner) external view returns (uint128);

    /// Hold `amount` of `owner`'s free `asset` for the calling contract, within its allowance.
    function hold(uint32 asset, address owner, uint128 amount) external;

    /// Give back `amount` of `owner`'s `asset` the calling contract holds.
    function release(uint32 asset, address owner, uint128 amount) external;

    /// Move every leg out of what the calling contract holds of its deliverer, all or none.
    /// Returns the settlement's id (its record is in the day's settlement hash chain).
    function settle(Leg[] calldata legs) external returns (uint64 settlement);
}
