// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import "SettlementProbe.sol";

/// The runtime's fixture for a contract created again at the address of one that terminated:
/// the same code and salt give the same CREATE2 address, so `make(salt)` after the probe at
/// that address retired puts a new probe there, with none of the first one's storage.
contract ProbeFactory {
    event Made(address probe);

    function make(bytes32 salt) external returns (address probe) {
        probe = address(new SettlementProbe{salt: salt}());
        emit Made(probe);
    }
}
