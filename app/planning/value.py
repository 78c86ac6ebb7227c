"""What a visit is worth to the planner: the value model a bureau can read and tune.

A spot's value is its standing (how many travellers' guides name it a must-see: the
bureau-maintained ``highlight``) plus its merit as a sight (its A-level), times the
traveller's interest in its categories and the bureau's ``priority``; the merit of the same
kind of sight pays less each time it repeats in the candidate list (the third park is worth
less than the first desert). Food
streets, shopping areas and station districts are venues for lunch and evenings, not
sights, unless the traveller asks for food, shopping or nightlife. The README's "Value
model" section works an example through these numbers.
"""

from collections.abc import Iterable, Mapping

from app.geo import haversine_km
from app.models import Category
from app.services.spots import SpotView

BASE_POINTS = 10  # any sight worth a visit
HIGHLIGHT_POINTS = 20  # per reliable guide that names the spot a must-see of the region
# Named by this many guides, a spot is one of the region's must-sees, which a plan fits
# before lesser sights (the plan-quality rules): two sights named by three guides each
# must not outweigh one of them.
MUST_SEE_GUIDES = 4
MUST_SEE_POINTS = 100
# Must-sees this close together are one (红山: the forest park and the museum; 辽上京: the
# site and its museum): only the first of them earns the must-see points, so that a plan
# reaches another must-see before it sees the second half of one.
MUST_SEE_GROUP_KM = 10.0
A_LEVEL_POINTS = {5: 25, 4: 18, 3: 10, 2: 5, 1: 2, 0: 0, None: 0}
NEUTRAL_PRIORITY = 3  # the bureau's 1-5 weight; 3 leaves the value as it is
KIND_DECAY = 0.75  # each better candidate already covering a spot's kinds multiplies by this
VENUE_CATEGORIES = frozenset({Category.food, Category.shopping, Category.nightlife})
MEAL_VISIT_MINUTES = 150  # a visit this long is to a scenic area with its own restaurant
# A party with a cap on the road may rest at the hotel instead of the evening outing, so
# that the day trip has the outing's minutes too: worth it for a sight worth more than this.
EVENING_POINTS = 20
# A day whose road leaves too little of it for its hours of sightseeing breaks a day rule:
# it costs more than a must-see earns, so a plan reaches its must-sees on days that hold.
SHORT_DAY_POINTS = 150


def _km(a: SpotView, b: SpotView) -> float:
    return haversine_km(a.spot.lat, a.spot.lon, b.spot.lat, b.spot.lon)


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


def merit(view: SpotView) -> int:
    """Points for what the spot is as a sight (A-level), which repeats of its kind wear down."""
    return BASE_POINTS + A_LEVEL_POINTS.get(view.spot.a_level, 0)


def standing(view: SpotView, first_of_group: bool = True) -> int:
    """Points for being named by guides, which never wear down; a must-see of the region
    earns more on top (the first of a group of neighbours only): highlights first."""
    h = view.spot.highlight
    must_see = h >= MUST_SEE_GUIDES and first_of_group
    return HIGHLIGHT_POINTS * h + (MUST_SEE_POINTS if must_see else 0)


def interest(view: SpotView, interests: Mapping[str, float]) -> float:
    """The traveller's strongest interest among the spot's categories (1 = neutral)."""
    return max((interests.get(c, 1.0) for c in view.categories), default=1.0)


def values(views: list[SpotView], interests: Mapping[str, float]) -> dict[str, int]:
    """Each candidate's integer value for the solver. Diminishing returns are applied in
    order of value: a spot's merit is multiplied by ``KIND_DECAY`` to the number of better
    candidates sharing the least repeated of its categories, so a sight of a new kind keeps
    its whole merit and the fourth lake counts for less than the first; its standing as a
    must-see is not worn down, but only the best of must-sees within ``MUST_SEE_GROUP_KM``
    of each other counts as one."""

    def weight(v: SpotView) -> float:
        return interest(v, interests) * v.spot.priority / NEUTRAL_PRIORITY

    order = sorted(views, key=lambda v: (-(merit(v) + standing(v)) * weight(v), v.spot.id))
    seen: dict[str, int] = {}
    groups: list[SpotView] = []  # the must-sees that earned the must-see points
    out = {}
    for v in order:
        repeats = min((seen.get(c, 0) for c in v.categories), default=0)
        first = all(_km(v, g) >= MUST_SEE_GROUP_KM for g in groups)
        if first and v.spot.highlight >= MUST_SEE_GUIDES:
            groups.append(v)
        value = merit(v) * KIND_DECAY**repeats + standing(v, first)
        out[v.spot.id] = round(value * weight(v))
        for c in v.categories:
            seen[c] = seen.get(c, 0) + 1
    return out
