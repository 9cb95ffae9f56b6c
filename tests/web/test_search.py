"""Search: titles, objectives and text, links to the section, safe highlighting, visibility,
bounded queries, and an index built once per catalog."""

from __future__ import annotations

import re

from lms.learn import search as search_module
from tests.conftest import login


def results(client, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    block = html[html.index("<main"):html.index("</main>")]
    return re.findall(r'<h3 class="search-result__title"><a href="([^"]+)">', block), block


def test_a_module_title_finds_the_module(client):
    links, _ = results(client, "welcome")
    assert links[0] == "/courses/basics/welcome"


def test_text_in_a_section_links_to_that_section(client):
    links, html = results(client, "deduplicate before")
    assert links == ["/courses/basics/reading-lists#walk-lists"]
    assert "<mark>Deduplicate</mark> <mark>before</mark>" in html
    assert "Walk lists" in html  # the section's heading is named


def test_objectives_and_course_titles_are_searched(client):
    links, _ = results(client, "spot a duplicate")
    assert "/courses/basics/reading-lists" in links
    links, _ = results(client, "quiz practice")
    assert "/courses/quizzing/" in links


def test_every_word_must_match_and_case_does_not_matter(client):
    assert results(client, "WALK LISTS")[0][0] == "/courses/basics/reading-lists#walk-lists"
    links, html = results(client, "walk zebra")
    assert links == [] and "Nothing found" in html


def test_quiz_blocks_are_not_searchable(client):
    # Feedback and explanations must not reach the browser before the quiz is submitted.
    for text in ("Too direct for an opener", "identifiable person", "blue icon"):
        assert results(client, text)[0] == [], text


def test_trainer_only_courses_are_found_only_by_trainers(app, client, make_user):
    assert results(client, "trainer-only text")[0] == []
    make_user("sam@example.org")
    login(client)
    assert results(client, "trainer-only text")[0] == []
    make_user("tia@example.org", "Tia Trainer", trainer=True)
    trainer = app.test_client()
    login(trainer, "tia@example.org")
    assert results(trainer, "trainer-only text")[0] == ["/courses/trainer-notes/secret"]


def test_highlighting_is_escaped(client):
    links, html = results(client, '<script>alert(1)</script> "walk"')
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert links == []
    _, html = results(client, "lists <b>")
    assert "<b>" not in html


def test_the_query_is_bounded_and_an_empty_query_shows_the_form(client):
    assert client.get("/search", query_string={"q": "x" * 201}).status_code == 400
    assert client.get("/search", query_string={"q": "walk " * 40}).status_code == 200
    page = client.get("/search").get_data(as_text=True)
    assert 'role="search"' in page and "result" not in page.split("<main", 1)[1]


def test_the_header_has_a_search_box(client):
    page = client.get("/").get_data(as_text=True)
    header = page[page.index("<header"):page.index("</header>")]
    assert 'action="/search"' in header and 'name="q"' in header


def test_a_private_catalog_is_searched_only_when_signed_in(app_config, monkeypatch, tmp_path):
    from lms import create_app
    from lms.extensions import db

    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "private"))
    private = create_app({**app_config, "CATALOG_PRIVATE": True})
    with private.app_context():
        db.create_all()
    response = private.test_client().get("/search?q=welcome")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    with private.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_index_is_built_once_per_catalog(client, monkeypatch):
    calls = []
    real = search_module.build_index
    monkeypatch.setattr(search_module, "build_index", lambda c: calls.append(c) or real(c))
    for query in ("welcome", "walk", "duplicate"):
        results(client, query)
    assert len(calls) == 1


def test_a_reloaded_catalog_gets_a_new_index(app, client, courses_dir):
    from lms.catalog_store import current_catalog
    from lms.content.loader import load_catalog

    assert results(client, "zanzibar")[0] == []
    module = courses_dir / "basics" / "01-welcome.md"
    module.write_text(module.read_text() + "\n## Travel\n\nA trip to Zanzibar.\n")
    with app.app_context():
        store = app.extensions["lms.catalog"]
        store.catalog = load_catalog(courses_dir)
        assert current_catalog() is store.catalog
    assert results(client, "zanzibar")[0] == ["/courses/basics/welcome#travel"]


def test_sections_of_splits_at_h2_and_h3():
    html = ['<p>Intro &amp; more</p><h2 id="one">One</h2><p>First</p>',
            '<h3 id="two">Two <em>b</em></h3><ul><li>a</li><li>b</li></ul><h4>x</h4>']
    assert search_module.sections_of(html) == [
        (None, "", "Intro & more"), ("one", "One", "First"), ("two", "Two b", "a b x")]


def test_snippets_are_cut_around_the_first_match():
    text = " ".join(f"word{i}" for i in range(100)) + " needle " + "tail " * 100
    pieces = search_module.snippet(text, re.compile("needle", re.I))
    joined = "".join(t for t, _ in pieces)
    assert ("needle", True) in pieces and joined.startswith("… ") and joined.endswith(" …")
    assert len(joined) <= search_module.SNIPPET + 4
