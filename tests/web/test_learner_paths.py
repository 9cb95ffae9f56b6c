"""The way through a course: Start, Continue and Review on the catalog, minutes left, outline."""

from __future__ import annotations

import re

import pytest

from tests.web.test_learning import complete


@pytest.fixture
def courses_dir(courses_dir):
    """The fixture courses, with a second section in one module so it has an outline."""
    module = courses_dir / "basics" / "02-reading-lists.md"
    module.write_text(module.read_text() + "\n\n## Check your list\n\nCount the doors.\n")
    return courses_dir


def card(html: str, title: str) -> str:
    """The catalog card of one course."""
    start = html.index(f">{title}</a></h3>")
    return html[start:html.index("</li>", start)]


def test_a_visitor_is_offered_the_first_module(client):
    html = client.get("/").get_data(as_text=True)
    basics = card(html, "Campaign basics")
    assert 'href="/courses/basics/welcome">Start<span class="sr-only"> Campaign basics</span>' \
        in basics
    assert "First: Welcome · 5 min" in basics
    assert "Create your free account" in html


def test_the_catalog_says_continue_then_review(logged_in):
    assert "First: Welcome" in card(logged_in.get("/").get_data(as_text=True), "Campaign basics")
    complete(logged_in, module="welcome")
    basics = card(logged_in.get("/").get_data(as_text=True), "Campaign basics")
    assert ">Continue<span" in basics and "Next: Reading voter lists · 8 min" in basics
    assert "Create your free account" not in logged_in.get("/").get_data(as_text=True)
    complete(logged_in, module="reading-lists")
    complete(logged_in, module="wrap-up")
    basics = card(logged_in.get("/").get_data(as_text=True), "Campaign basics")
    assert ">Review<span" in basics and "Continue" not in basics


def test_module_pages_show_minutes_left_in_the_course(app, logged_in):
    visitor = app.test_client().get("/courses/basics/reading-lists").get_data(as_text=True)
    assert "About 11 min left in this course" in visitor  # this module and the next
    complete(logged_in, module="welcome")
    page = logged_in.get("/courses/basics/welcome").get_data(as_text=True)
    assert "About 11 min left in this course" in page  # everything not yet completed
    assert "1 of 3 done" in page
    course = logged_in.get("/courses/basics/").get_data(as_text=True)
    assert "about 11 minutes left" in course


def test_module_pages_have_an_outline_of_their_sections(client):
    html = client.get("/courses/basics/reading-lists").get_data(as_text=True)
    assert "In this module · 2 sections" in html
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', html)
    assert ("check-your-list", "Check your list") in links
    assert len(links) == 4  # the phone outline and the desktop one
    single = client.get("/courses/basics/welcome").get_data(as_text=True)
    assert "In this module" not in single


def test_my_training_has_a_plain_title(logged_in):
    html = logged_in.get("/my").get_data(as_text=True)
    assert re.search(r"<title>My training · [^<]+</title>", html)
