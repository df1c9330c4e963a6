"""A customer asks for a call in a real browser: sign-in, hours, the call form, live status."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from connectlocal.models import Contact
from jamcc.demo import demo_load
from support.demo import DEMO_CUSTOMER, DEMO_PASSWORD
from support.phone import MESSAGE_NUMBER_TYPE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/live.png"
CALL_STATUS_URL = re.compile(r"/support/calls/[0-9a-f-]{36}/$")


def sign_in(page: Page) -> None:
    page.get_by_label("Email").fill(DEMO_CUSTOMER)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_in_and_open_queue(page: Page, name: str) -> None:
    page.goto("/support/")
    sign_in(page)
    page.locator(f'a.queue-link[data-queue="{name}"]').click()
    expect(page.locator("#queue-heading")).to_contain_text(name)


def test_a_visitor_signs_in_picks_a_queue_and_watches_the_call_reach_it(page: Page) -> None:
    demo_load()

    page.goto("/support/")
    expect(page).to_have_url("/accounts/login/?next=/support/")
    sign_in(page)
    expect(page).to_have_url("/support/")
    expect(page.get_by_role("heading", name="Live support")).to_be_visible()

    page.locator('a.queue-link[data-queue="Support-Website"]').click()
    expect(page.locator("#queue-heading")).to_contain_text("Support-Website")
    expect(page.locator("table.week-hours tbody tr")).to_have_count(7)
    expect(page.locator(".open-state")).to_contain_text("Open now")

    page.get_by_label("Your phone number").fill("+1 202 555 0143")
    page.get_by_role("button", name="Start call").click()
    expect(page).to_have_url(CALL_STATUS_URL)
    expect(page.get_by_role("heading", name="We are calling you at")).to_contain_text("0143")
    panel = page.locator("#call-status-panel")
    expect(panel).to_contain_text("Dialing")

    Contact.objects.update(initiated_at=timezone.now() - timedelta(seconds=10))
    expect(panel).to_contain_text("queue")
    expect(panel).to_have_attribute("data-state", "queued")

    page.get_by_role("link", name="Back to live support").click()
    expect(page.locator("table.week-hours")).to_be_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_a_premium_rate_number_is_refused_with_a_visible_reason(page: Page) -> None:
    demo_load()
    sign_in_and_open_queue(page, "Support-Website")

    page.get_by_label("Your phone number").fill("+1 900 555 0100")
    page.get_by_role("button", name="Start call").click()

    expect(page.get_by_role("alert")).to_have_text(str(MESSAGE_NUMBER_TYPE))
    assert not Contact.objects.exists()


def test_switching_to_espanol_serves_the_pages_in_spanish(page: Page) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Español").click()

    expect(page.locator('html[lang="es"]')).to_have_count(1)
    expect(page).to_have_url("/")
