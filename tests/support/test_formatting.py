from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.utils import translation

from support.formatting import when_text

NEW_YORK = ZoneInfo("America/New_York")
# Tuesday 2026-06-02, 10:00 in New York.
NOW = datetime(2026, 6, 2, 14, 0, tzinfo=ZoneInfo("UTC"))


@time_machine.travel(NOW, tick=False)
def test_a_moment_later_today_reads_today_with_a_twelve_hour_clock() -> None:
    with translation.override("en"):
        text = when_text(datetime(2026, 6, 2, 21, 5, tzinfo=NEW_YORK))

    assert text == "today at 9:05 PM EDT"


@time_machine.travel(NOW, tick=False)
def test_a_moment_tomorrow_reads_tomorrow() -> None:
    with translation.override("en"):
        text = when_text(datetime(2026, 6, 3, 9, 0, tzinfo=NEW_YORK))

    assert text == "tomorrow at 9:00 AM EDT"


@time_machine.travel(NOW, tick=False)
def test_a_moment_later_in_the_week_reads_its_weekday() -> None:
    with translation.override("en"):
        text = when_text(datetime(2026, 6, 5, 8, 30, tzinfo=NEW_YORK))

    assert text == "Friday at 8:30 AM EDT"


@time_machine.travel(NOW, tick=False)
def test_spanish_uses_a_twenty_four_hour_clock_and_spanish_words() -> None:
    with translation.override("es"):
        text = when_text(datetime(2026, 6, 5, 20, 30, tzinfo=NEW_YORK))

    assert text == "el viernes a las 20:30 EDT"


@time_machine.travel(NOW, tick=False)
def test_today_is_the_date_in_the_moments_own_zone() -> None:
    # 23:30 in Singapore on June 2 is already "today" there while New York is mid-morning.
    singapore = ZoneInfo("Asia/Singapore")

    with translation.override("en"):
        text = when_text(datetime(2026, 6, 2, 23, 30, tzinfo=singapore))

    assert text == "today at 11:30 PM +08"
