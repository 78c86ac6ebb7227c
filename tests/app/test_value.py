"""The value model: what a visit is worth to the planner (`app/planning/value.py`)."""

from app.holiday_calendar import HolidayCalendar
from app.models import Spot
from app.planning.value import values
from app.services.spots import SpotView


def view(
    spot_id: str, highlight: int, a_level: int | None, *categories: str, km_east: float = 0.0
) -> SpotView:
    """A spot on the 42nd parallel, ``km_east`` of the others (about 82 km a degree)."""
    spot = Spot(id=spot_id, highlight=highlight, a_level=a_level, priority=3, visit_minutes=60,
                lat=42.0, lon=119.0 + km_east / 82.6)  # fmt: skip
    return SpotView(spot, list(categories), central=False, calendar=HolidayCalendar())


def test_one_must_see_outweighs_two_sights_named_by_fewer_guides() -> None:
    """The region's highlights first: a site named by four guides is worth more than two
    sights near it named by three each (a park and a temple), though together those have
    more guides' mentions and more A-level points."""
    worth = values(
        [view("hamin", 4, None, "history"), view("park", 3, 2, "park", km_east=5),
         view("temple", 3, 0, "temple", km_east=8)],
        {},
    )  # fmt: skip
    assert worth["hamin"] > worth["park"] + worth["temple"]


def test_standing_does_not_wear_down_but_merit_does() -> None:
    """The third lake's merit counts for less than the first's; a must-see's standing is
    whole however many of its kind come before it."""
    lakes = [view(f"lake{i}", 0, 4, "lake") for i in range(3)]
    worth = values([*lakes, view("famous_lake", 6, 4, "lake", km_east=30)], {})
    assert worth["lake0"] > worth["lake1"] > worth["lake2"]
    assert worth["famous_lake"] == 28 + 20 * 6 + 100  # first of its kind: merit whole


def test_interest_weights_the_whole_value() -> None:
    """A traveller's interest of 2 in deserts doubles a desert's value."""
    desert = [view("desert", 5, 4, "desert")]
    assert values(desert, {"desert": 2.0})["desert"] == 2 * values(desert, {})["desert"]


def test_must_sees_side_by_side_are_one() -> None:
    """A museum and the site it stands by (2 km), both named by four guides: the better
    of the two is the must-see and the other keeps its guides' points without the must-see
    bonus, so that a plan reaches a must-see farther out before the second of the pair; a
    must-see 50 km away is a must-see of its own."""
    site, museum = view("site", 4, None, "history"), view("museum", 4, 3, "museum", km_east=2)
    lake = view("lake", 4, None, "lake", km_east=50)
    worth = values([site, museum, lake], {})
    assert worth["museum"] == 20 + 20 * 4 + 100
    assert worth["site"] == 10 + 20 * 4
    assert worth["lake"] == 10 + 20 * 4 + 100
