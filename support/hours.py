"""Opening hours as a customer sees them: pure functions over Connect's effective hours.

Connect gives, per local date, ranges in minutes after midnight; a range whose end is not
after its start runs past midnight. Everything here works on timezone-aware datetimes in the
queue's own zone, so DST changes, overnight shifts and split days come out right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .connect_api import EffectiveHours

WEEK_DAYS = 7


@dataclass(frozen=True)
class Opening:
    start: datetime
    end: datetime

    @property
    def is_whole_day(self) -> bool:
        return self.start.time() == time(0) and self.end == _midnight_after(self.start)

    @property
    def ends_next_day(self) -> bool:
        return self.end.date() > self.start.date() and not self.is_whole_day


@dataclass(frozen=True)
class Day:
    day: date
    openings: tuple[Opening, ...]
    is_today: bool
    # False when Connect's answer does not cover this date (say, old hours shown in an outage).
    is_known: bool = True


@dataclass(frozen=True)
class Schedule:
    time_zone: ZoneInfo
    days: tuple[Day, ...]
    is_open: bool
    # When the current opening ends (merged across midnight; None when it runs past the hours
    # known, as a 24x7 queue does), or when the next one starts.
    closes_at: datetime | None
    opens_at: datetime | None
    overrides_known: bool


def _midnight_after(moment: datetime) -> datetime:
    return datetime.combine(moment.date() + timedelta(days=1), time(0), tzinfo=moment.tzinfo)


def _local(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)


def openings(effective: EffectiveHours) -> list[Opening]:
    """Every opening as aware datetimes, sorted by start."""
    zone = ZoneInfo(effective.time_zone)
    result = []
    for day, ranges in effective.days.items():
        for r in ranges:
            start = _local(day, r.start, zone)
            end_day = day if r.end > r.start else day + timedelta(days=1)
            result.append(Opening(start, _local(end_day, r.end, zone)))
    # Compare in UTC: aware datetimes in one zone compare by wall time otherwise.
    return sorted(result, key=lambda o: _utc(o.start))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo("UTC"))


def _merged(all_openings: list[Opening]) -> list[tuple[datetime, datetime]]:
    """Join touching or overlapping openings, so a 24-hour queue is one long opening."""
    spans: list[tuple[datetime, datetime]] = []
    for o in all_openings:
        start, end = _utc(o.start), _utc(o.end)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


def _horizon(effective: EffectiveHours, zone: ZoneInfo) -> datetime:
    """The end of the last date Connect gave hours for, in UTC."""
    if not effective.days:
        return datetime.min.replace(tzinfo=ZoneInfo("UTC"))
    return _utc(_local(max(effective.days) + timedelta(days=1), 0, zone))


def schedule(effective: EffectiveHours, now: datetime, days: int = WEEK_DAYS) -> Schedule:
    """The week from today (in the queue's zone) and whether the queue is open at ``now``."""
    zone = ZoneInfo(effective.time_zone)
    all_openings = openings(effective)
    today = now.astimezone(zone).date()
    week = tuple(
        Day(
            day=today + timedelta(days=i),
            openings=tuple(o for o in all_openings if o.start.date() == today + timedelta(days=i)),
            is_today=i == 0,
            is_known=today + timedelta(days=i) in effective.days,
        )
        for i in range(days)
    )
    horizon = _horizon(effective, zone)
    now_utc = _utc(now)
    is_open, closes_at, opens_at = False, None, None
    for start, end in _merged(all_openings):
        if start <= now_utc < end:
            # An opening that runs to the very end of what Connect told us (a 24x7 queue) may
            # go on past it: its close is not known.
            is_open, closes_at = True, None if end == horizon else end.astimezone(zone)
            break
        if start > now_utc:
            opens_at = start.astimezone(zone)
            break
    return Schedule(zone, week, is_open, closes_at, opens_at, effective.overrides_known)
