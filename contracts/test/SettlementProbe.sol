// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import "ISettlement.sol";
import "Settlement.sol";

/// The runtime's fixture for the settlement precompile: every function called as a contract
/// calls it, plus the ways it must refuse (a delegate call, a state change in a static call),
/// and its own termination.
/// A refusal bubbles up as the precompile's `Error(string)`.
contract SettlementProbe {
    ISettlement constant S = Settlement.PRECOMPILE;

    function balanceOf(uint32 asset, address account) external view returns (uint128) {
        return S.balanceOf(asset, account);
    }

    function brokerOf(address account) external view returns (address) {
        return S.brokerOf(account);
    }

    function heldBy(uint32 asset, address owner) external view returns (uint128) {
        return S.heldBy(asset, owner);
    }

    function allowance(uint32 asset, address owner) external view returns (uint128) {
        return S.allowance(asset, owner);
    }

    function hold(uint32 asset, address owner, uint128 amount) external {
        S.hold(asset, owner, amount);
    }

    function release(uint32 asset, address owner, uint128 amount) external {
        S.release(asset, owner, amount);
    }

    function settle(ISettlement.Leg[] calldata legs) external returns (uint64) {
        return S.settle(legs);
    }

    /// `hold` as a delegate call: the precompile must refuse it.
    function delegateHold(uint32 asset, address owner, uint128 amount) external {
        (bool ok, bytes memory out) = address(S).delegatecall(abi.encodeCall(ISettlement.hold, (asset, owner, amount)));
        if (!ok) bubble(out);
    }

    /// `hold` in a static call: the precompile must refuse it.
    function staticHold(uint32 asset, address owner, uint128 amount) external view {
        (bool ok, bytes memory out) = address(S).staticcall(abi.encodeCall(ISettlement.hold, (asset, owner, amount)));
        if (!ok) bubble(out);
    }

    /// `hold`, its refusal caught the way a contract catches it: the reason, or "" on success.
    function tryHold(uint32 asset, address owner, uint128 amount) external returns (string memory) {
        try S.hold(asset, owner, amount) {
            return "";
        } catch Error(string memory reason) {
            return reason;
        }
    }

    /// Terminate this contract through revive's System precompile (0x…0900), leaving whatever
    /// it holds behind: what its owners' brokers then reclaim.
    function retire() external {
        (bool ok, bytes memory out) = address(0x900).call(abi.encodeWithSignature("terminate(address)", msg.sender));
        if (!ok) bubble(out);
    }

    function bubble(bytes memory out) private pure {
        assembly {
            revert(add(out, 32), mload(out))
        }
    }
}
