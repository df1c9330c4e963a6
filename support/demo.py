"""Demo data for the embedded default: the catalog wired to the stand-in's queues, and two
sign-ins (``jamcc.demo`` runs it with the other apps' demo loaders)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from .content import CATALOG
from .models import Department, Profile, Queue

DEMO_PASSWORD = "jam-demo"
DEMO_CUSTOMER = "customer@example.com"
DEMO_STAFF = "admin@example.com"
DEMO_CUSTOMER_PHONE = "+12025550100"


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
