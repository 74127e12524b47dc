import json
import random
import time as clock
from datetime import date, datetime, time, timedelta

import pytest

from desktop_app.core.office_calendar import OfficeCalendar, StandardTime

# November/December 2026: Fri 27 Nov, Sat 28, Sun 29, Mon 30 Nov; Thu 24 Dec, Fri 25 Dec.
HOLIDAYS = {date(2026, 12, 24), date(2026, 12, 25)}


@pytest.fixture
def cal() -> OfficeCalendar:
    return OfficeCalendar(holidays=set(HOLIDAYS))


def dt(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute)


def minutes(n: int) -> StandardTime:
    return StandardTime(n, "minute")


# --- StandardTime -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit", "label"),
    [
        ("5 Menit", 5, "minute", "5 menit"),
        ("5 menit", 5, "minute", "5 menit"),
        ("10 Menit", 10, "minute", "10 menit"),
        ("15 Menit", 15, "minute", "15 menit"),
        ("30 menit", 30, "minute", "30 menit"),
        ("2 jam", 2, "hour", "2 jam"),
        ("2 JAM", 2, "hour", "2 jam"),
        ("1 hari", 1, "day", "1 hari kerja"),
        ("3 hari", 3, "day", "3 hari kerja"),
        ("7 Hari", 7, "day", "7 hari kerja"),
        ("  7  Hari ", 7, "day", "7 hari kerja"),
        ("7 hari kerja", 7, "day", "7 hari kerja"),
        ("1 minggu", 5, "day", "5 hari kerja"),
    ],
)
def test_parse_seed_spellings(text, amount, unit, label):
    st = StandardTime.parse(text)
    assert (st.amount, st.unit, st.label) == (amount, unit, label)
    assert StandardTime.parse(st.label) == st  # the label reads back


@pytest.mark.parametrize(
    "text", ["", "lima menit", "5", "5 detik", "2 bulan", "-1 hari", "1.5 jam"]
)
def test_parse_rejects_and_names_text(text):
    with pytest.raises(ValueError) as info:
        StandardTime.parse(text)
    assert repr(text) in str(info.value)


def test_bad_unit_rejected():
    with pytest.raises(ValueError):
        StandardTime(1, "week")


def test_total_minutes_estimate():
    cal = OfficeCalendar()
    assert StandardTime.parse("5 Menit").total_minutes_estimate(cal) == 5
    assert StandardTime.parse("2 jam").total_minutes_estimate(cal) == 120
    # (4 * 510 + 540) / 5 = 516 minutes per average working day
    assert StandardTime.parse("1 hari").total_minutes_estimate(cal) == 516
    assert StandardTime.parse("7 Hari").total_minutes_estimate(cal) == 7 * 516


# --- working days ----------------------------------------------------------------------


def test_is_working_day(cal):
    assert cal.is_working_day(date(2026, 11, 27))  # Friday
    assert not cal.is_working_day(date(2026, 11, 28))  # Saturday
    assert not cal.is_working_day(date(2026, 11, 29))  # Sunday
    assert not cal.is_working_day(date(2026, 12, 25))  # holiday
    assert cal.is_working_day(datetime(2026, 12, 23, 9, 0))


def test_default_hours_and_friday():
    cal = OfficeCalendar()
    assert cal.working_minutes_on(date(2026, 11, 30)) == 510  # Monday 07:30–16:00
    assert cal.working_minutes_on(date(2026, 11, 27)) == 540  # Friday 07:30–16:30
    assert cal.working_minutes_on(date(2026, 11, 28)) == 0


# --- minutes and hours ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "st", "due"),
    [
        (dt(30, 9), "5 Menit", dt(30, 9, 5)),
        (dt(30, 15), "2 jam", dt(1, 8, 30, month=12)),  # 60 min Monday, 60 min Tuesday
        (dt(30, 15), "1 jam", dt(30, 16)),  # ends exactly at closing: stays on Monday
        (dt(30, 15, 50), "30 menit", dt(1, 7, 50, month=12)),  # crosses closing
        (dt(26, 15, 50), "30 menit", dt(27, 7, 50)),  # Thursday into Friday
        (dt(27, 15, 50), "30 menit", dt(27, 16, 20)),  # Friday is open until 16:30
        (dt(27, 16, 10), "30 menit", dt(30, 7, 40)),  # Friday over the weekend
        (dt(27, 15, 30), "1 jam", dt(27, 16, 30)),  # ends at Friday closing
        (dt(30, 6, 0), "5 Menit", dt(30, 7, 35)),  # before opening
        (dt(30, 17, 0), "5 Menit", dt(1, 7, 35, month=12)),  # after closing
        (dt(30, 16, 0), "5 Menit", dt(1, 7, 35, month=12)),  # exactly at closing
        (dt(28, 10, 0), "2 jam", dt(30, 9, 30)),  # Saturday
        (dt(23, 15, 0, month=12), "2 jam", dt(28, 8, 30, month=12)),  # over 2 holidays
        (dt(24, 9, 0, month=12), "10 Menit", dt(28, 7, 40, month=12)),  # on a holiday
    ],
)
def test_add_minutes_and_hours(cal, start, st, due):
    assert cal.add_standard_time(start, StandardTime.parse(st)) == due


def test_add_many_hours_counts_full_days(cal):
    # 510 + 510 + 510 + 510 + 540 = 2580 minutes in the week starting Mon 30 Nov
    start = dt(30, 7, 30)
    assert cal.add_standard_time(start, minutes(2580)) == dt(4, 16, 30, month=12)
    assert cal.add_standard_time(start, minutes(2581)) == dt(7, 7, 31, month=12)


def test_add_zero_returns_start(cal):
    assert cal.add_standard_time(dt(28, 3), minutes(0)) == dt(28, 3)


def test_seconds_are_kept(cal):
    start = datetime(2026, 11, 30, 9, 0, 30)
    assert cal.add_standard_time(start, minutes(5)) == datetime(2026, 11, 30, 9, 5, 30)


# --- days -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "st", "due"),
    [
        (dt(27, 10), "7 Hari", dt(8, 10, month=12)),  # Friday -> 7 working days later
        (dt(30, 10), "1 hari", dt(1, 10, month=12)),
        (dt(30, 7, 30), "1 hari", dt(1, 7, 30, month=12)),  # at opening
        (dt(27, 16, 15), "1 hari", dt(30, 16, 0)),  # Friday 16:15 -> Monday closes 16:00
        (dt(23, 10, month=12), "1 hari", dt(28, 10, month=12)),  # skips Thu/Fri holidays
        (dt(28, 10), "1 hari", dt(30, 16, 0)),  # Saturday: Monday is day 1, due at closing
        (dt(30, 6, 0), "1 hari", dt(30, 16, 0)),  # before opening: that day is day 1
        (dt(30, 17, 0), "1 hari", dt(1, 16, 0, month=12)),  # after closing: next day is day 1
        (dt(26, 17, 0), "1 hari", dt(27, 16, 30)),  # Thursday evening -> Friday closing
        (dt(30, 6, 0), "3 hari", dt(2, 16, 0, month=12)),
        (dt(30, 10), "1 minggu", dt(7, 10, month=12)),
        (dt(24, 9, month=12), "1 hari", dt(28, 16, 0, month=12)),  # start on a holiday
    ],
)
def test_add_days(cal, start, st, due):
    assert cal.add_standard_time(start, StandardTime.parse(st)) == due


def test_days_outside_hours_equal_full_working_days(cal):
    # Starting before opening, N days = N full working days of minutes.
    start = dt(30, 6, 0)
    due = cal.add_standard_time(start, StandardTime.parse("3 hari"))
    assert cal.working_minutes_between(start, due) == 3 * 510


# --- working minutes between ------------------------------------------------------------


def test_between_basic(cal):
    assert cal.working_minutes_between(dt(30, 9), dt(30, 9, 45)) == 45
    assert cal.working_minutes_between(dt(30, 9, 45), dt(30, 9)) == -45
    assert cal.working_minutes_between(dt(30, 9), dt(30, 9)) == 0
    assert cal.working_minutes_between(dt(27, 15), dt(30, 8, 30)) == 90 + 60
    assert cal.working_minutes_between(dt(28, 9), dt(29, 15)) == 0  # weekend
    assert cal.working_minutes_between(dt(30, 5), dt(30, 20)) == 510
    assert cal.working_minutes_between(dt(23, 16, month=12), dt(28, 7, month=12)) == 0


def test_between_over_a_year_with_holidays():
    holidays = {date(2026, 1, 1), date(2026, 8, 17), date(2026, 8, 15)}  # 15 Aug is Saturday
    cal = OfficeCalendar(holidays=holidays)
    total = cal.working_minutes_between(datetime(2026, 1, 1), datetime(2027, 1, 1))
    expected = sum(cal.working_minutes_on(date(2026, 1, 1) + timedelta(days=i)) for i in range(365))
    assert total == expected
    # 2026: 261 weekdays, 52 Fridays; minus New Year (Thu, 510) and 17 Aug (Mon, 510)
    assert total == (261 - 52) * 510 + 52 * 540 - 2 * 510


def _reference_between(cal: OfficeCalendar, a: datetime, b: datetime) -> int:
    """Minute-by-minute count, only for checking the fast version on short spans."""
    count, t = 0, a
    while t < b:
        if cal.is_open(t):
            count += 1
        t += timedelta(minutes=1)
    return count


def test_matches_brute_force_on_random_spans(cal):
    rng = random.Random(1672)
    base = datetime(2026, 12, 18, 0, 0)
    for _ in range(40):
        a = base + timedelta(minutes=rng.randrange(0, 14 * 24 * 60))
        b = a + timedelta(minutes=rng.randrange(0, 5 * 24 * 60))
        assert cal.working_minutes_between(a, b) == _reference_between(cal, a, b)


def test_add_and_between_are_inverse(cal):
    rng = random.Random(44)
    for _ in range(300):
        start = datetime(2026, 1, 1) + timedelta(minutes=rng.randrange(0, 400 * 24 * 60))
        amount = rng.randrange(1, 20_000)
        due = cal.add_standard_time(start, minutes(amount))
        assert cal.working_minutes_between(start, due) == amount
        assert cal.is_working_day(due.date())
        opening, closing = cal.hours_on(due.date())
        assert opening < due <= closing


# --- due state --------------------------------------------------------------------------


def test_due_state(cal):
    due = dt(30, 10)
    assert cal.due_state(due, dt(30, 8)) == "tepat_waktu"
    assert cal.due_state(due, dt(30, 9)) == "segera"
    assert cal.due_state(due, due) == "segera"
    assert cal.due_state(due, dt(30, 10, 1)) == "terlambat"
    # Friday 16:00 -> Monday 08:00 is only 60 working minutes away
    assert cal.due_state(dt(30, 8), dt(27, 16)) == "segera"
    assert cal.due_state(dt(30, 8), dt(27, 16), soon_minutes=30) == "tepat_waktu"


# --- settings ---------------------------------------------------------------------------


def test_round_trip_through_json(cal):
    data = json.loads(json.dumps(cal.to_dict()))
    assert data["holidays"] == ["2026-12-24", "2026-12-25"]
    assert data["working_hours"]["4"] == ["07:30", "16:30"]
    assert data["working_days"] == [0, 1, 2, 3, 4]
    again = OfficeCalendar.from_dict(data)
    assert again == cal
    assert again.add_standard_time(dt(23, 15, month=12), StandardTime(2, "hour")) == dt(
        28, 8, 30, month=12
    )


def test_from_empty_dict_gives_defaults():
    assert OfficeCalendar.from_dict({}) == OfficeCalendar()


def test_saturday_as_setting():
    cal = OfficeCalendar.from_dict(
        {
            "working_days": [0, 1, 2, 3, 4, 5],
            "working_hours": {
                **{str(d): ["08:00", "14:00"] for d in range(5)},
                "5": ["08:00", "12:00"],
            },
        }
    )
    assert cal.is_working_day(date(2026, 11, 28))
    assert cal.add_standard_time(dt(27, 13), StandardTime(2, "hour")) == dt(28, 9)


def test_invalid_settings():
    with pytest.raises(ValueError):
        OfficeCalendar(working_days=frozenset({5}))  # Saturday without hours
    with pytest.raises(ValueError):
        OfficeCalendar(working_hours={d: (time(16), time(8)) for d in range(5)})


def test_holidays_added_later_are_used():
    cal = OfficeCalendar()
    start = dt(30, 15)
    assert cal.add_standard_time(start, StandardTime(1, "day")) == dt(1, 15, month=12)
    cal.holidays.add(date(2026, 12, 1))
    assert cal.add_standard_time(start, StandardTime(1, "day")) == dt(2, 15, month=12)


def test_no_working_days_raises():
    cal = OfficeCalendar(working_days=frozenset(), working_hours={})
    with pytest.raises(ValueError):
        cal.add_standard_time(dt(30, 9), minutes(5))


# --- speed ------------------------------------------------------------------------------


def test_long_spans_are_fast():
    holidays = {date(2020, 1, 1) + timedelta(days=17 * i) for i in range(300)}
    cal = OfficeCalendar(holidays=holidays)
    started = clock.perf_counter()
    for i in range(2000):
        start = datetime(2020, 1, 1, 9) + timedelta(hours=i)
        due = cal.add_standard_time(start, StandardTime(20_000, "hour"))
        cal.working_minutes_between(start, due + timedelta(days=3650))
        cal.add_standard_time(start, StandardTime(1500, "day"))
    assert clock.perf_counter() - started < 2.0
