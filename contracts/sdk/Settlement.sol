// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "ISettlement.sol";

/// The settlement precompile's address and the reasons it reverts with, for contracts to
/// import: `Settlement.PRECOMPILE.hold(...)`, and in a `catch Error(string memory reason)`,
/// `Settlement.isReason(reason, Settlement.NOT_HELD_BY_CONTRACT)`.
library Settlement {
    ISettlement internal constant PRECOMPILE = ISettlement(0x0000000000000000000000000000000009000000);

    // The precompile's own refusals.
    string internal constant CALLER_NOT_CONTRACT = "CallerNotContract";
    string internal constant DELEGATE_CALL_DENIED = "DelegateCallDenied";
    string internal constant STATE_CHANGE_DENIED = "StateChangeDenied";
    string internal constant TOO_MANY_LEGS = "TooManyLegs";

    // The settlement pallet's errors a contract meets most.
    string internal constant INSUFFICIENT_ALLOWANCE = "InsufficientAllowance";
    string internal constant NOT_HELD_BY_CONTRACT = "NotHeldByContract";
    string internal constant INSUFFICIENT_BALANCE = "InsufficientBalance";
    string internal constant PARTY_NOT_MEMBER = "PartyNotMember";
    string internal constant ACCOUNT_FROZEN = "AccountFrozen";
    string internal constant FREE_OF_PAYMENT = "FreeOfPayment";
    string internal constant PRICE_OUTSIDE_BAND = "PriceOutsideBand";
    string internal constant INSTRUMENT_NOT_TRADING = "InstrumentNotTrading";
    string internal constant UNKNOWN_ASSET = "UnknownAsset";
    string internal constant ZERO_AMOUNT = "ZeroAmount";

    /// Whether the revert `reason` is `expected`.
    function isReason(string memory reason, string memory expected) internal pure returns (bool) {
        return keccak256(bytes(reason)) == keccak256(bytes(expected));
    }

    /// One leg.
    function leg(address from, address to, uint32 asset, uint128 amount)
        internal
        pure
        returns (ISettlement.Leg memory)
    {
        return ISettlement.Leg({from: from, to: to, asset: asset, amount: amount});
    }
}
