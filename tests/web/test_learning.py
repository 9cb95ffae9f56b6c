"""Reading, completing and seeing progress on the catalog, course page and My training."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from lms.extensions import db
from lms.progress.models import Completion, ModuleView
from tests.conftest import csrf_token


def complete(client, course="basics", module="welcome"):
    token = csrf_token(client, f"/courses/{course}/{module}")
    return client.post(f"/courses/{course}/{module}/complete", data={"csrf_token": token})


def completions(app):
    with app.app_context():
        return db.session.execute(
            select(Completion.module_key, Completion.module_version)).all()


def test_anonymous_visitor_can_read_but_not_record(client):
    assert "Campaign basics" in client.get("/").get_data(as_text=True)
    page = client.get("/courses/basics/welcome").get_data(as_text=True)
    assert "Why this matters" in page and "Log in</a> to record" in page
    response = client.post("/courses/basics/welcome/complete")
    assert response.status_code in (302, 400)


def test_module_page_shows_content_objectives_and_neighbours(client):
    page = client.get("/courses/basics/reading-lists").get_data(as_text=True)
    assert "Spot a duplicate" in page
    assert "<table>" in page and "admonition tip" in page
    assert 'href="/courses/basics/welcome"' in page and 'href="/courses/basics/wrap-up"' in page


def test_module_links_and_images_resolve_inside_the_course(client):
    page = client.get("/courses/basics/welcome").get_data(as_text=True)
    assert 'href="reading-lists"' in page
    assert 'src="files/images/map.svg"' in page
    with client.get("/courses/basics/files/images/map.svg") as response:
        assert response.status_code == 200 and b"<svg" in response.data


def test_course_files_refuse_escapes_and_module_sources(client):
    for path in ["files/../../basics/course.md", "files/%2e%2e/course.md", "files/course.md",
                 "files/01-welcome.md", "files/../01-welcome.md", "files/images/../01-welcome.md"]:
        assert client.get(f"/courses/basics/{path}").status_code == 404, path


def test_completion_is_recorded_once_under_a_double_submit(app, logged_in):
    first = complete(logged_in)
    second = complete(logged_in)
    assert first.status_code == second.status_code == 302
    assert completions(app) == [("welcome", 1)]


def test_progress_shows_on_catalog_course_page_and_my_training(logged_in):
    complete(logged_in)
    catalog = logged_in.get("/").get_data(as_text=True)
    assert "1 of 3 done" in catalog
    course = logged_in.get("/courses/basics/").get_data(as_text=True)
    assert course.count("badge--completed") == 1 and course.count("badge--not-started") == 2
    assert "Continue: Reading voter lists" in course
    my = logged_in.get("/my").get_data(as_text=True)
    assert "In progress" in my and "Campaign basics" in my
    assert "Continue: Reading voter lists" in my


def test_viewing_records_started_and_resume(app, logged_in):
    token = csrf_token(logged_in, "/courses/basics/reading-lists")
    response = logged_in.post("/courses/basics/reading-lists/viewed", data={"csrf_token": token})
    assert response.status_code == 204
    course = logged_in.get("/courses/basics/").get_data(as_text=True)
    assert "badge--started" in course
    my = logged_in.get("/my").get_data(as_text=True)
    assert "Continue where you left off" in my and "Reading voter lists" in my
    with app.app_context():
        assert db.session.scalars(select(ModuleView.module_key)).all() == ["reading-lists"]


def test_bumping_a_version_shows_updated_since_completed(app, logged_in, courses_dir: Path):
    complete(logged_in)
    module = courses_dir / "basics" / "01-welcome.md"
    module.write_text(module.read_text().replace("version: 1", "version: 2"))
    app.extensions["lms.catalog"].catalog = app.extensions["lms.catalog"]._load()
    course = logged_in.get("/courses/basics/").get_data(as_text=True)
    assert "Updated since you completed it" in course
    my = logged_in.get("/my").get_data(as_text=True)
    assert "Updated since you completed them" in my
    complete(logged_in)
    assert completions(app) == [("welcome", 1), ("welcome", 2)]


def test_trainer_only_course_is_hidden_from_learners(client, make_user):
    assert "Notes for trainers" not in client.get("/").get_data(as_text=True)
    assert client.get("/courses/trainer-notes/").status_code == 404
    make_user("tess@example.org", "Tess", trainer=True)
    from tests.conftest import login

    login(client, "tess@example.org")
    assert client.get("/courses/trainer-notes/secret").status_code == 200


def test_private_catalog_requires_login(app_config, monkeypatch, tmp_path):
    from lms import create_app

    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "instance"))
    client = create_app({**app_config, "CATALOG_PRIVATE": True}).test_client()
    assert client.get("/").status_code == 302
    assert client.get("/courses/basics/welcome").status_code == 302


def test_unknown_pages_are_friendly_404s(client):
    response = client.get("/courses/nope/")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)
    assert client.get("/courses/basics/nope").status_code == 404
