"""The module editor: safe paths, checks before saving, concurrent changes, versions, the save
record, git, and every process seeing the change."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.catalog_store import current_catalog
from lms.extensions import db
from lms.trainer.files import PathRefused, module_file
from lms.trainer.models import ModuleSave
from lms.trainer.preview import preview_in_course
from tests.conftest import csrf_token, login

EDIT = "/trainer/courses/basics/modules/welcome/edit"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def trainer(app, make_user):
    make_user("trainer@example.org", "Tess O'Trainer", trainer=True)
    client = app.test_client()
    assert login(client, "trainer@example.org").status_code == 302
    return client


def opened(client, path=EDIT) -> dict:
    """The editor's hidden fields, as the browser would send them back."""
    html = client.get(path).get_data(as_text=True)
    base = re.search(r'name="base_hash" type="hidden" value="([0-9a-f]*)"', html)
    return {"csrf_token": csrf_token(client, path), "base_hash": base.group(1) if base else ""}


def saves(app) -> list[ModuleSave]:
    with app.app_context():
        return list(db.session.scalars(select(ModuleSave).order_by(ModuleSave.id)))


def test_the_editor_opens_the_file_with_its_hash(trainer, courses_dir):
    html = trainer.get(EDIT).get_data(as_text=True)
    assert "Welcome text. Next: [Reading lists](02-reading-lists.md)." in html
    assert f'value="{sha(courses_dir / "basics" / "01-welcome.md")}"' in html
    assert 'src="/courses/basics/files/images/map.svg"' in html  # the preview's image works
    assert "No problems found" in html


@pytest.mark.parametrize("course, name", [
    ("basics", "../quizzing/01-canvass.md"), ("basics", "..%2F01-welcome.md"),
    ("basics", "/etc/passwd.md"), ("..", "01-welcome.md"), ("basics/..", "01-welcome.md"),
    ("basics", "01-welcome.txt"), ("basics", "notes.md"), ("basics", "course.md"),
    ("basics", ".01-hidden.md"), ("nope", "01-new.md"), ("basics", "images"),
    ("basics", "01-" + "a" * 200 + ".md"), ("basics", "01-new.md\x00.txt"),
])
def test_path_escapes_other_files_and_unknown_courses_are_refused(courses_dir, course, name):
    with pytest.raises(PathRefused):
        module_file(courses_dir, course, name)


def test_files_that_lead_outside_the_courses_folder_are_refused(courses_dir, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: Outside\n---\n")
    (courses_dir / "basics" / "09-link.md").symlink_to(outside)
    with pytest.raises(PathRefused):
        module_file(courses_dir, "basics", "09-link.md")
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(courses_dir / "basics", elsewhere)
    (courses_dir / "linked").symlink_to(elsewhere)
    with pytest.raises(PathRefused):
        module_file(courses_dir, "linked", "01-welcome.md")


def test_the_new_module_form_refuses_escapes_and_writes_nothing(app, trainer, courses_dir,
                                                                tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("kept")
    (courses_dir / "basics" / "09-link.md").symlink_to(outside)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "instance" not in
                    p.parts)
    text = "---\ntitle: Escaped\n---\nBody.\n"
    for name in ("../../escape.md", "../quizzing/05-x.md", "05-notes.txt", "09-link.md"):
        token = csrf_token(trainer, "/trainer/courses/basics/new")
        response = trainer.post("/trainer/courses/basics/new", data={
            "csrf_token": token, "file_name": name, "source": text, "save": "Save"})
        assert response.status_code == 400, name
        assert "field__error" in response.get_data(as_text=True)
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "instance" not in
                   p.parts)
    assert after == before and outside.read_text() == "kept" and saves(app) == []
    assert trainer.get("/trainer/courses/basics/modules/09-link/edit").status_code == 404
    assert trainer.get("/trainer/courses/nope/new").status_code == 404


def test_a_module_with_quiz_errors_is_not_saved(app, trainer, courses_dir):
    path = courses_dir / "quizzing" / "01-canvass.md"
    before = path.read_bytes()
    edit = "/trainer/courses/quizzing/modules/canvass/edit"
    fields = opened(trainer, edit)
    broken = before.decode().replace("(x) Say your name", "( ) Say your name")
    response = trainer.post(edit, data={**fields, "source": broken, "save": "Save"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Not saved" in html and "Q012" in html and "has no correct option" in html
    assert re.search(r"Line \d+</span> <span class=\"diagnostic__severity\">error", html)
    assert path.read_bytes() == before and saves(app) == []


def test_warnings_are_shown_and_allowed(app, trainer, courses_dir):
    path = courses_dir / "basics" / "01-welcome.md"
    text = path.read_text().replace("minutes: 5", "minutes: 5\ncolour: green")
    response = trainer.post(EDIT, data={**opened(trainer), "source": text, "preview": "Preview"})
    assert "C008" in response.get_data(as_text=True)
    response = trainer.post(EDIT, data={**opened(trainer), "source": text, "save": "Save"})
    assert response.status_code == 302
    assert "colour: green" in path.read_text()


def test_a_concurrent_change_is_detected_and_both_versions_shown(app, trainer, courses_dir):
    path = courses_dir / "basics" / "01-welcome.md"
    fields = opened(trainer)
    theirs = path.read_text().replace("Welcome text.", "Their welcome text.")
    path.write_text(theirs)
    mine = theirs.replace("Their welcome text.", "My welcome text.")
    response = trainer.post(EDIT, data={**fields, "source": mine, "save": "Save"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone saved this file after you opened it" in html
    assert "Their welcome text." in html and "My welcome text." in html
    assert 'class="diff__remove">-Their welcome text.' in html
    assert path.read_text() == theirs and saves(app) == []
    # The page now carries the hash of their version: saving again replaces it, knowingly.
    base = re.search(r'name="base_hash" type="hidden" value="([0-9a-f]{64})"', html).group(1)
    assert base == sha(path)
    response = trainer.post(EDIT, data={**fields, "base_hash": base, "source": mine,
                                        "save": "Save"})
    assert response.status_code == 302 and "My welcome text." in path.read_text()


def test_the_version_goes_up_only_when_asked(app, trainer, courses_dir):
    path = courses_dir / "basics" / "01-welcome.md"
    typo = path.read_text().replace("Welcome text.", "Welcome, text.")
    trainer.post(EDIT, data={**opened(trainer), "source": typo, "save": "Save"})
    assert "version: 1\n" in path.read_text()
    substantive = path.read_text().replace("Welcome, text.", "Welcome: new rules apply.")
    response = trainer.post(EDIT, data={**opened(trainer), "source": substantive,
                                        "substantive": "y", "save": "Save"})
    assert response.status_code == 302
    assert "version: 2\n" in path.read_text() and "version: 1" not in path.read_text()
    assert [s.version_bumped for s in saves(app)] == [False, True]
    with app.app_context():
        assert current_catalog().module("basics", "welcome").version == 2
    flashed = trainer.get(response.headers["Location"]).get_data(as_text=True)
    assert "learners now see version 2" in flashed
    # Raising it by hand counts as raised, and is not raised twice.
    by_hand = path.read_text().replace("version: 2", "version: 3").replace("apply.", "apply!")
    trainer.post(EDIT, data={**opened(trainer), "source": by_hand, "substantive": "y",
                             "save": "Save"})
    assert "version: 3\n" in path.read_text()
    assert [s.version_bumped for s in saves(app)] == [False, True, True]


def test_the_editor_refuses_to_lower_the_version_or_change_the_key(app, trainer, courses_dir):
    path = courses_dir / "basics" / "01-welcome.md"
    path.write_text(path.read_text().replace("version: 1", "version: 3"))
    app.extensions["lms.catalog"].refresh()
    lowered = path.read_text().replace("version: 3", "version: 2")
    response = trainer.post(EDIT, data={**opened(trainer), "source": lowered, "save": "Save"})
    assert response.status_code == 422 and "E002" in response.get_data(as_text=True)
    renamed = path.read_text().replace("minutes: 5", "minutes: 5\nid: hello")
    response = trainer.post(EDIT, data={**opened(trainer), "source": renamed, "save": "Save"})
    assert response.status_code == 422 and "E001" in response.get_data(as_text=True)
    clash = path.read_text().replace("minutes: 5", "minutes: 5\nid: reading-lists")
    assert "C005" in str(preview_check(app, courses_dir, clash))
    assert "version: 3" in path.read_text() and saves(app) == []


def preview_check(app, courses_dir, text):
    with app.test_request_context():
        file = module_file(courses_dir, "basics", "03-wrap-up.md")
        preview = preview_in_course(file, text, file.path.read_text(), "/courses/basics/")
    return [*preview.diagnostics, *preview.elsewhere]


def test_every_save_is_recorded(app, trainer, courses_dir, make_user):
    path = courses_dir / "basics" / "01-welcome.md"
    before = sha(path)
    text = path.read_text().replace("Welcome text.", "Welcome, everyone.").replace("\n", "\r\n")
    assert trainer.post(EDIT, data={**opened(trainer), "source": text,
                                    "save": "Save"}).status_code == 302
    assert b"\r" not in path.read_bytes()  # browsers send CRLF; files keep LF
    (record,) = saves(app)
    with app.app_context():
        from lms.auth.models import User

        trainer_id = db.session.scalar(select(User.id).filter_by(email="trainer@example.org"))
    assert (record.user_id, record.path, record.hash_before, record.hash_after) == (
        trainer_id, "basics/01-welcome.md", before, sha(path))
    assert record.saved_at is not None and record.git_commit is None  # not a git work tree
    page = trainer.get("/trainer/").get_data(as_text=True)
    assert "basics/01-welcome.md" in page and "Tess O&#39;Trainer" in page


def test_nothing_changed_writes_nothing(app, trainer, courses_dir):
    path = courses_dir / "basics" / "01-welcome.md"
    response = trainer.post(EDIT, data={**opened(trainer), "source": path.read_text(),
                                        "save": "Save"})
    assert response.status_code == 200 and "Nothing changed" in response.get_data(as_text=True)
    assert saves(app) == []


def test_preview_saves_nothing_and_works_without_javascript(app, trainer, courses_dir):
    path = courses_dir / "quizzing" / "01-canvass.md"
    before = path.read_bytes()
    edit = "/trainer/courses/quizzing/modules/canvass/edit"
    changed = before.decode().replace("Read this first.", "Read **this** first.")
    response = trainer.post(edit, data={**opened(trainer, edit), "source": changed,
                                        "preview": "Preview"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Read <strong>this</strong> first." in html
    assert 'class="quiz__form"' in html and "Submit answers</button>" in html
    assert "disabled>Submit answers" in html  # the preview's quiz sends nothing
    assert path.read_bytes() == before and saves(app) == []
    scratch = trainer.post("/trainer/preview", data={
        "csrf_token": csrf_token(trainer, "/trainer/preview"), "course_key": "",
        "source": "---\ntitle: Scratch\n---\n```quiz\nid: q\nQ: Why?\n( ) A\n```\n"})
    html = scratch.get_data(as_text=True)
    assert scratch.status_code == 200 and "Q012" in html and "Q014" in html
    assert "Line 6</span>" in html and "preview.md" not in html


def test_the_live_preview_fragment(app, trainer, courses_dir):
    token = csrf_token(trainer, EDIT)
    text = (courses_dir / "basics" / "01-welcome.md").read_text() + "\n[Gone](09-gone.md)\n"
    response = trainer.post("/trainer/preview/fragment", data={
        "csrf_token": token, "source": text, "course_key": "basics",
        "file_name": "01-welcome.md"}, headers={"X-CSRFToken": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "C006" in html and "Line 14</span>" in html  # the link's line in the draft
    for bad in ({"course_key": "../basics"}, {"file_name": "../x.md"}, {"source": ""}):
        data = {"csrf_token": token, "source": text, "course_key": "basics",
                "file_name": "01-welcome.md", **bad}
        assert trainer.post("/trainer/preview/fragment", data=data).status_code == 400, bad


def test_the_preview_renders_as_the_module_page_does(app, courses_dir):
    path = courses_dir / "quizzing" / "01-canvass.md"
    with app.test_request_context():
        served = current_catalog().module("quizzing", "canvass")
        file = module_file(courses_dir, "quizzing", "01-canvass.md")
        preview = preview_in_course(file, path.read_text(), path.read_text(),
                                    "/courses/quizzing/")
    assert preview.module.parts == served.parts and preview.module.outline == served.outline
    assert preview.module.quizzes[0].version == served.quizzes[0].version
    assert preview.diagnostics == () and preview.module.position == served.position


def test_creating_a_new_module(app, trainer, courses_dir):
    html = trainer.get("/trainer/courses/basics/new").get_data(as_text=True)
    assert 'value="04-new-module.md"' in html
    text = "---\ntitle: Door scripts\nminutes: 4\n---\n## Knock\n\nSay hello.\n"
    data = {"csrf_token": csrf_token(trainer, "/trainer/courses/basics/new"),
            "file_name": "04-door-scripts.md", "source": text, "base_hash": "", "save": "Save"}
    response = trainer.post("/trainer/courses/basics/new", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/trainer/courses/basics/modules/"
                                                 "door-scripts/edit")
    assert (courses_dir / "basics" / "04-door-scripts.md").read_text() == text
    assert trainer.get("/courses/basics/door-scripts").status_code == 200
    (record,) = saves(app)
    assert record.hash_before is None and record.path == "basics/04-door-scripts.md"
    again = trainer.post("/trainer/courses/basics/new", data=data)
    assert again.status_code == 409 and "already exists" in again.get_data(as_text=True)


def test_a_broken_file_can_be_opened_and_fixed(app, trainer, courses_dir):
    path = courses_dir / "basics" / "03-wrap-up.md"
    path.write_text(path.read_text().replace("title:", "titel:"))
    app.extensions["lms.catalog"].refresh()
    assert "03-wrap-up.md" in trainer.get("/trainer/").get_data(as_text=True)
    edit = "/trainer/courses/basics/modules/03-wrap-up/edit"
    response = trainer.get(edit)
    assert response.status_code == 200 and "C003" in response.get_data(as_text=True)
    fixed = path.read_text().replace("titel:", "title:")
    assert trainer.post(edit, data={**opened(trainer, edit), "source": fixed,
                                    "save": "Save"}).status_code == 302
    assert trainer.get("/courses/basics/wrap-up").status_code == 200


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_save_is_committed_when_the_courses_folder_is_a_git_work_tree(app, trainer,
                                                                         courses_dir):
    env = {**os.environ, "GIT_AUTHOR_NAME": "Setup", "GIT_AUTHOR_EMAIL": "setup@example.org",
           "GIT_COMMITTER_NAME": "Setup", "GIT_COMMITTER_EMAIL": "setup@example.org"}

    def git(*args):
        return subprocess.run(["git", "-C", str(courses_dir), *args], env=env, check=True,
                              capture_output=True, text=True).stdout.strip()

    git("init", "-q")
    git("add", "-A")
    git("-c", "commit.gpgsign=false", "commit", "-q", "-m", "Courses")
    (courses_dir / "basics" / "02-reading-lists.md").write_text("an unrelated, unsaved edit")
    path = courses_dir / "basics" / "01-welcome.md"
    text = path.read_text().replace("Welcome text.", "Welcome, from git.")
    assert trainer.post(EDIT, data={**opened(trainer), "source": text,
                                    "save": "Save"}).status_code == 302
    (record,) = saves(app)
    assert record.git_commit == git("rev-parse", "HEAD")
    assert git("log", "-1", "--format=%an <%ae>") == "Tess O'Trainer <trainer@example.org>"
    assert git("show", "--name-only", "--format=", "HEAD") == "basics/01-welcome.md"
    assert "basics/02-reading-lists.md" in git("status", "--porcelain")  # left alone


SECOND_PROCESS = textwrap.dedent("""
    import sys, time
    from lms import create_app
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40})
    client = app.test_client()
    assert b"Welcome text." in client.get("/courses/basics/welcome").data
    print("ready", flush=True)
    sys.stdin.readline()  # the parent has saved
    started = time.monotonic()
    while time.monotonic() - started < 15:
        if b"Welcome from the editor." in client.get("/courses/basics/welcome").data:
            print(f"seen after {time.monotonic() - started:.1f} s", flush=True)
            sys.exit(0)
        time.sleep(0.2)
    sys.exit(1)
""")


def test_a_second_app_process_sees_the_change_within_seconds(app, trainer, courses_dir,
                                                             tmp_path):
    env = {**os.environ, "LMS_COURSES_DIR": str(courses_dir),
           "LMS_INSTANCE_PATH": str(tmp_path / "second"), "LMS_RENDER_CACHE_DIR": "off",
           "LMS_DATABASE_URL": f"sqlite:///{tmp_path / 'second.sqlite3'}"}
    env.pop("LMS_COURSES_RELOAD_SECONDS", None)  # the default must be enough
    with subprocess.Popen([sys.executable, "-c", SECOND_PROCESS], env=env, text=True,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          cwd=Path(__file__).parents[2]) as process:
        assert process.stdout.readline().strip() == "ready"
        path = courses_dir / "basics" / "01-welcome.md"
        text = path.read_text().replace("Welcome text.", "Welcome from the editor.")
        assert trainer.post(EDIT, data={**opened(trainer), "source": text,
                                        "save": "Save"}).status_code == 302
        # This process sees it at once.
        assert "Welcome from the editor." in trainer.get("/courses/basics/welcome").get_data(
            as_text=True)
        process.stdin.write("saved\n")
        process.stdin.flush()
        seen = process.stdout.readline()
        assert process.wait(timeout=30) == 0, seen
        assert seen.startswith("seen after"), seen
