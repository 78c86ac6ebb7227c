"""The value model: what a visit is worth to the planner (`app/planning/value.py`)."""

from app.holiday_calendar import HolidayCalendar
from app.models import Spot
from app.planning.value import values
from app.services.spots import SpotView


def view(spot_id: str, highlight: int, a_level: int | None, *categories: str) -> SpotView:
    spot = Spot(id=spot_id, highlight=highlight, a_level=a_level, priority=3, visit_minutes=60)
    return SpotView(spot, list(categories), central=False, calendar=HolidayCalendar())


def test_one_must_see_outweighs_two_sights_named_by_fewer_guides() -> None:
    """The region's highlights first: a site named by four guides is worth more than two
    sights near it named by three each (a park and a temple), though together those have
    more guides' mentions and more A-level points."""
    worth = values(
        [view("hamin", 4, None, "history"), view("park", 3, 2, "park"),
         view("temple", 3, 0, "temple")],
        {},
    )  # fmt: skip
    assert worth["hamin"] > worth["park"] + worth["temple"]


def test_standing_does_not_wear_down_but_merit_does() -> None:
    """The third lake's merit counts for less than the first's; a must-see's standing is
    whole however many of its kind come before it."""
    lakes = [view(f"lake{i}", 0, 4, "lake") for i in range(3)]
    worth = values([*lakes, view("famous_lake", 6, 4, "lake")], {})
    assert worth["lake0"] > worth["lake1"] > worth["lake2"]
    assert worth["famous_lake"] == 28 + 20 * 6 + 100  # first of its kind: merit whole


def test_interest_weights_the_whole_value() -> None:
    """A traveller's interest of 2 in deserts doubles a desert's value."""
    desert = [view("desert", 5, 4, "desert")]
    assert values(desert, {"desert": 2.0})["desert"] == 2 * values(desert, {})["desert"]
