"""Opening-hours evaluation: season, weekday, two windows, holidays, 调休 and closures."""

from datetime import date

import pytest

from app.opening import OpeningHoursError, normalize, windows_on

CHIFENG = {"lat": 42.27, "lon": 118.95}


def labels(expression: str, day: date, closed: bool = False) -> list[tuple[str, str]]:
    return [
        (w.as_dict()["open"], w.close_label)
        for w in windows_on(expression, day, closed=closed, **CHIFENG)
    ]


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

    def test_swapped_working_day(self) -> None:
        """Sat 2026-02-14 is a 调休 working day: a Mo-Fr office opens like on a weekday."""
        assert labels("Mo-Fr 09:00-17:00", date(2026, 2, 14)) == [("09:00", "17:00")]
        assert labels("Mo-Fr 09:00-17:00", date(2026, 2, 21)) == []

    def test_swapped_working_day_uses_the_paid_weekday(self) -> None:
        """Sun 2026-09-20 pays for Tue 2026-10-06, so Tuesday's hours apply."""
        expr = "Mo 10:00-12:00; Tu 08:00-18:00; We-Su 09:00-17:00"
        assert labels(expr, date(2026, 9, 20)) == [("08:00", "18:00")]

    def test_dated_closure_closes_the_day(self) -> None:
        assert labels("Mo-Su 08:00-18:00", date(2026, 6, 2), closed=True) == []

    def test_until_midnight(self) -> None:
        assert labels("18:00-24:00", date(2026, 6, 2)) == [("18:00", "24:00")]

    def test_sun_events_follow_the_season(self) -> None:
        """`sunrise-sunset` at Chifeng: a long June day, a short December one."""
        june = windows_on("sunrise-sunset", date(2026, 6, 21), **CHIFENG)[0].minutes
        december = windows_on("sunrise-sunset", date(2026, 12, 21), **CHIFENG)[0].minutes
        assert june[1] - june[0] > 14 * 60
        assert december[1] - december[0] < 10 * 60


class TestNormalize:
    def test_valid_expression_is_kept(self) -> None:
        assert normalize("  Tu-Su,PH   09:00-16:30 ") == "Tu-Su,PH 09:00-16:30"

    @pytest.mark.parametrize("bad", ["", "blah", "Mo-Fr 25:00-26:00 x", "Mo-Xx 08:00-09:00"])
    def test_invalid_expression_is_rejected(self, bad: str) -> None:
        with pytest.raises(OpeningHoursError):
            normalize(bad)
