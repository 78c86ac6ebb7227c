"""Opening hours: OSM `opening_hours` expressions evaluated per date for China.

Parsing, validation and evaluation are `opening-hours-py` (the Rust `opening-hours`
crate). Its built-in Chinese holidays are only the first day of each festival, so the
`PH` selector and swapped working days come from `app.holiday_calendar` instead:
- on a public holiday (the whole official break) `PH` rules apply;
- a swapped working day (调休) is a working day for offices, not for a museum's weekly
  rota: a venue keeps its own weekday rules (a Tu-Su museum opens on a working Saturday
  as on any Saturday), unless it follows the work week (offices, visitor centres); then
  it opens as on the weekday whose day off the Saturday pays for, so a Mo-Fr visitor
  centre is open on Sat 2026-02-28.
Dated closures (repairs, events) are separate rows and close the whole day.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

# The package raises ParserError (it is in its __all__), but its stub leaves it out.
from opening_hours import OpeningHours, ParserError, State  # type: ignore[attr-defined]

from app.holiday_calendar import CalendarDay, DayKind
from app.settings import TZ

_WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_PH = re.compile(r"\bPH\b")


class OpeningHoursError(ValueError):
    """The expression does not parse; the message says where."""


@dataclass(frozen=True)
class Window:
    open: time
    close: time | None  # None = midnight at the end of the day ("24:00")

    @property
    def close_label(self) -> str:
        return "24:00" if self.close is None else self.close.strftime("%H:%M")

    def as_dict(self) -> dict[str, str]:
        return {"open": self.open.strftime("%H:%M"), "close": self.close_label}

    @property
    def minutes(self) -> tuple[int, int]:
        close = 24 * 60 if self.close is None else self.close.hour * 60 + self.close.minute
        return self.open.hour * 60 + self.open.minute, close


def normalize(expression: str) -> str:
    """Validate an expression and return it trimmed; raise `OpeningHoursError` if invalid."""
    text = " ".join(expression.split())
    if not text:
        raise OpeningHoursError("empty opening_hours expression")
    try:
        OpeningHours(text)
    except (ParserError, SyntaxError, ValueError) as exc:
        first = str(exc).strip().splitlines()
        raise OpeningHoursError(
            f"not a valid OSM opening_hours expression: {first[-1].strip(' =') if first else exc}"
        ) from None
    return text


@lru_cache(maxsize=4096)
def _compiled(expression: str, lat: float, lon: float) -> OpeningHours:
    return OpeningHours(expression, coords=(lat, lon), timezone=TZ)


def _evaluation_day(info: CalendarDay, follows_workweek: bool) -> tuple[date, bool]:
    """The date whose weekday rules apply, and whether `PH` rules apply."""
    day = info.date
    if info.kind is DayKind.swapped_workday:
        if follows_workweek and info.works_as_weekday is not None:
            shift = (info.works_as_weekday - day.weekday() + 3) % 7 - 3
            return day + timedelta(days=shift), False
        return day, False
    return day, info.kind is DayKind.public_holiday


def windows_on(
    expression: str,
    day: CalendarDay,
    *,
    lat: float,
    lon: float,
    follows_workweek: bool = False,
    closed: bool = False,
) -> list[Window]:
    """Open windows of one local day (empty when closed). `lat`/`lon` place sun events;
    `follows_workweek` opens a swapped working weekend day as the weekday it pays for."""
    if closed:
        return []
    eval_day, holiday = _evaluation_day(day, follows_workweek)
    # `PH` becomes the evaluated weekday on a holiday and a different weekday otherwise,
    # so it matches exactly on the holidays of our calendar.
    ph_day = eval_day if holiday else eval_day + timedelta(days=1)
    rewritten = _PH.sub(_WEEKDAYS[ph_day.weekday()], expression)
    start = datetime.combine(eval_day, time(0), TZ)
    end = start + timedelta(days=1)
    windows: list[Window] = []
    for a, b, state, _comment in _compiled(rewritten, lat, lon).intervals(start, end):
        if state != State.OPEN:
            continue
        a, b = a.astimezone(TZ), b.astimezone(TZ)
        close = None if b >= end else b.time().replace(second=0, microsecond=0)
        windows.append(Window(a.time().replace(second=0, microsecond=0), close))
    return windows
