"""What a visit is worth to the planner: the value model a bureau can read and tune.

A spot's value is its standing (how many travellers' guides name it a must-see: the
bureau-maintained ``highlight``, then its A-level) times the traveller's interest in its
categories and the bureau's ``priority``; the same kind of sight pays less each time it
repeats in the candidate list (the third park is worth less than the first desert). Food
streets, shopping areas and station districts are venues for lunch and evenings, not
sights, unless the traveller asks for food, shopping or nightlife. The README's "Value
model" section works an example through these numbers.
"""

from collections.abc import Iterable, Mapping

from app.models import Category
from app.services.spots import SpotView

BASE_POINTS = 10  # any sight worth a visit
HIGHLIGHT_POINTS = 20  # per reliable guide that names the spot a must-see of the region
A_LEVEL_POINTS = {5: 25, 4: 18, 3: 10, 2: 5, 1: 2, 0: 0, None: 0}
NEUTRAL_PRIORITY = 3  # the bureau's 1-5 weight; 3 leaves the value as it is
KIND_DECAY = 0.75  # each better candidate already covering a spot's kinds multiplies by this
VENUE_CATEGORIES = frozenset({Category.food, Category.shopping, Category.nightlife})
MEAL_VISIT_MINUTES = 150  # a visit this long is to a scenic area with its own restaurant


def is_venue(categories: Iterable[str]) -> bool:
    """Mostly food, shopping or nightlife: a place to eat or spend the evening."""
    cats = set(categories)
    return 2 * len(cats & VENUE_CATEGORIES) > len(cats)


def wants_venues(interests: Mapping[str, float]) -> bool:
    """The traveller asked for food, shopping or nightlife as sights."""
    return any(interests.get(c, 1.0) > 1.0 for c in VENUE_CATEGORIES)


def hosts_lunch(view: SpotView) -> bool:
    """Lunch may be taken during the visit, at the scenic area's own restaurant."""
    return view.spot.visit_minutes >= MEAL_VISIT_MINUTES and not is_venue(view.categories)


def standing(view: SpotView) -> int:
    """Points for what the spot is, before the traveller's interests."""
    spot = view.spot
    return BASE_POINTS + HIGHLIGHT_POINTS * spot.highlight + A_LEVEL_POINTS.get(spot.a_level, 0)


def interest(view: SpotView, interests: Mapping[str, float]) -> float:
    """The traveller's strongest interest among the spot's categories (1 = neutral)."""
    return max((interests.get(c, 1.0) for c in view.categories), default=1.0)


def values(views: list[SpotView], interests: Mapping[str, float]) -> dict[str, int]:
    """Each candidate's integer value for the solver. Diminishing returns are applied in
    order of value: a spot's factor is ``KIND_DECAY`` to the number of better candidates
    sharing the least repeated of its categories, so a sight of a new kind keeps its full
    value and the fourth lake counts for less than the first."""
    raw = {
        v.spot.id: standing(v) * interest(v, interests) * v.spot.priority / NEUTRAL_PRIORITY
        for v in views
    }
    seen: dict[str, int] = {}
    out = {}
    for v in sorted(views, key=lambda v: (-raw[v.spot.id], v.spot.id)):
        repeats = min((seen.get(c, 0) for c in v.categories), default=0)
        out[v.spot.id] = round(raw[v.spot.id] * KIND_DECAY**repeats)
        for c in v.categories:
            seen[c] = seen.get(c, 0) + 1
    return out
