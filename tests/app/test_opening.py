"""Opening-hours evaluation: season, weekday, two windows, holidays, 调休 and closures."""

from datetime import date

import pytest

from app.holiday_calendar import HolidayCalendar, NoticeDay, NoticeDayKind
from app.opening import OpeningHoursError, normalize, windows_on

CHIFENG = {"lat": 42.27, "lon": 118.95}
PACKAGE = HolidayCalendar()


def labels(
    expression: str,
    day: date,
    closed: bool = False,
    follows_workweek: bool = False,
    calendar: HolidayCalendar = PACKAGE,
) -> list[tuple[str, str]]:
    windows = windows_on(
        expression,
        calendar.day(day),
        closed=closed,
        follows_workweek=follows_workweek,
        **CHIFENG,
    )
    return [(w.as_dict()["open"], w.close_label) for w in windows]


class TestWindowsOn:
    def test_weekly_closing_day(self) -> None:
        """A Tu-Su museum is closed on an ordinary Monday and open on Tuesday."""
        assert labels("Tu-Su 09:00-16:30", date(2026, 12, 7)) == []
        assert labels("Tu-Su 09:00-16:30", date(2026, 12, 8)) == [("09:00", "16:30")]

    def test_seasonal_closure(self) -> None:
        """A May-Oct grassland is open in July and closed in November."""
        expr = "May-Oct 08:30-17:30"
        assert labels(expr, date(2026, 7, 15)) == [("08:30", "17:30")]
        assert labels(expr, date(2026, 11, 3)) == []

    def test_two_windows_in_one_day(self) -> None:
        """A lunch closure gives two windows, in order."""
        assert labels("Mo-Su 08:00-11:30,13:30-17:00", date(2026, 6, 2)) == [
            ("08:00", "11:30"),
            ("13:30", "17:00"),
        ]

    def test_public_holiday_opens_a_monday(self) -> None:
        """`Tu-Su,PH`: Monday 2026-10-05 is in the National Day break, so it opens."""
        assert labels("Tu-Su,PH 09:00-16:30", date(2026, 10, 5)) == [("09:00", "16:30")]
        assert labels("Tu-Su,PH 09:00-16:30", date(2026, 10, 12)) == []

    def test_public_holiday_off(self) -> None:
        """`PH off` closes on a holiday (1 Oct) and not on an ordinary Thursday."""
        expr = "Mo-Su 08:00-18:00; PH off"
        assert labels(expr, date(2026, 10, 1)) == []
        assert labels(expr, date(2026, 10, 15)) == [("08:00", "18:00")]

    def test_weekend_inside_a_break_counts_as_holiday(self) -> None:
        """Sunday 2026-10-04 belongs to the National Day break, so holiday hours apply."""
        expr = "Mo-Su 09:00-17:00; PH 08:00-20:00"
        assert labels(expr, date(2026, 10, 4)) == [("08:00", "20:00")]
        assert labels(expr, date(2026, 10, 18)) == [("09:00", "17:00")]

    def test_dated_closure_closes_the_day(self) -> None:
        assert labels("Mo-Su 08:00-18:00", date(2026, 6, 2), closed=True) == []

    def test_until_midnight(self) -> None:
        assert labels("18:00-24:00", date(2026, 6, 2)) == [("18:00", "24:00")]

    def test_sun_events_follow_the_season(self) -> None:
        """`sunrise-sunset` at Chifeng: a long June day, a short December one."""
        june = windows_on("sunrise-sunset", PACKAGE.day(date(2026, 6, 21)), **CHIFENG)[0]
        december = windows_on("sunrise-sunset", PACKAGE.day(date(2026, 12, 21)), **CHIFENG)[0]
        june, december = june.minutes, december.minutes
        assert june[1] - june[0] > 14 * 60
        assert december[1] - december[0] < 10 * 60


class TestSwappedWorkingDay:
    """调休: Sat 2026-02-28 is a working day that pays for Mon 2026-02-23."""

    def test_a_venue_keeps_its_own_saturday(self) -> None:
        """A Tu-Su museum opens on the working Saturday as on any Saturday (not as on the
        Monday it pays for, when it is closed)."""
        assert labels("Tu-Su 09:00-16:30", date(2026, 2, 28)) == [("09:00", "16:30")]
        assert labels("Mo-Fr 09:00-17:00", date(2026, 2, 28)) == []
        assert labels("Mo-Fr 09:00-17:00; Sa 10:00-15:00", date(2026, 2, 28)) == [
            ("10:00", "15:00")
        ]

    def test_a_workweek_venue_opens_as_on_the_paid_weekday(self) -> None:
        """A Mo-Fr visitor centre that follows the work week is open that Saturday, and
        closed on an ordinary one."""
        expr = "Mo-Fr 09:00-17:00"
        assert labels(expr, date(2026, 2, 28), follows_workweek=True) == [("09:00", "17:00")]
        assert labels(expr, date(2026, 3, 7), follows_workweek=True) == []

    def test_the_paid_weekday_rules_apply(self) -> None:
        """Sun 2026-09-20 pays for Tue 2026-10-06: Tuesday's hours for a workweek venue,
        Sunday's for any other."""
        expr = "Mo 10:00-12:00; Tu 08:00-18:00; We-Su 09:00-17:00"
        assert labels(expr, date(2026, 9, 20), follows_workweek=True) == [("08:00", "18:00")]
        assert labels(expr, date(2026, 9, 20)) == [("09:00", "17:00")]

    def test_holiday_rules_do_not_apply(self) -> None:
        """A working day is no holiday: `PH` hours are not used for either kind of venue."""
        expr = "Mo-Su 09:00-17:00; PH 08:00-20:00"
        assert labels(expr, date(2026, 2, 28)) == [("09:00", "17:00")]
        assert labels(expr, date(2026, 2, 28), follows_workweek=True) == [("09:00", "17:00")]


class TestLoadedNotice:
    """A 2027 notice (made up: the real one is not published) drives the evaluation."""

    NOTICE = HolidayCalendar(
        {
            2027: [
                NoticeDay(date(2027, 2, 14), NoticeDayKind.workday, ""),
                NoticeDay(date(2027, 10, 5), NoticeDayKind.holiday, "国庆节"),
            ]
        }
    )

    def test_ph_rules_apply_on_a_listed_holiday(self) -> None:
        """Tue 2027-10-05 is listed: `PH off` closes, a Tu-Su,PH museum keeps its hours."""
        assert labels("Mo-Su 08:00-18:00; PH off", date(2027, 10, 5), calendar=self.NOTICE) == []
        assert labels("Tu-Su 09:00-16:30; PH 10:00-15:00", date(2027, 10, 5),
                      calendar=self.NOTICE) == [("10:00", "15:00")]  # fmt: skip

    def test_unlisted_days_are_ordinary(self) -> None:
        """Mon 2027-10-04 is a guessed day off in `holidays`, not in the notice."""
        expr = "Mo-Su 08:00-18:00; PH off"
        assert labels(expr, date(2027, 10, 4)) == []
        assert labels(expr, date(2027, 10, 4), calendar=self.NOTICE) == [("08:00", "18:00")]

    def test_a_listed_working_sunday(self) -> None:
        """Sun 2027-02-14: a Sa,Su-only venue keeps its Sunday; a workweek office opens."""
        day = date(2027, 2, 14)
        assert labels("Sa,Su 09:00-17:00", day, calendar=self.NOTICE) == [("09:00", "17:00")]
        assert labels("Mo-Fr 09:00-17:00", day, calendar=self.NOTICE) == []
        assert labels("Mo-Fr 09:00-17:00", day, follows_workweek=True, calendar=self.NOTICE) == [
            ("09:00", "17:00")
        ]


class TestNormalize:
    def test_valid_expression_is_kept(self) -> None:
        assert normalize("  Tu-Su,PH   09:00-16:30 ") == "Tu-Su,PH 09:00-16:30"

    @pytest.mark.parametrize("bad", ["", "blah", "Mo-Fr 25:00-26:00 x", "Mo-Xx 08:00-09:00"])
    def test_invalid_expression_is_rejected(self, bad: str) -> None:
        with pytest.raises(OpeningHoursError):
            normalize(bad)
