// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// The runtime's contract test fixture: remembers who deployed it, counts calls and says who
/// called (the native account's Ethereum address, as `AutoMap` maps it).
contract Ping {
    address public immutable deployer;
    uint256 public calls;

    event Pinged(address indexed by, uint256 calls);

    constructor() {
        deployer = msg.sender;
    }

    function ping() external returns (uint256) {
        calls += 1;
        emit Pinged(msg.sender, calls);
        return calls;
    }
}
