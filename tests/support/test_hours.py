"""Opening hours as a customer sees them, from Connect's effective hours built by hand.

``schedule`` takes the instant to judge; ``time_machine`` freezes the clock for the tests that
read it the way the site does, through ``timezone.now()``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from support.connect_api import EffectiveHours, TimeRange
from support.hours import Opening, Schedule, openings, schedule

NEW_YORK = "America/New_York"
SINGAPORE = "Asia/Singapore"
LONDON = "Europe/London"
CHICAGO = "America/Chicago"

# 2026 clock changes.
SPRING_FORWARD = date(2026, 3, 8)  # New York, Sunday: 02:00 EST becomes 03:00 EDT.
FALL_BACK = date(2026, 11, 1)  # New York, Sunday: 02:00 EDT becomes 01:00 EST.
LONDON_SPRING_FORWARD = date(2026, 3, 29)  # London, Sunday: 01:00 GMT becomes 02:00 BST.


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def effective(
    zone: str, days: dict[date, list[tuple[str, str]]], *, overrides_known: bool = True
) -> EffectiveHours:
    """Connect's answer for ``days``, each a list of ("HH:MM", "HH:MM") ranges."""
    return EffectiveHours(
        time_zone=zone,
        days={
            day: tuple(TimeRange(_minutes(start), _minutes(end)) for start, end in ranges)
            for day, ranges in days.items()
        },
        overrides_known=overrides_known,
    )


def every_day(
    zone: str,
    first: date,
    count: int,
    ranges_by_weekday: dict[int, list[tuple[str, str]]],
    **extra: bool,
) -> EffectiveHours:
    """``count`` dates from ``first``, each with the ranges of its weekday (Monday is 0)."""
    dates = [first + timedelta(days=i) for i in range(count)]
    return effective(zone, {d: ranges_by_weekday.get(d.weekday(), []) for d in dates}, **extra)


def local(zone: str, text: str, *, fold: int = 0) -> datetime:
    """An aware instant from a wall-clock time in ``zone``, e.g. "2026-03-08 01:30"."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone), fold=fold)


def real_length(opening: Opening) -> timedelta:
    return opening.end.astimezone(UTC) - opening.start.astimezone(UTC)


WEEKDAYS_9_TO_6 = {day: [("09:00", "18:00")] for day in range(5)}
SATURDAY_NIGHT = {5: [("22:00", "02:00")]}
LUNCH_BREAK = {day: [("09:00", "12:30"), ("13:30", "18:00")] for day in range(5)}


def _at(hours: EffectiveHours, zone: str, text: str, *, fold: int = 0) -> Schedule:
    return schedule(hours, local(zone, text, fold=fold))


# --- Clock changes ----------------------------------------------------------------------------


def test_a_whole_day_on_the_spring_forward_date_lasts_23_hours() -> None:
    hours = effective(NEW_YORK, {SPRING_FORWARD: [("00:00", "00:00")]})

    [opening] = openings(hours)

    assert real_length(opening) == timedelta(hours=23)


def test_a_whole_day_on_the_fall_back_date_lasts_25_hours() -> None:
    hours = effective(NEW_YORK, {FALL_BACK: [("00:00", "00:00")]})

    [opening] = openings(hours)

    assert real_length(opening) == timedelta(hours=25)


def test_a_whole_day_on_a_clock_change_date_is_still_a_whole_day() -> None:
    hours = effective(NEW_YORK, {SPRING_FORWARD: [("00:00", "00:00")]})

    [opening] = openings(hours)

    assert opening.is_whole_day
    assert not opening.ends_next_day


def test_a_night_shift_across_spring_forward_is_an_hour_shorter() -> None:
    hours = effective(NEW_YORK, {SPRING_FORWARD - timedelta(days=1): [("22:00", "06:00")]})

    [opening] = openings(hours)

    assert real_length(opening) == timedelta(hours=7)


def test_a_night_shift_across_fall_back_is_an_hour_longer() -> None:
    hours = effective(NEW_YORK, {FALL_BACK - timedelta(days=1): [("22:00", "06:00")]})

    [opening] = openings(hours)

    assert real_length(opening) == timedelta(hours=9)


def test_a_night_shift_across_spring_forward_closes_at_six_daylight_time() -> None:
    hours = effective(NEW_YORK, {SPRING_FORWARD - timedelta(days=1): [("22:00", "06:00")]})

    result = _at(hours, NEW_YORK, "2026-03-08 01:30")

    assert result.is_open
    assert result.closes_at == datetime(2026, 3, 8, 10, 0, tzinfo=UTC)
    assert result.closes_at.utcoffset() == timedelta(hours=-4)


def test_a_night_shift_is_open_in_the_hour_after_the_clocks_spring_forward() -> None:
    hours = effective(NEW_YORK, {SPRING_FORWARD - timedelta(days=1): [("22:00", "06:00")]})

    # 07:30 UTC is 03:30 EDT, the first half hour of daylight time.
    assert schedule(hours, datetime(2026, 3, 8, 7, 30, tzinfo=UTC)).is_open


def test_a_night_shift_is_closed_at_its_end_after_the_clocks_spring_forward() -> None:
    hours = effective(NEW_YORK, {SPRING_FORWARD - timedelta(days=1): [("22:00", "06:00")]})

    # 06:00 EDT is 10:00 UTC; at 06:00 EST (11:00 UTC) it would still have been open.
    assert not schedule(hours, datetime(2026, 3, 8, 10, 0, tzinfo=UTC)).is_open


def test_a_night_shift_is_open_in_the_repeated_hour_when_the_clocks_fall_back() -> None:
    hours = effective(NEW_YORK, {FALL_BACK - timedelta(days=1): [("22:00", "06:00")]})

    # The second 01:30 of the night, in standard time.
    assert _at(hours, NEW_YORK, "2026-11-01 01:30", fold=1).is_open


def test_a_night_shift_closes_at_six_standard_time_after_the_clocks_fall_back() -> None:
    hours = effective(NEW_YORK, {FALL_BACK - timedelta(days=1): [("22:00", "06:00")]})

    # 10:30 UTC is 05:30 EST: still open, though it is after 06:00 in daylight time.
    assert schedule(hours, datetime(2026, 11, 1, 10, 30, tzinfo=UTC)).is_open
    assert not schedule(hours, datetime(2026, 11, 1, 11, 0, tzinfo=UTC)).is_open


def test_a_shift_ending_in_the_skipped_hour_runs_on_into_the_next_shift() -> None:
    # 02:30 does not exist that night: it is read as 03:30 EDT, after the 03:00 shift starts.
    hours = effective(
        NEW_YORK,
        {
            SPRING_FORWARD - timedelta(days=1): [("22:00", "02:30")],
            SPRING_FORWARD: [("03:00", "09:00")],
        },
    )

    result = schedule(hours, datetime(2026, 3, 8, 7, 15, tzinfo=UTC))

    assert result.closes_at == local(NEW_YORK, "2026-03-08 09:00")


def test_nine_o_clock_opening_moves_an_hour_earlier_in_utc_after_spring_forward() -> None:
    hours = every_day(NEW_YORK, date(2026, 3, 2), 14, WEEKDAYS_9_TO_6)

    # 13:30 UTC: 08:30 EST on Friday (closed), 09:30 EDT on Monday (open).
    assert not schedule(hours, datetime(2026, 3, 6, 13, 30, tzinfo=UTC)).is_open
    assert schedule(hours, datetime(2026, 3, 9, 13, 30, tzinfo=UTC)).is_open


def test_a_london_queue_opens_at_half_past_eight_british_summer_time() -> None:
    hours = every_day(LONDON, date(2026, 3, 23), 14, {d: [("08:30", "17:30")] for d in range(5)})

    # 07:45 UTC: 07:45 GMT on Friday (closed), 08:45 BST on Monday (open).
    assert not schedule(hours, datetime(2026, 3, 27, 7, 45, tzinfo=UTC)).is_open
    assert schedule(hours, datetime(2026, 3, 30, 7, 45, tzinfo=UTC)).is_open


def test_a_london_queue_closed_over_the_weekend_opens_on_monday_in_summer_time() -> None:
    hours = every_day(LONDON, date(2026, 3, 23), 14, {d: [("08:30", "17:30")] for d in range(5)})

    result = schedule(hours, datetime(2026, 3, 28, 12, 0, tzinfo=UTC))

    assert result.opens_at == datetime(2026, 3, 30, 7, 30, tzinfo=UTC)
    assert (result.opens_at.hour, result.opens_at.minute) == (8, 30)


# --- Overnight ranges -------------------------------------------------------------------------


def test_an_overnight_shift_is_open_after_midnight() -> None:
    hours = every_day(CHICAGO, date(2026, 6, 1), 14, SATURDAY_NIGHT)

    assert _at(hours, CHICAGO, "2026-06-07 01:00").is_open


def test_an_overnight_shift_is_closed_when_it_ends() -> None:
    hours = every_day(CHICAGO, date(2026, 6, 1), 14, SATURDAY_NIGHT)

    assert not _at(hours, CHICAGO, "2026-06-07 02:00").is_open


def test_an_overnight_shift_is_closed_before_it_starts() -> None:
    hours = every_day(CHICAGO, date(2026, 6, 1), 14, SATURDAY_NIGHT)

    assert not _at(hours, CHICAGO, "2026-06-06 21:59").is_open


def test_an_overnight_shift_closes_the_next_morning() -> None:
    hours = every_day(CHICAGO, date(2026, 6, 1), 14, SATURDAY_NIGHT)

    result = _at(hours, CHICAGO, "2026-06-06 23:00")

    assert result.closes_at == local(CHICAGO, "2026-06-07 02:00")


def test_an_overnight_shift_is_listed_on_the_day_it_starts_and_ends_the_next_day() -> None:
    hours = every_day(CHICAGO, date(2026, 6, 1), 14, SATURDAY_NIGHT)

    result = _at(hours, CHICAGO, "2026-06-06 12:00")

    saturday, sunday = result.days[0], result.days[1]
    [opening] = saturday.openings
    assert opening.start == local(CHICAGO, "2026-06-06 22:00")
    assert opening.end == local(CHICAGO, "2026-06-07 02:00")
    assert opening.ends_next_day
    assert sunday.openings == ()


# --- Whole days and round the clock -----------------------------------------------------------


def test_midnight_to_midnight_is_a_whole_day() -> None:
    hours = effective(NEW_YORK, {date(2026, 6, 3): [("00:00", "00:00")]})

    [opening] = openings(hours)

    assert opening.is_whole_day
    assert real_length(opening) == timedelta(hours=24)


def test_a_working_day_is_not_a_whole_day_and_ends_the_same_day() -> None:
    hours = effective(NEW_YORK, {date(2026, 6, 3): [("09:00", "18:00")]})

    [opening] = openings(hours)

    assert not opening.is_whole_day
    assert not opening.ends_next_day


def test_an_evening_until_midnight_is_not_a_whole_day() -> None:
    hours = effective(NEW_YORK, {date(2026, 6, 3): [("18:00", "00:00")]})

    [opening] = openings(hours)

    assert not opening.is_whole_day
    assert real_length(opening) == timedelta(hours=6)


def test_a_queue_open_round_the_clock_has_no_closing_time() -> None:
    hours = every_day(NEW_YORK, date(2026, 6, 1), 10, {d: [("00:00", "00:00")] for d in range(7)})

    result = _at(hours, NEW_YORK, "2026-06-03 15:00")

    assert result.is_open
    # The whole days are one opening that lasts past the hours known: no close to announce.
    assert result.closes_at is None
    assert result.opens_at is None


def test_a_queue_open_round_the_clock_closes_at_the_first_closed_day() -> None:
    ranges = {d: [("00:00", "00:00")] for d in range(6)}  # closed on Sundays
    hours = every_day(NEW_YORK, date(2026, 6, 1), 10, ranges)

    result = _at(hours, NEW_YORK, "2026-06-03 15:00")

    assert result.closes_at == local(NEW_YORK, "2026-06-07 00:00")


def test_days_beyond_the_hours_known_are_marked_unknown() -> None:
    hours = every_day(NEW_YORK, date(2026, 6, 1), 4, {d: [("09:00", "17:00")] for d in range(7)})

    result = _at(hours, NEW_YORK, "2026-06-03 15:00")

    assert [d.is_known for d in result.days] == [True, True, False, False, False, False, False]


def test_a_queue_open_round_the_clock_stays_one_opening_across_a_clock_change() -> None:
    hours = every_day(NEW_YORK, date(2026, 3, 5), 7, {d: [("00:00", "00:00")] for d in range(7)})

    result = _at(hours, NEW_YORK, "2026-03-07 23:00")

    assert result.is_open
    assert result.closes_at is None


def test_ranges_that_overlap_are_open_until_the_later_end() -> None:
    hours = effective(NEW_YORK, {date(2026, 6, 3): [("09:00", "13:00"), ("12:00", "17:00")]})

    result = _at(hours, NEW_YORK, "2026-06-03 10:00")

    assert result.closes_at == local(NEW_YORK, "2026-06-03 17:00")


# --- Split days -------------------------------------------------------------------------------


def test_a_split_day_is_closed_over_lunch() -> None:
    hours = every_day(SINGAPORE, date(2026, 6, 1), 14, LUNCH_BREAK)

    assert not _at(hours, SINGAPORE, "2026-06-03 12:45").is_open


def test_a_split_day_reopens_after_lunch() -> None:
    hours = every_day(SINGAPORE, date(2026, 6, 1), 14, LUNCH_BREAK)

    assert _at(hours, SINGAPORE, "2026-06-03 13:30").is_open


def test_a_split_day_over_lunch_opens_again_at_half_past_one() -> None:
    hours = every_day(SINGAPORE, date(2026, 6, 1), 14, LUNCH_BREAK)

    result = _at(hours, SINGAPORE, "2026-06-03 12:45")

    assert result.opens_at == local(SINGAPORE, "2026-06-03 13:30")


def test_a_split_day_morning_closes_for_lunch() -> None:
    hours = every_day(SINGAPORE, date(2026, 6, 1), 14, LUNCH_BREAK)

    result = _at(hours, SINGAPORE, "2026-06-03 10:00")

    assert result.closes_at == local(SINGAPORE, "2026-06-03 12:30")


def test_a_split_day_lists_both_openings_in_order() -> None:
    hours = every_day(SINGAPORE, date(2026, 6, 1), 14, LUNCH_BREAK)

    result = _at(hours, SINGAPORE, "2026-06-03 08:00")

    assert [(o.start.hour, o.start.minute) for o in result.days[0].openings] == [(9, 0), (13, 30)]


def test_a_singapore_queue_is_open_at_nine_singapore_time_which_is_one_utc() -> None:
    hours = every_day(SINGAPORE, date(2026, 6, 1), 14, LUNCH_BREAK)

    assert schedule(hours, datetime(2026, 6, 3, 1, 0, tzinfo=UTC)).is_open
    assert not schedule(hours, datetime(2026, 6, 3, 0, 59, tzinfo=UTC)).is_open


# --- Closed days and overrides ----------------------------------------------------------------


def test_a_weekend_day_lists_no_openings() -> None:
    hours = every_day(NEW_YORK, date(2026, 6, 1), 14, WEEKDAYS_9_TO_6)

    result = _at(hours, NEW_YORK, "2026-06-06 12:00")

    assert result.days[0].day == date(2026, 6, 6)
    assert result.days[0].openings == ()
    assert not result.is_open


def test_an_override_day_without_ranges_is_closed_all_day() -> None:
    thanksgiving = date(2026, 11, 26)
    hours = every_day(NEW_YORK, date(2026, 11, 23), 14, WEEKDAYS_9_TO_6)
    hours.days[thanksgiving] = ()

    result = _at(hours, NEW_YORK, "2026-11-26 12:00")

    assert not result.is_open
    assert result.days[0].openings == ()
    assert result.opens_at == local(NEW_YORK, "2026-11-27 09:00")


def test_the_schedule_says_whether_holiday_overrides_are_known() -> None:
    hours = every_day(NEW_YORK, date(2026, 6, 1), 14, WEEKDAYS_9_TO_6, overrides_known=False)

    assert not _at(hours, NEW_YORK, "2026-06-03 12:00").overrides_known


# --- The next opening -------------------------------------------------------------------------


def test_after_closing_time_it_opens_the_next_morning() -> None:
    hours = every_day(NEW_YORK, date(2026, 6, 1), 14, WEEKDAYS_9_TO_6)

    result = _at(hours, NEW_YORK, "2026-06-01 18:00")

    assert not result.is_open
    assert result.opens_at == local(NEW_YORK, "2026-06-02 09:00")
    assert result.closes_at is None


def test_on_friday_evening_it_opens_on_monday() -> None:
    hours = every_day(NEW_YORK, date(2026, 6, 1), 14, WEEKDAYS_9_TO_6)

    result = _at(hours, NEW_YORK, "2026-06-05 20:00")

    assert result.opens_at == local(NEW_YORK, "2026-06-08 09:00")


def test_a_queue_open_one_day_a_week_opens_next_week_once_that_day_is_over() -> None:
    hours = every_day(NEW_YORK, date(2026, 6, 1), 14, {0: [("09:00", "12:00")]})

    result = _at(hours, NEW_YORK, "2026-06-01 12:00")

    assert result.opens_at == local(NEW_YORK, "2026-06-08 09:00")


def test_before_opening_time_it_opens_the_same_morning() -> None:
    hours = every_day(NEW_YORK, date(2026, 6, 1), 14, WEEKDAYS_9_TO_6)

    result = _at(hours, NEW_YORK, "2026-06-02 07:00")

    assert result.opens_at == local(NEW_YORK, "2026-06-02 09:00")


def test_with_no_opening_in_the_hours_known_there_is_no_next_opening() -> None:
    hours = every_day(NEW_YORK, date(2026, 6, 1), 14, {})

    result = _at(hours, NEW_YORK, "2026-06-03 12:00")

    assert not result.is_open
    assert result.opens_at is None
    assert result.closes_at is None


def test_times_are_given_in_the_queue_zone() -> None:
    hours = every_day(SINGAPORE, date(2026, 6, 1), 14, LUNCH_BREAK)

    result = schedule(hours, datetime(2026, 6, 3, 12, 0, tzinfo=UTC))

    assert result.opens_at.tzinfo == ZoneInfo(SINGAPORE)
    assert result.time_zone == ZoneInfo(SINGAPORE)


# --- Today in the queue's zone ----------------------------------------------------------------


def test_two_in_the_morning_utc_is_still_yesterday_in_new_york() -> None:
    hours = every_day(NEW_YORK, date(2026, 6, 1), 14, WEEKDAYS_9_TO_6)

    result = schedule(hours, datetime(2026, 6, 10, 2, 0, tzinfo=UTC))

    assert result.days[0].day == date(2026, 6, 9)
    assert result.days[0].is_today


def test_eight_in_the_evening_utc_is_already_tomorrow_in_singapore() -> None:
    hours = every_day(SINGAPORE, date(2026, 6, 1), 14, LUNCH_BREAK)

    result = schedule(hours, datetime(2026, 6, 9, 20, 0, tzinfo=UTC))

    assert result.days[0].day == date(2026, 6, 10)


def test_the_week_starts_today_and_only_today_is_marked() -> None:
    hours = every_day(LONDON, date(2026, 6, 1), 14, WEEKDAYS_9_TO_6)

    result = _at(hours, LONDON, "2026-06-03 12:00")

    assert [d.day for d in result.days] == [date(2026, 6, 3) + timedelta(days=i) for i in range(7)]
    assert [d.is_today for d in result.days] == [True] + [False] * 6


def test_the_week_read_from_the_clock_starts_on_the_new_york_date() -> None:
    hours = every_day(NEW_YORK, date(2026, 6, 1), 14, WEEKDAYS_9_TO_6)

    with time_machine.travel(datetime(2026, 6, 6, 3, 0, tzinfo=UTC), tick=False):
        result = schedule(hours, timezone.now())

    # Saturday 03:00 UTC is Friday 23:00 in New York: Friday's hours are today's.
    assert result.days[0].day == date(2026, 6, 5)
    assert [(o.start.hour, o.end.hour) for o in result.days[0].openings] == [(9, 18)]
    assert result.opens_at == local(NEW_YORK, "2026-06-08 09:00")
