// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import "ISettlement.sol";
import "Settlement.sol";

/// Subscriptions and redemptions of a fund at the net asset value its manager publishes, settled
/// T+0 on chain: what a broker offers its clients for an on-exchange fund's primary market.
///
/// - The fund's units are a ledger security; the manager is a member broker whose own account
///   keeps the units inventory and the fund's cash. Its broker approves this contract for the
///   units and the cash it may pay out (`Settlement.approveContract`).
/// - The manager's broker publishes the NAV: cash per unit, in the cash asset's smallest unit.
///   A NAV older than `maxNavAge` seconds is stale, and nothing trades on it.
/// - An investor's broker subscribes `cash` for its client: the contract holds the cash on the
///   investor's account and the units (`cash / nav`, rounded down; the rest stays with the
///   investor) on the manager's, and settles both legs at once. Redemption is the reverse.
///   Each names the worst NAV its client accepts (`maxNav` to subscribe, `minNav` to redeem),
///   so a NAV published just before it cannot fill it at a price the client did not agree to.
/// - The chain checks what it checks for any investor's delivery versus payment: the investor's
///   standing, the compliance rules of the units (suitability included), and the price within
///   the units' market band.
contract FundSubscription {
    ISettlement private constant S = Settlement.PRECOMPILE;

    address public immutable manager;
    uint32 public immutable units;
    uint32 public immutable cash;
    uint64 public immutable maxNavAge;
    uint128 public immutable minSubscription;

    uint128 public nav;
    uint64 public navAt;

    event NavPublished(uint128 nav, uint64 publishedAt);
    event Subscribed(address indexed investor, uint128 cash, uint128 units, uint64 settlement);
    event Redeemed(address indexed investor, uint128 units, uint128 cash, uint64 settlement);

    error NotTheManager();
    error NotTheInvestorsBroker();
    error StaleNav();
    error BelowMinimum();
    error ZeroUnits();
    error NavBeyondLimit(uint128 nav);

    constructor(address manager_, uint32 units_, uint32 cash_, uint64 maxNavAge_, uint128 minSubscription_) {
        (manager, units, cash, maxNavAge, minSubscription) = (manager_, units_, cash_, maxNavAge_, minSubscription_);
    }

    /// The manager's broker publishes the NAV per unit.
    function publishNav(uint128 nav_) external {
        if (msg.sender != S.brokerOf(manager)) revert NotTheManager();
        if (nav_ == 0) revert StaleNav();
        (nav, navAt) = (nav_, uint64(block.timestamp));
        emit NavPublished(nav_, navAt);
    }

    /// Subscribe `amount` of cash for `investor` at the current NAV, if it is at most `maxNav`;
    /// the caller is its broker.
    function subscribe(address investor, uint128 amount, uint128 maxNav) external returns (uint128 issued) {
        uint128 price = freshNav();
        if (price > maxNav) revert NavBeyondLimit(price);
        if (msg.sender != S.brokerOf(investor)) revert NotTheInvestorsBroker();
        if (amount < minSubscription) revert BelowMinimum();
        issued = amount / price;
        if (issued == 0) revert ZeroUnits();
        uint128 paid = issued * price;
        S.hold(cash, investor, paid);
        S.hold(units, manager, issued);
        uint64 settlement = S.settle(pair(manager, investor, issued, paid));
        emit Subscribed(investor, paid, issued, settlement);
    }

    /// Redeem `quantity` units of `investor` at the current NAV, if it is at least `minNav`;
    /// the caller is its broker.
    function redeem(address investor, uint128 quantity, uint128 minNav) external returns (uint128 paid) {
        uint128 price = freshNav();
        if (price < minNav) revert NavBeyondLimit(price);
        if (msg.sender != S.brokerOf(investor)) revert NotTheInvestorsBroker();
        if (quantity == 0) revert ZeroUnits();
        paid = quantity * price;
        S.hold(units, investor, quantity);
        S.hold(cash, manager, paid);
        uint64 settlement = S.settle(pair(investor, manager, quantity, paid));
        emit Redeemed(investor, quantity, paid, settlement);
    }

    function freshNav() private view returns (uint128) {
        if (nav == 0 || block.timestamp > uint256(navAt) + maxNavAge) revert StaleNav();
        return nav;
    }

    /// Units from `deliverer` to `receiver`, the cash back.
    function pair(address deliverer, address receiver, uint128 quantity, uint128 amount)
        private
        view
        returns (ISettlement.Leg[] memory legs)
    {
        legs = new ISettlement.Leg[](2);
        legs[0] = Settlement.leg(deliverer, receiver, units, quantity);
        legs[1] = Settlement.leg(receiver, deliverer, cash, amount);
    }
}
