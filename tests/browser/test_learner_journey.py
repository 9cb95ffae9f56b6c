"""A person registers, opens a course, reads a module, completes it and sees it on My training."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_register_read_complete_and_see_it_on_my_training(live_server, page):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Your name").fill("Rosa Parks-Lee")
    page.get_by_label("Email").fill("rosa@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough passphrase")
    page.get_by_label("Repeat the password").fill("a long enough passphrase")
    page.get_by_role("button", name="Create account").click()
    assert "Welcome, Rosa Parks-Lee" in page.content()

    page.get_by_role("link", name="Courses", exact=True).click()
    page.get_by_role("link", name="Campaign basics", exact=True).click()
    page.get_by_role("link", name="Welcome", exact=True).click()
    assert page.get_by_role("heading", name="Why this matters").is_visible()
    screenshot(page, "module-page")
    page.get_by_role("button", name="Mark as complete").click()
    assert "is complete" in page.content()

    page.get_by_role("link", name="My training").click()
    assert page.get_by_role("heading", name="In progress").is_visible()
    assert "1 of 3 done" in page.content()
    assert page.get_by_role("link", name="Continue: Reading voter lists").is_visible()
    screenshot(page, "my-training")
