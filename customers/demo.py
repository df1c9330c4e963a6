"""Demo caller records: one VIP, one regular caller."""

from .models import Customer

CUSTOMERS = [
    ("+12025550100", "Casey", "Jones", True),
    ("+12025550101", "Robin", "Smith", False),
]


def demo_customers_load() -> None:
    for phone, first, last, vip in CUSTOMERS:
        customer = Customer.objects.filter(phone_number=phone).first()
        if customer is None:
            Customer.objects.create(phone_number=phone, first_name=first, last_name=last, vip=vip)
