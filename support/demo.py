"""Demo data for the embedded default: the seed's catalog and two sign-ins (``jamcc.demo``
runs it with the other apps' demo loaders)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from .catalog import ACCOUNT_HOURS, AMER_HOURS, APAC_HOURS, EMEA_HOURS, SUPPORT_HOURS
from .models import Department, Profile, Queue

DEMO_PASSWORD = "jam-demo"
DEMO_CUSTOMER = "customer@example.com"
DEMO_STAFF = "admin@example.com"
DEMO_CUSTOMER_PHONE = "+12025550100"

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


def demo_catalog_load(today: date) -> None:
    """Create or refresh the demo catalog and sign-ins; running it again changes nothing."""
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
    _load_users()


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
