"""Only trainers and admins use the trainer tools: every trainer route, walked from the URL map,
answers 403 to learners, staff and managers, and sends anonymous visitors to log in."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token, login

VIEWERS = ["anonymous", "learner", "staff", "manager", "trainer", "admin"]
ARGS = {"course_key": "quizzing", "module_key": "canvass"}


@pytest.fixture
def world(app, make_user, make_campaign):
    ids = {v: make_user(f"{v}@example.org", v.title(), trainer=v == "trainer", admin=v == "admin")
           for v in VIEWERS[1:]}
    make_campaign({ids["manager"]: "manager", ids["staff"]: "staff"})
    return ids


def trainer_rules(app, method: str):
    rules = [r for r in app.url_map.iter_rules()
             if r.endpoint.startswith("trainer.") and method in r.methods]
    assert rules
    return rules


def path(rule) -> str:
    out = rule.rule
    for name in rule.arguments:
        out = out.replace(f"<{name}>", ARGS[name])
    return out


def client_for(app, viewer):
    client = app.test_client()
    if viewer != "anonymous":
        assert login(client, f"{viewer}@example.org").status_code == 302
    return client


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_trainer_page_is_for_trainers_and_admins_only(app, world, viewer):
    client = client_for(app, viewer)
    gets = trainer_rules(app, "GET")
    assert len(gets) >= 9
    for rule in gets:
        response = client.get(path(rule))
        if viewer in ("trainer", "admin"):
            assert response.status_code == 200, (viewer, rule.rule)
        elif viewer == "anonymous":
            assert response.status_code == 302 and "/login" in response.headers["Location"]
        else:
            assert response.status_code == 403, (viewer, rule.rule)


@pytest.mark.parametrize("viewer", ["anonymous", "learner", "staff", "manager"])
def test_every_trainer_post_is_refused_and_writes_nothing(app, world, viewer, courses_dir):
    client = client_for(app, viewer)
    before = {p: p.read_bytes() for p in courses_dir.rglob("*.md")}
    token = csrf_token(client, "/login")
    for rule in trainer_rules(app, "POST"):
        response = client.post(path(rule), data={
            "csrf_token": token, "source": "---\ntitle: Taken over\n---\n", "save": "Save",
            "file_name": "09-taken.md", "course_key": "quizzing"})
        assert response.status_code == (302 if viewer == "anonymous" else 403), rule.rule
    assert {p: p.read_bytes() for p in courses_dir.rglob("*.md")} == before


@pytest.mark.parametrize("viewer", VIEWERS[1:])
def test_the_trainer_link_is_shown_to_trainers_and_admins_only(app, world, viewer):
    html = client_for(app, viewer).get("/").get_data(as_text=True)
    assert ('href="/trainer/"' in html) == (viewer in ("trainer", "admin"))
