"""The CP-SAT master picks the best columns: checked against brute force on pools small
enough to enumerate, and on hand-checkable trips."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from solver.master import Column, Master, Option, Selection, count, select, value


def feasible(master: Master, chosen: tuple[int, ...]) -> bool:
    """Every rule of the master, checked directly on a set of columns."""
    cols = [master.columns[i] for i in chosen]
    seen: set[int] = set()
    for c in cols:
        if c.visits & seen:
            return False
        seen |= c.visits
    cost = sum(c.cost for c in cols)
    if master.budget is not None and cost > master.budget:
        return False
    if master.max_cost is not None and cost > master.max_cost:
        return False
    if master.max_travel is not None and sum(c.travel for c in cols) > master.max_travel:
        return False
    for o, option in enumerate(master.options):
        uses = sum(1 for c in cols if c.option == o)
        if option.day is None and uses > option.most:
            return False
    per_day = [[master.options[c.option] for c in cols if master.options[c.option].day == d]
               for d in range(master.days)]  # fmt: skip
    if any(len(options) != 1 for options in per_day):
        return False
    for d in range(master.days - 1):
        if per_day[d][0].end != per_day[d + 1][0].start:
            return False
    for k, (low, high) in enumerate(master.bounds):
        if not low <= sum(count(master.options[c.option], k) for c in cols) <= high:
            return False
    for earlier in master.distinct_from:
        if len(seen & earlier) > len(earlier) - master.differ:
            return False
    return True


def brute_force(master: Master) -> tuple[int, int, int] | None:
    best = None
    n = len(master.columns)
    for k in range(n + 1):
        for chosen in combinations(range(n), k):
            if feasible(master, chosen):
                v = value(master, chosen)
                best = v if best is None or v > best else best
    return best


def solved(master: Master) -> Selection:
    selection = select(master)
    assert selection is not None
    assert feasible(master, selection.columns)
    assert selection.optimal
    return selection


def col(option: int, visits: set[int], score: int, cost: int = 0, travel: int = 0) -> Column:
    return Column(option, frozenset(visits), score, cost, travel)


# A three-day trip between two hubs: A (state 0) and B (state 1); day 0 starts at the
# arrival (state 9), day 2 ends at the departure (state 8).
TRIP = [
    Option(day=0, start=9, end=0),  # 0: arrive -> A
    Option(day=0, start=9, end=1),  # 1: arrive -> B
    Option(day=1, start=0, end=0),  # 2: A -> A
    Option(day=1, start=0, end=1),  # 3: A -> B
    Option(day=1, start=1, end=1),  # 4: B -> B
    Option(day=2, start=0, end=8),  # 5: A -> departure
    Option(day=2, start=1, end=8),  # 6: B -> departure
]
EMPTY = [col(o, set(), 0) for o in range(len(TRIP))]


def test_hubs_chain_night_to_night() -> None:
    """The best day routes lie on different chains: the master takes the best chain, not
    the best route of each day."""
    columns = [*EMPTY, col(1, {1}, 50), col(2, {2}, 40), col(5, {3}, 30), col(4, {4}, 45)]
    selection = solved(Master(TRIP, columns))
    # arrive -> B (50), B -> B (45), B -> departure (0) beats arrive -> A, A -> A, A -> dep.
    assert selection.score == 95
    assert [TRIP[columns[i].option].end for i in selection.columns] == [1, 1, 8]


def test_a_spot_offered_on_two_days_is_planned_once() -> None:
    columns = [*EMPTY, col(0, {1}, 50), col(2, {1}, 50), col(2, {2}, 20), col(5, {1, 3}, 60)]
    selection = solved(Master(TRIP, columns))
    assert selection.score == 80  # 1 and 3 on day 2 (60) with 2 on day 1 (20)
    assert brute_force(Master(TRIP, columns)) == value(Master(TRIP, columns), selection.columns)


def test_a_must_visit_comes_before_score() -> None:
    columns = [*EMPTY, col(2, {1}, 90), col(2, {7}, 5)]
    selection = solved(Master(TRIP, columns, required=frozenset({7})))
    assert selection.required == 1 and selection.score == 5


def test_the_budget_holds() -> None:
    columns = [
        *EMPTY,
        col(2, {1}, 90, cost=120),
        col(2, {2}, 60, cost=40),
        col(0, {3}, 30, cost=50),
    ]
    selection = solved(Master(TRIP, columns, budget=100))
    assert selection.cost == 90 and selection.score == 90  # 60 + 30, not the 120-yuan 90


def test_a_gateway_night_pays_its_penalty_and_its_bound() -> None:
    """Option 7 sleeps at a gateway (state 2): worth it only when what it unlocks beats the
    penalty, and never twice."""
    options = [*TRIP, Option(day=0, start=9, end=2, penalty=30, counts=(1,)),
               Option(day=1, start=2, end=0)]  # fmt: skip
    base = [col(o, set(), 0) for o in range(len(options))]
    far = [col(7, {5}, 40), col(8, set(), 0)]
    master = Master(options, [*base, *far], bounds=[(0, 1)])
    assert solved(master).score == 10  # 40 - 30
    cheap = Master(options, [*base, col(7, {5}, 25), col(2, set(), 0)], bounds=[(0, 1)])
    assert solved(cheap).score == 0  # 25 - 30 < 0: stay central
    none = Master(options, [*base, *far], bounds=[(0, 0)])
    assert solved(none).score == 0


def test_identical_tours_take_at_most_their_number() -> None:
    options = [Option(most=2)]
    columns = [col(0, {1, 2}, 30), col(0, {3}, 25), col(0, {4}, 20), col(0, {2, 3}, 40)]
    selection = solved(Master(options, columns))
    assert selection.score == 60 and len(selection.columns) == 2  # {2, 3} and {4}


def test_less_travel_breaks_ties_and_caps_hold() -> None:
    options = [Option(most=1)]
    columns = [col(0, {1}, 30, travel=90), col(0, {2}, 30, travel=60)]
    assert solved(Master(options, columns)).travel == 60
    assert select(Master(options, columns, max_travel=50)) is not None
    assert solved(Master(options, columns, max_travel=50)).score == 0


def test_no_chain_means_no_selection() -> None:
    options = [Option(day=0, start=9, end=0), Option(day=1, start=1, end=8)]
    assert select(Master(options, [col(0, set(), 0), col(1, set(), 0)])) is None


def test_distinct_from_an_earlier_selection() -> None:
    options = [Option(most=2)]
    columns = [col(0, {1, 2}, 30), col(0, {3}, 25), col(0, {4}, 20)]
    first = solved(Master(options, columns))
    again = solved(Master(options, columns, distinct_from=[frozenset({1, 2, 3})], differ=2))
    assert first.score == 55 and again.score == 45  # {1,2} + {4}: drops 3 of 1,2,3


def test_the_same_pool_gives_the_same_selection() -> None:
    columns = [*EMPTY] + [col(o, {o % 4, 4 + o % 3}, 10 + 3 * o) for o in range(7)]
    first = select(Master(TRIP, columns))
    assert first is not None
    assert all(select(Master(TRIP, columns)) == first for _ in range(3))


@st.composite
def pools(draw: st.DrawFn) -> Master:
    """Random trips of 2-3 days over two hubs, with random columns, a budget and a bound on
    the nights at hub B."""
    days = draw(st.integers(2, 3))
    options = []
    for d in range(days):
        starts = [9] if d == 0 else [0, 1]
        ends = [8] if d == days - 1 else [0, 1]
        for s in starts:
            for e in ends:
                options.append(Option(day=d, start=s, end=e, penalty=draw(st.integers(0, 5)),
                                      counts=(1 if e == 1 else 0,)))  # fmt: skip
    columns = [col(o, set(), 0) for o in range(len(options))]
    for _ in range(draw(st.integers(0, 7))):
        columns.append(
            col(
                draw(st.integers(0, len(options) - 1)),
                set(draw(st.lists(st.integers(0, 5), max_size=3))),
                draw(st.integers(0, 40)),
                cost=draw(st.integers(0, 30)),
                travel=draw(st.integers(0, 100)),
            )
        )
    return Master(
        options,
        columns,
        required=frozenset(draw(st.lists(st.integers(0, 5), max_size=1))),
        budget=draw(st.none() | st.integers(0, 60)),
        bounds=[(0, draw(st.integers(0, days - 1)))],
    )


@settings(max_examples=60, deadline=None)
@given(pools())
def test_matches_brute_force_on_random_pools(master: Master) -> None:
    best = brute_force(master)
    selection = select(master)
    if best is None:
        assert selection is None
        return
    assert selection is not None and selection.optimal
    assert feasible(master, selection.columns)
    assert value(master, selection.columns) == best


def test_a_must_visit_outweighs_its_travel_when_nothing_scores() -> None:
    """Found by the random pools: with no score anywhere, a must-visit weighed less than
    its column's travel, and an empty day won."""
    options = [Option(day=0, start=9, end=0), Option(day=1, start=0, end=8)]
    columns = [col(0, set(), 0), col(1, set(), 0), col(0, {3}, 0, travel=5)]
    selection = solved(Master(options, columns, required=frozenset({3})))
    assert selection.columns == (2, 1) and selection.required == 1
