"""The whole learner journey with the keyboard alone: no clicks, no filling by selector.

Register, open a course, read a module, answer its quiz, see the result, finish the course, see
it on My training and open its certificate. Every stop the focus makes on the way must show a
visible focus ring.
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import focused, named, shot, starts, tab_to

pytestmark = pytest.mark.browser


def field(name: str):
    return lambda element: element["name"] == name


def test_learner_journey_by_keyboard_alone(live_server, page):
    keyboard = page.keyboard
    page.goto(live_server + "/")

    # The first Tab reaches the skip link, which is then visible and moves focus to the content.
    keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to content"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0
    shot(page, "keyboard-01-skip-link")
    keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    tab_to(page, named("Create your free account"))
    keyboard.press("Enter")
    page.wait_for_url("**/register")
    tab_to(page, named("Your name"))
    keyboard.type("Kay Board")
    tab_to(page, named("Email"))
    keyboard.type("kay@example.org")
    tab_to(page, named("Password"))
    keyboard.type("typed without a mouse")
    tab_to(page, named("Repeat the password"))
    keyboard.type("typed without a mouse")
    shot(page, "keyboard-02-register")
    keyboard.press("Enter")
    page.wait_for_url("**/my")
    assert "Welcome, Kay Board" in page.content()

    tab_to(page, named("Courses"))
    keyboard.press("Enter")
    page.wait_for_url(live_server + "/")
    tab_to(page, named("Quiz practice"))
    keyboard.press("Enter")
    page.wait_for_url("**/courses/quizzing/")
    tab_to(page, starts("Start: Canvassing check"))
    keyboard.press("Enter")
    page.wait_for_url("**/courses/quizzing/canvass")
    assert page.get_by_role("heading", name="Before the quiz").is_visible()

    # The quiz: arrows choose within a radio group, Space ticks a box, typing fills a field.
    tab_to(page, field("q-first-words"))
    keyboard.press("ArrowDown")
    tab_to(page, field("q-personal-data"))
    keyboard.press("Space")
    keyboard.press("Tab")
    keyboard.press("Space")
    tab_to(page, field("q-photo-consent"))
    keyboard.press("ArrowDown")
    tab_to(page, field("q-door-app"))
    keyboard.type("DoorLog")
    tab_to(page, field("q-pace"))
    keyboard.type("20")
    tab_to(page, named("Submit answers"))
    shot(page, "keyboard-03-quiz-submit-focused")
    keyboard.press("Space")
    page.wait_for_url("**/attempts/*")
    assert page.get_by_role("heading", level=1).inner_text() == "You passed"
    assert "100%" in page.locator(".score").inner_text()
    shot(page, "keyboard-04-result")

    tab_to(page, named("Next: Practice round"))
    keyboard.press("Enter")
    page.wait_for_url("**/courses/quizzing/practice")
    tab_to(page, named("Mark as complete"))
    keyboard.press("Space")
    page.wait_for_url("**/courses/quizzing/")
    assert "is complete" in page.content()

    tab_to(page, named("My training"))
    keyboard.press("Enter")
    page.wait_for_url("**/my")
    completed = page.locator("section", has=page.get_by_role("heading", name="Completed"))
    assert "Quiz practice" in completed.inner_text()
    shot(page, "keyboard-05-my-training")

    # The certificate, where that feature is built: reached from My training by keyboard too.
    if page.locator('a[href^="/certificates/"]').count():
        tab_to(page, lambda element: element["href"].startswith("/certificates/"))
        keyboard.press("Enter")
        page.wait_for_url("**/certificates/*")
        assert page.locator(".certificate").inner_text().count("Kay Board") == 1
        assert "Quiz practice" in page.locator(".certificate").inner_text()
        shot(page, "keyboard-06-certificate")


def test_shift_tab_walks_back_and_the_skip_link_comes_first(live_server, page):
    page.goto(live_server + "/login")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to content"
    tab_to(page, named("Log in"))  # the header link comes before the form's button
    email = tab_to(page, named("Email"))
    assert email["tag"] == "input"
    back = tab_to(page, named("Courses"), back=True)
    assert back["tag"] == "a"
