"""A manager starts a campaign and invites someone; the new staffer registers through the
link in another browser, completes a module, and the manager's dashboard shows it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def register(page, base, name, email, next_path=""):
    page.goto(base + "/register" + next_path)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("a long enough passphrase")
    page.get_by_label("Repeat the password").fill("a long enough passphrase")
    page.get_by_role("button", name="Create account").click()


def test_manager_invites_and_sees_the_new_staffer_train(live_server, browser, page):
    register(page, live_server, "Mia Manager", "mia@example.org")
    page.goto(live_server + "/campaigns/new")
    page.get_by_label("Campaign name").fill("Lopez for State House")
    page.get_by_label("Office").fill("State House")
    page.get_by_label("Election year").fill("2026")
    page.get_by_label("Election day").fill("2026-11-03")
    page.get_by_role("button", name="Start the campaign").click()
    assert "Your campaign is ready" in page.content()
    page.get_by_role("checkbox", name="Staff").first.check()
    page.get_by_role("button", name="Save the plan").click()
    page.get_by_role("link", name="Invites").click()
    page.get_by_role("button", name="Create link").click()
    link = page.get_by_role("textbox", name="Invite link").input_value()
    assert "/join/" in link

    staffer = browser.new_context(viewport={"width": 375, "height": 800})
    other = staffer.new_page()
    other.goto(link)
    other.get_by_role("link", name="Create an account").click()
    other.get_by_label("Your name").fill("Sam Staffer")
    other.get_by_label("Email").fill("sam@example.org")
    other.get_by_label("Password", exact=True).fill("a long enough passphrase")
    other.get_by_label("Repeat the password").fill("a long enough passphrase")
    other.get_by_role("button", name="Create account").click()
    other.get_by_role("button", name="Join the team").click()
    assert "You joined Lopez for State House as staff" in other.content()
    other.goto(live_server + "/courses/basics/welcome")
    other.get_by_role("button", name="Mark as complete").click()
    other.goto(live_server + "/my")
    assert "Required by your campaign" in other.content()
    screenshot(other, "campaign-staffer-my-training")
    staffer.close()

    page.get_by_role("link", name="Dashboard").click()
    row = page.get_by_role("row", name="Sam Staffer")
    assert "Completed" in row.inner_text() and "33%" in row.inner_text()
    screenshot(page, "campaign-manager-dashboard")
