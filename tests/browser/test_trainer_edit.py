"""A trainer rewrites a module's text and quiz in the browser and saves; a learner, on another
app process serving the same courses folder and database, sees the new version within seconds
and is graded against the new quiz."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from tests.browser.conftest import FIXTURE_COURSES, screenshot, start_server

pytestmark = pytest.mark.browser
PASSWORD = "a long enough passphrase"
OLD_STEM = "Someone opens the door. What do you do first?"
NEW_STEM = "A voter opens the door. What do you say first?"


def create_user(tmp_path, courses, email: str, name: str, *flags: str) -> None:
    env = {**os.environ, "LMS_INSTANCE_PATH": str(tmp_path / "instance"),
           "LMS_COURSES_DIR": str(courses)}
    subprocess.run([sys.executable, "-m", "lms.cli", "user", "create", "--email", email,
                    "--name", name, "--password", PASSWORD, *flags], env=env, check=True,
                   capture_output=True)


@pytest.fixture
def two_servers(tmp_path):
    """Two app processes on one database and one courses folder, as in production."""
    courses = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES, courses)
    first = start_server(tmp_path, courses)  # migrates the database
    second = start_server(tmp_path, courses)
    create_user(tmp_path, courses, "owner@example.org", "Owner")  # the first account: admin
    create_user(tmp_path, courses, "tess@example.org", "Tess Trainer", "--trainer")
    create_user(tmp_path, courses, "lee@example.org", "Lee Learner")
    yield first[1], second[1], courses
    for process, _, log in (first, second):
        process.terminate()
        process.wait(timeout=10)
        log.close()


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_trainer_edits_in_the_browser_and_a_learner_sees_it(two_servers, browser):
    editor_url, learner_url, courses = two_servers
    learner = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    trainer = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    for page in (learner, trainer):
        page.set_default_timeout(15000)

    log_in(learner, learner_url, "lee@example.org")
    learner.goto(learner_url + "/courses/quizzing/canvass")
    assert learner.get_by_text(OLD_STEM).is_visible()

    log_in(trainer, editor_url, "tess@example.org")
    trainer.get_by_role("link", name="Trainer", exact=True).click()
    trainer.get_by_role("link", name="Edit Canvassing check").click()
    source = trainer.get_by_label("Module Markdown, front matter included")
    text = source.input_value()
    assert "version: 1" in text
    broken = text.replace("(x) Say your name", "( ) Say your name")
    source.fill(broken)  # the live preview lists the problem by line
    trainer.get_by_text("has no correct option").wait_for()
    rewritten = (text.replace(OLD_STEM, NEW_STEM)
                 .replace("Read this first.", "Read this first, then knock.")
                 .replace("( ) Hand over a leaflet and walk away",
                          "( ) Hand over a leaflet and leave"))
    source.fill(rewritten)
    preview = trainer.locator("#preview-body")
    preview.get_by_text("Read this first, then knock.").wait_for()
    assert preview.get_by_text(NEW_STEM).is_visible()
    trainer.get_by_label("Substantive change: raise the version").check()
    trainer.get_by_role("button", name="Save").click()
    trainer.get_by_text("learners now see version 2").wait_for()
    screenshot(trainer, "trainer-editor-saved")
    saved = (courses / "quizzing" / "01-canvass.md").read_text()
    assert "version: 2" in saved and NEW_STEM in saved

    # The other process notices the file within a few seconds, without a restart.
    deadline = time.monotonic() + 15
    while True:
        learner.goto(learner_url + "/courses/quizzing/canvass")
        if learner.get_by_text(NEW_STEM).count():
            break
        assert time.monotonic() < deadline, "the second process never showed the new text"
        time.sleep(0.5)
    assert learner.get_by_text("Read this first, then knock.").is_visible()
    assert learner.get_by_text("Hand over a leaflet and leave").is_visible()
    assert not learner.get_by_text(OLD_STEM).count()
    screenshot(learner, "learner-sees-new-version")

    # The learner's answers are graded against the new quiz.
    learner.get_by_label("Say your name and that you volunteer for the campaign").check()
    learner.get_by_label("A voter's mobile number").check()
    learner.get_by_label("A note that a voter supports the park").check()
    learner.locator("input[name=q-photo-consent][value=false]").check()
    learner.get_by_placeholder("Type your answer").fill("DoorLog")
    learner.get_by_placeholder("A number").fill("20")
    learner.get_by_role("button", name="Submit answers").click()
    learner.get_by_text("You passed").wait_for()
