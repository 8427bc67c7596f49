// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import "ISettlement.sol";
import "Settlement.sol";

/// A pledged repo (质押式回购) between two members' own accounts: the borrower pledges
/// securities and takes the lender's cash; at maturity it repays the cash with interest and the
/// pledge is released. If it does not repay by then, the lender may take the pledged securities.
///
/// - Opening leg: the borrower's broker pledges (the repo holds the securities on the
///   borrower's account); the lender's broker funds (the repo holds the principal on the
///   lender's account); when both are in, the principal settles to the borrower. The pledge
///   stays held: the securities never leave the borrower's account while the repo runs.
/// - Closing leg: the borrower's broker repays principal plus interest (`principal × rate ×
///   days / 365`, the rate in basis points a year, the days from opening to maturity, rounded
///   up); it settles to the lender and the pledge is released.
/// - Default: from `maturity + grace` on, if not repaid, the lender's broker claims the pledge:
///   the securities settle to the lender.
/// - Before the opening leg settles, either side may cancel and what was deposited is
///   released. A repo that has not opened by its maturity cannot open (`Matured`): it can only
///   be cancelled.
///
/// Interest is fixed at opening (a fixed-term repo). The parties are brokers' own accounts: on
/// this chain an investor's cash moves only against securities, within the market's band, so
/// investor repo goes through the exchange.
contract PledgedRepo {
    enum Status {
        None,
        Proposed,
        Open,
        Closed,
        Defaulted,
        Cancelled
    }

    struct Repo {
        address borrower;
        address lender;
        uint32 security;
        uint32 cash;
        uint128 collateral;
        uint128 principal;
        uint32 rateBps;
        uint64 maturity;
        uint64 grace;
        uint64 openedAt;
        bool pledged;
        bool funded;
        Status status;
    }

    ISettlement private constant S = Settlement.PRECOMPILE;
    uint256 private constant DAY = 86_400;

    mapping(uint256 => Repo) public repos;
    uint256 public nextRepo;

    event RepoProposed(uint256 indexed id, address indexed borrower, address indexed lender, uint64 maturity);
    event Pledged(uint256 indexed id);
    event Funded(uint256 indexed id);
    event RepoOpened(uint256 indexed id, uint64 settlement, uint128 repayment);
    event RepoClosed(uint256 indexed id, uint64 settlement, uint128 interest);
    event RepoDefaulted(uint256 indexed id, uint64 settlement);
    event RepoCancelled(uint256 indexed id);

    error NotTheBroker();
    error UnknownRepo();
    error WrongStatus();
    error BadTerms();
    error TooEarly();
    error Matured();

    /// Propose a repo; the caller is the borrower's or the lender's broker.
    function propose(
        address borrower,
        address lender,
        uint32 security,
        uint128 collateral,
        uint32 cash,
        uint128 principal,
        uint32 rateBps,
        uint64 maturity,
        uint64 grace
    ) external returns (uint256 id) {
        if (borrower == lender || collateral == 0 || principal == 0 || security == cash) revert BadTerms();
        if (maturity <= block.timestamp) revert BadTerms();
        // The most it can come to (opened now): principal and interest must fit in a uint128.
        if (uint256(principal) + interestFrom(principal, rateBps, maturity, block.timestamp) > type(uint128).max) {
            revert BadTerms();
        }
        if (msg.sender != S.brokerOf(borrower) && msg.sender != S.brokerOf(lender)) revert NotTheBroker();
        id = nextRepo++;
        Repo storage r = repos[id];
        (r.borrower, r.lender, r.security, r.cash) = (borrower, lender, security, cash);
        (r.collateral, r.principal, r.rateBps, r.maturity, r.grace) = (collateral, principal, rateBps, maturity, grace);
        r.status = Status.Proposed;
        emit RepoProposed(id, borrower, lender, maturity);
    }

    /// The borrower's broker pledges the collateral.
    function pledge(uint256 id) external {
        Repo storage r = repoIn(id, Status.Proposed);
        if (r.pledged || msg.sender != S.brokerOf(r.borrower)) revert NotTheBroker();
        if (block.timestamp >= r.maturity) revert Matured();
        S.hold(r.security, r.borrower, r.collateral);
        r.pledged = true;
        emit Pledged(id);
        if (r.funded) openLeg(id, r);
    }

    /// The lender's broker funds the principal.
    function fund(uint256 id) external {
        Repo storage r = repoIn(id, Status.Proposed);
        if (r.funded || msg.sender != S.brokerOf(r.lender)) revert NotTheBroker();
        if (block.timestamp >= r.maturity) revert Matured();
        S.hold(r.cash, r.lender, r.principal);
        r.funded = true;
        emit Funded(id);
        if (r.pledged) openLeg(id, r);
    }

    /// Before it opens, either party's broker cancels: what was deposited is released.
    function cancel(uint256 id) external {
        Repo storage r = repoIn(id, Status.Proposed);
        if (msg.sender != S.brokerOf(r.borrower) && msg.sender != S.brokerOf(r.lender)) revert NotTheBroker();
        r.status = Status.Cancelled;
        if (r.pledged) S.release(r.security, r.borrower, r.collateral);
        if (r.funded) S.release(r.cash, r.lender, r.principal);
        emit RepoCancelled(id);
    }

    /// What the borrower repays for repo `id`: principal plus interest.
    function repayment(uint256 id) public view returns (uint128) {
        Repo storage r = repos[id];
        return r.principal + interest(r);
    }

    /// The borrower's broker repays (at any time while open, the interest fixed at opening):
    /// the cash settles to the lender and the pledge is released.
    function repay(uint256 id) external {
        Repo storage r = repoIn(id, Status.Open);
        if (msg.sender != S.brokerOf(r.borrower)) revert NotTheBroker();
        uint128 owed = repayment(id);
        S.hold(r.cash, r.borrower, owed);
        ISettlement.Leg[] memory legs = new ISettlement.Leg[](1);
        legs[0] = Settlement.leg(r.borrower, r.lender, r.cash, owed);
        uint64 settlement = S.settle(legs);
        S.release(r.security, r.borrower, r.collateral);
        r.status = Status.Closed;
        emit RepoClosed(id, settlement, owed - r.principal);
    }

    /// From maturity plus grace, unrepaid: the lender's broker takes the pledged securities.
    function claimCollateral(uint256 id) external {
        Repo storage r = repoIn(id, Status.Open);
        if (msg.sender != S.brokerOf(r.lender)) revert NotTheBroker();
        if (block.timestamp < uint256(r.maturity) + r.grace) revert TooEarly();
        ISettlement.Leg[] memory legs = new ISettlement.Leg[](1);
        legs[0] = Settlement.leg(r.borrower, r.lender, r.security, r.collateral);
        uint64 settlement = S.settle(legs);
        r.status = Status.Defaulted;
        emit RepoDefaulted(id, settlement);
    }

    function repoIn(uint256 id, Status status) private view returns (Repo storage r) {
        r = repos[id];
        if (r.status == Status.None) revert UnknownRepo();
        if (r.status != status) revert WrongStatus();
    }

    /// Interest from opening (or now, before it opens) to maturity. It fits in a uint128:
    /// `propose` checked it for a start no earlier than this one.
    function interest(Repo storage r) private view returns (uint128) {
        uint256 start = r.openedAt == 0 ? block.timestamp : r.openedAt;
        return uint128(interestFrom(r.principal, r.rateBps, r.maturity, start));
    }

    /// `principal × rateBps / 10,000 × days / 365` from `start` to `maturity`, whole days
    /// rounded up, the interest rounded up to the unit.
    function interestFrom(uint128 principal, uint32 rateBps, uint64 maturity, uint256 start)
        private
        pure
        returns (uint256)
    {
        uint256 term = maturity > start ? maturity - start : 0;
        uint256 days_ = (term + DAY - 1) / DAY;
        return (uint256(principal) * rateBps * days_ + 3_650_000 - 1) / 3_650_000;
    }

    function openLeg(uint256 id, Repo storage r) private {
        ISettlement.Leg[] memory legs = new ISettlement.Leg[](1);
        legs[0] = Settlement.leg(r.lender, r.borrower, r.cash, r.principal);
        uint64 settlement = S.settle(legs);
        r.openedAt = uint64(block.timestamp);
        r.status = Status.Open;
        emit RepoOpened(id, settlement, repayment(id));
    }
}
