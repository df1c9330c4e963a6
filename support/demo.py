"""Demo data for the embedded default: the seed's catalog, believable hours, two sign-ins."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Department, Profile, Queue

DEMO_PASSWORD = "jam-demo"
DEMO_CUSTOMER = "customer@example.com"
DEMO_STAFF = "admin@example.com"
DEMO_CUSTOMER_PHONE = "+12025550100"

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
ALL_DAYS = (*WEEKDAYS, "SATURDAY", "SUNDAY")


def _range(day: str, start: str, end: str) -> dict:
    (sh, sm), (eh, em) = (map(int, start.split(":")), map(int, end.split(":")))
    return {
        "Day": day,
        "StartTime": {"Hours": sh, "Minutes": sm},
        "EndTime": {"Hours": eh, "Minutes": em},
    }


# Hours of operation ids are fixed so the catalog and the stand-in agree on every run.
HOURS = {
    "a1b2c3d4-0000-4000-8000-000000000001": {
        "name": "Support 24x7",
        "time_zone": "America/New_York",
        "config": [_range(d, "00:00", "00:00") for d in ALL_DAYS],
    },
    "a1b2c3d4-0000-4000-8000-000000000002": {
        "name": "Sales Americas",
        "time_zone": "America/New_York",
        "config": [_range(d, "09:00", "18:00") for d in WEEKDAYS],
    },
    "a1b2c3d4-0000-4000-8000-000000000003": {
        "name": "Sales Asia-Pacific (lunch break)",
        "time_zone": "Asia/Singapore",
        "config": [
            r for d in WEEKDAYS for r in (_range(d, "09:00", "12:30"), _range(d, "13:30", "18:00"))
        ],
    },
    "a1b2c3d4-0000-4000-8000-000000000004": {
        "name": "Sales EMEA",
        "time_zone": "Europe/London",
        "config": [_range(d, "08:30", "17:30") for d in WEEKDAYS],
    },
    "a1b2c3d4-0000-4000-8000-000000000005": {
        "name": "Accounts",
        "time_zone": "America/Chicago",
        "config": [_range(d, "08:00", "20:00") for d in WEEKDAYS]
        + [_range("SATURDAY", "22:00", "02:00")],
    },
}
SUPPORT_HOURS, AMER_HOURS, APAC_HOURS, EMEA_HOURS, ACCOUNT_HOURS = HOURS

CATALOG = [
    (
        "Sales",
        [
            (
                "Sales-AMER",
                "Sales for the Americas",
                "Plans, pricing and quotes for customers in North and South America.",
                AMER_HOURS,
            ),
            (
                "Sales-APAC",
                "Sales for Asia-Pacific",
                "Plans, pricing and quotes for customers in Asia and the Pacific, from Singapore.",
                APAC_HOURS,
            ),
            (
                "Sales-EMEA",
                "Sales for Europe, the Middle East and Africa",
                "Plans, pricing and quotes from our London team. Calls are recorded only if "
                "you agree.",
                EMEA_HOURS,
            ),
        ],
    ),
    (
        "Accounts",
        [
            (
                "Account-Balance",
                "Balances and payments",
                "Check a balance, a payment or a charge you don't recognise.",
                ACCOUNT_HOURS,
            ),
            (
                "Account-Open",
                "Open a new account",
                "Get a new account set up with the right plan from the start.",
                ACCOUNT_HOURS,
            ),
            (
                "Account-Close",
                "Close an account",
                "Close an account and settle what is left on it.",
                ACCOUNT_HOURS,
            ),
            (
                "Account-Lock",
                "Locked out or suspicious activity",
                "Unlock your account, or lock it now if you think someone else is using it.",
                ACCOUNT_HOURS,
            ),
        ],
    ),
    (
        "Support",
        [
            (
                "Support-Product",
                "Product help",
                "Setting up and using our product, and fixing what isn't working.",
                SUPPORT_HOURS,
            ),
            (
                "Support-Mobile",
                "Mobile app help",
                "Signing in, notifications and troubleshooting on the iOS and Android apps.",
                SUPPORT_HOURS,
            ),
            (
                "Support-Website",
                "Website help",
                "Trouble with this website: signing in, pages that won't load, or anything "
                "unclear.",
                SUPPORT_HOURS,
            ),
        ],
    ),
]


def queue_id_for(connect_name: str) -> str:
    """A stable, UUID-shaped Connect queue id for a demo queue."""
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"jamcc-demo-queue:{connect_name}"))


def thanksgiving(year: int) -> date:
    first = date(year, 11, 1)
    first_thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + timedelta(weeks=3)


def next_holiday(today: date) -> date:
    """The next US Thanksgiving: a date the Account queues close, shown in this week's hours
    in late November and a reliably real holiday the rest of the year."""
    holiday = thanksgiving(today.year)
    return holiday if holiday >= today else thanksgiving(today.year + 1)


@transaction.atomic
def demo_load(*, today: date | None = None) -> None:
    """Create or refresh the demo data; running it again changes nothing that exists."""
    today = today or date.today()
    for order, (department_name, queues) in enumerate(CATALOG):
        department, _ = Department.objects.update_or_create(
            name=department_name, defaults={"order": order}
        )
        for queue_order, (name, title, summary, hours_id) in enumerate(queues):
            Queue.objects.update_or_create(
                connect_name=name,
                defaults={
                    "department": department,
                    "title": title,
                    "summary": summary,
                    "connect_queue_id": queue_id_for(name),
                    "hours_of_operation_id": hours_id,
                    "order": queue_order,
                },
            )
    if settings.CONNECT_BACKEND == "local":
        _load_standin_hours(today)
    _load_users()
    # The IVR's data: prompts for every flow and two callers (changes reach DynamoDB after
    # commit through the outbox).
    from customers.demo import demo_customers_load
    from prompts.demo import demo_prompts_load

    demo_prompts_load()
    demo_customers_load()


def _load_standin_hours(today: date) -> None:
    from connectlocal.models import HoursOfOperation, HoursOverride

    for hours_id, spec in HOURS.items():
        hours, _ = HoursOfOperation.objects.update_or_create(
            hours_id=hours_id,
            defaults={
                "name": spec["name"],
                "time_zone": spec["time_zone"],
                "config": spec["config"],
            },
        )
        hours.full_clean()
    holiday = next_holiday(today)
    HoursOverride.objects.update_or_create(
        hours_id=HoursOfOperation.objects.get(hours_id=ACCOUNT_HOURS).pk,
        name="Thanksgiving Day",
        defaults={
            "override_type": HoursOverride.OverrideType.CLOSED,
            "effective_from": holiday,
            "effective_till": holiday,
            "description": "Account queues are closed for the holiday.",
        },
    )


def _load_users() -> None:
    User = get_user_model()
    customer, created = User.objects.get_or_create(
        username=DEMO_CUSTOMER,
        defaults={"email": DEMO_CUSTOMER, "first_name": "Casey", "last_name": "Jones"},
    )
    if created or not customer.check_password(DEMO_PASSWORD):
        customer.set_password(DEMO_PASSWORD)
        customer.save()
    Profile.objects.update_or_create(
        user=customer, defaults={"phone_number": DEMO_CUSTOMER_PHONE, "phone_verified": True}
    )
    staff, created = User.objects.get_or_create(
        username=DEMO_STAFF,
        defaults={"email": DEMO_STAFF, "first_name": "Alex", "last_name": "Admin"},
    )
    if created or not (staff.is_superuser and staff.check_password(DEMO_PASSWORD)):
        staff.is_staff = staff.is_superuser = True
        staff.set_password(DEMO_PASSWORD)
        staff.save()
