"""The contact center's catalog: three departments and their ten queues, with the titles and
summaries customers read. Production content, not demo data (no sign-ins, no customers):
``manage.py load_content`` loads it into a fresh database, then it belongs to the editors.

A queue is created without a Connect queue id; ``connect_publish --apply`` creates it in
Amazon Connect and writes the id back, and only then does the site offer it (``visible``).
Its hours are the key of a spec in ``support.catalog.HOURS`` until then.
"""

from __future__ import annotations

from .catalog import ACCOUNT_HOURS, AMER_HOURS, APAC_HOURS, EMEA_HOURS, SUPPORT_HOURS
from .models import Department, Queue

# (department, [(Connect name, title, summary, hours spec key)]) in the order the site shows.
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


def content_load() -> dict[str, int]:
    """Create the departments and queues that are missing; leave existing ones as edited.

    Returns how many queues were created and how many were already there.
    """
    created = kept = 0
    for order, (department_name, queues) in enumerate(CATALOG):
        department, _ = Department.objects.get_or_create(
            name=department_name, defaults={"order": order}
        )
        for queue_order, (name, title, summary, hours_id) in enumerate(queues):
            _, is_new = Queue.objects.get_or_create(
                connect_name=name,
                defaults={
                    "department": department,
                    "title": title,
                    "summary": summary,
                    "hours_of_operation_id": hours_id,
                    "order": queue_order,
                },
            )
            created, kept = (created + 1, kept) if is_new else (created, kept + 1)
    return {"created": created, "kept": kept}
