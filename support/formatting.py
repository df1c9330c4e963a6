"""How the site words moments in a queue's own time zone, in the customer's language."""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext

# Translated, so each language gets its own clock: "9:05 AM" in English, "09:05" in Spanish.
CLOCK_FORMAT = "g:i A"


def clock(moment: datetime) -> str:
    return formats.date_format(moment, gettext(CLOCK_FORMAT))


def when_text(moment: datetime) -> str:
    """'today at 9:00 AM EST', 'tomorrow at …' or 'Monday at …', in the moment's own zone."""
    today = timezone.now().astimezone(moment.tzinfo).date()
    values = {"time": clock(moment), "tz": moment.tzname(), "day": formats.date_format(moment, "l")}
    days = (moment.date() - today).days
    if days == 0:
        return gettext("today at %(time)s %(tz)s") % values
    if days == 1:
        return gettext("tomorrow at %(time)s %(tz)s") % values
    return gettext("%(day)s at %(time)s %(tz)s") % values
