// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import "ISettlement.sol";
import "Settlement.sol";

/// Delivery versus payment through an escrow: a seller's securities against a buyer's cash.
///
/// 1. Either party's broker opens a deal: who delivers what to whom, and a deadline.
/// 2. Each party's broker deposits its side: the escrow holds it on the party's own account
///    (the broker first approved the escrow for it with `Settlement.approveContract`).
/// 3. When both sides are in, before the deadline, the deal settles at once, both legs or
///    neither, with the chain's checks: both parties in good standing, the security's compliance
///    rules on both sides, and for an investor the price within the market's band. A refused
///    settlement is recorded (`SettlementRefused`, with the chain's reason) and the deal stays
///    open.
/// 4. Until the deal settles, a party's broker may take its side back (`withdraw`), so a side
///    that is in never waits on the other up to a far deadline.
/// 5. From the deadline on, an unsettled deal is refunded: whatever was deposited is released.
///
/// The escrow owns nothing: deposits stay on the parties' accounts, held, until they settle or
/// are released.
contract DvpEscrow {
    enum Status {
        None,
        Open,
        Settled,
        Refunded
    }

    struct Deal {
        address seller;
        address buyer;
        uint32 security;
        uint32 cash;
        uint128 quantity;
        uint128 amount;
        uint64 deadline;
        bool sellerIn;
        bool buyerIn;
        Status status;
    }

    ISettlement private constant S = Settlement.PRECOMPILE;

    mapping(uint256 => Deal) public deals;
    uint256 public nextDeal;

    event DealOpened(uint256 indexed id, address indexed seller, address indexed buyer, uint64 deadline);
    event Deposited(uint256 indexed id, address indexed party);
    event Withdrawn(uint256 indexed id, address indexed party);
    event DealSettled(uint256 indexed id, uint64 settlement);
    event SettlementRefused(uint256 indexed id, string reason);
    event DealRefunded(uint256 indexed id);

    error NotAPartysBroker();
    error UnknownDeal();
    error DealClosed();
    error DeadlinePassed();
    error DeadlineNotReached();
    error NothingToDeposit();
    error NothingToWithdraw();
    error BadTerms();

    /// Open a deal: `seller` delivers `quantity` of `security` to `buyer` for `amount` of `cash`,
    /// by `deadline` (a Unix time in seconds). The caller is the broker of one of the parties.
    function open(
        address seller,
        address buyer,
        uint32 security,
        uint128 quantity,
        uint32 cash,
        uint128 amount,
        uint64 deadline
    ) external returns (uint256 id) {
        if (seller == buyer || quantity == 0 || amount == 0 || security == cash) revert BadTerms();
        if (deadline <= block.timestamp) revert DeadlinePassed();
        if (msg.sender != S.brokerOf(seller) && msg.sender != S.brokerOf(buyer)) revert NotAPartysBroker();
        id = nextDeal++;
        deals[id] = Deal(seller, buyer, security, cash, quantity, amount, deadline, false, false, Status.Open);
        emit DealOpened(id, seller, buyer, deadline);
    }

    /// Deposit the sides of deal `id` that the caller is the broker of; settles the deal when
    /// both are in.
    function deposit(uint256 id) external {
        Deal storage d = openDeal(id);
        if (block.timestamp >= d.deadline) revert DeadlinePassed();
        bool any;
        if (!d.sellerIn && msg.sender == S.brokerOf(d.seller)) {
            S.hold(d.security, d.seller, d.quantity);
            d.sellerIn = true;
            any = true;
            emit Deposited(id, d.seller);
        }
        if (!d.buyerIn && msg.sender == S.brokerOf(d.buyer)) {
            S.hold(d.cash, d.buyer, d.amount);
            d.buyerIn = true;
            any = true;
            emit Deposited(id, d.buyer);
        }
        if (!any) revert NothingToDeposit();
        if (d.sellerIn && d.buyerIn) trySettle(id, d);
    }

    /// Settle deal `id` again after a refusal (a party attested since, a halt lifted).
    function settle(uint256 id) external {
        Deal storage d = openDeal(id);
        if (block.timestamp >= d.deadline) revert DeadlinePassed();
        if (!(d.sellerIn && d.buyerIn)) revert NothingToDeposit();
        trySettle(id, d);
    }

    /// Take back the sides of unsettled deal `id` that the caller is the broker of and that
    /// are in: what was deposited is released. The deal stays open; a side may deposit again
    /// before the deadline.
    function withdraw(uint256 id) external {
        Deal storage d = openDeal(id);
        bool any;
        if (d.sellerIn && msg.sender == S.brokerOf(d.seller)) {
            d.sellerIn = false;
            any = true;
            S.release(d.security, d.seller, d.quantity);
            emit Withdrawn(id, d.seller);
        }
        if (d.buyerIn && msg.sender == S.brokerOf(d.buyer)) {
            d.buyerIn = false;
            any = true;
            S.release(d.cash, d.buyer, d.amount);
            emit Withdrawn(id, d.buyer);
        }
        if (!any) revert NothingToWithdraw();
    }

    /// Refund deal `id` from its deadline on: release whatever was deposited. Anyone may call.
    function refund(uint256 id) external {
        Deal storage d = openDeal(id);
        if (block.timestamp < d.deadline) revert DeadlineNotReached();
        d.status = Status.Refunded;
        if (d.sellerIn) S.release(d.security, d.seller, d.quantity);
        if (d.buyerIn) S.release(d.cash, d.buyer, d.amount);
        emit DealRefunded(id);
    }

    function openDeal(uint256 id) private view returns (Deal storage d) {
        d = deals[id];
        if (d.status == Status.None) revert UnknownDeal();
        if (d.status != Status.Open) revert DealClosed();
    }

    function trySettle(uint256 id, Deal storage d) private {
        ISettlement.Leg[] memory legs = new ISettlement.Leg[](2);
        legs[0] = Settlement.leg(d.seller, d.buyer, d.security, d.quantity);
        legs[1] = Settlement.leg(d.buyer, d.seller, d.cash, d.amount);
        try S.settle(legs) returns (uint64 settlement) {
            d.status = Status.Settled;
            emit DealSettled(id, settlement);
        } catch Error(string memory reason) {
            emit SettlementRefused(id, reason);
        }
    }
}
