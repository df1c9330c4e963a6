import pytest
from django.db import IntegrityError
from django.utils import timezone

from connectlocal.models import Contact


def _contact(token: str) -> Contact:
    return Contact.objects.create(
        instance_id="instance",
        contact_flow_id="flow",
        destination="+12025550143",
        client_token=token,
        initiated_at=timezone.now(),
    )


@pytest.mark.django_db
def test_two_contacts_cannot_share_a_client_token() -> None:
    _contact("same-token")

    with pytest.raises(IntegrityError):
        _contact("same-token")


@pytest.mark.django_db
def test_contacts_without_a_client_token_are_not_deduplicated() -> None:
    _contact("")
    _contact("")

    assert Contact.objects.count() == 2
