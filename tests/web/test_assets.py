"""Fingerprinted static files cached for a year, and the weight budget of a module page.

These tests use the real curriculum (courses/), so the budget is checked on the modules people
actually read.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from lms.assets import LONG_CACHE, Fingerprints
from tests.conftest import login

ROOT = Path(__file__).parents[2]
CSS = ROOT / "static" / "css" / "app.css"
BUDGET = 60 * 1024  # module page HTML + CSS, uncompressed


@pytest.fixture
def courses_dir() -> Path:
    return ROOT / "courses"


def css_url(html: str) -> str:
    match = re.search(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert match, "no stylesheet link"
    return match.group(1)


def test_pages_link_the_stylesheet_by_its_content_hash(client):
    url = css_url(client.get("/login").get_data(as_text=True))
    digest = hashlib.sha256(CSS.read_bytes()).hexdigest()[:12]
    assert url == f"/static/css/app.css?v={digest}"


def test_the_current_version_is_cached_for_a_year_even_when_logged_in(client, make_user):
    make_user()
    login(client)
    assert client.get("/my").headers["Cache-Control"] == "no-store"  # pages stay private
    url = css_url(client.get("/my").get_data(as_text=True))
    with client.get(url) as response:
        assert response.status_code == 200
        headers = response.headers
    assert headers["Cache-Control"] == LONG_CACHE
    assert "max-age=31536000" in LONG_CACHE
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize("query", ["", "?v=000000000000", "?v="])
def test_other_versions_are_revalidated(client, query):
    with client.get("/static/css/app.css" + query) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"


def test_a_changed_file_gets_a_new_fingerprint(tmp_path):
    prints = Fingerprints()
    (tmp_path / "a.css").write_text("body { color: black; }")
    first = prints.version(str(tmp_path), "a.css")
    assert first == prints.version(str(tmp_path), "a.css")
    (tmp_path / "a.css").write_text("body { color: navy; }  ")
    assert prints.version(str(tmp_path), "a.css") == first  # looked at again after a while
    prints.RECHECK_SECONDS = 0
    assert prints.version(str(tmp_path), "a.css") != first
    assert prints.version(str(tmp_path), "missing.css") is None
    assert prints.version(str(tmp_path), "../a.css") is None


def test_every_module_page_and_its_css_fit_the_budget(app, client):
    """Each module page plus every stylesheet it links stays under 60 KB, uncompressed."""
    from lms.catalog_store import current_catalog

    with app.app_context():
        modules = [(m.course_key, m.key) for c in current_catalog().courses for m in c.modules]
    assert len(modules) > 20
    over = []
    for course, module in modules:
        html = client.get(f"/courses/{course}/{module}").get_data(as_text=True)
        sheets = re.findall(r'<link rel="stylesheet" href="/static/([^"?]+)', html)
        assert sheets == ["css/app.css"]
        weight = len(html.encode()) + sum(len((ROOT / "static" / s).read_bytes()) for s in sheets)
        if weight >= BUDGET:
            over.append((f"{course}/{module}", weight))
    assert not over, over


def test_staff_pages_add_their_area_stylesheet(client, make_user, make_campaign):
    user = make_user()
    campaign = make_campaign({user: "manager"})
    login(client)
    html = client.get(f"/campaigns/{campaign}/dashboard").get_data(as_text=True)
    assert re.findall(r'<link rel="stylesheet" href="/static/([^"?]+)', html) == [
        "css/app.css", "css/campaigns.css"]


def test_forms_print_no_empty_attributes(client):
    """The field macro leaves out attributes it has no value for (never the text None)."""
    for path in ["/login", "/register"]:
        html = client.get(path).get_data(as_text=True)
        assert '="None"' not in html, path
