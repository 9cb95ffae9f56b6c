"""`lms courses check` and `lms courses show` from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURE_COURSES


def lms(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "LMS_INSTANCE_PATH": str(tmp_path / "instance")}
    return subprocess.run([sys.executable, "-m", "lms.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_check_passes_on_good_courses(tmp_path: Path):
    result = lms("courses", "check", str(FIXTURE_COURSES), tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stderr


def test_check_fails_with_file_and_line_on_a_broken_file(tmp_path: Path):
    course = tmp_path / "courses" / "broken"
    course.mkdir(parents=True)
    (course / "course.md").write_text("---\ntitle: Broken\n---\n")
    (course / "01-a.md").write_text("---\ntitle: A\nminutes: lots\n---\n")
    result = lms("courses", "check", str(tmp_path / "courses"), tmp_path=tmp_path)
    assert result.returncode == 1
    assert "courses/broken/01-a.md:3:1: error C004:" in result.stdout


def test_show_json_prints_the_parsed_catalog(tmp_path: Path):
    result = lms("courses", "show", "--json", str(FIXTURE_COURSES), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    basics = data["courses"][0]
    assert basics["key"] == "basics"
    assert [m["key"] for m in basics["modules"]] == ["welcome", "reading-lists", "wrap-up"]


def test_check_accepts_a_single_course_folder(tmp_path: Path):
    result = lms("courses", "check", str(FIXTURE_COURSES / "basics"), tmp_path=tmp_path)
    assert result.returncode == 0 and "1 courses, 3 modules" in result.stderr
    broken = tmp_path / "one"
    broken.mkdir()
    (broken / "course.md").write_text("---\ntitle: One\n---\n[x](01-missing.md)\n")
    result = lms("courses", "check", str(broken), tmp_path=tmp_path)
    assert result.returncode == 1 and "one/course.md:4:1: error C006" in result.stdout


def test_import_gift_writes_a_checked_module(tmp_path: Path):
    import shutil

    courses = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES / "basics", courses / "basics")
    bank = tmp_path / "canvass_bank.gift"
    bank.write_text(
        "::Opener::What do you say first? {=Your name and why you are there ~Who they vote for}\n"
        "\n"
        "::Pace::Doors per hour for 60 doors in 3 hours? {#20:2}\n"
        "\n"
        "::Match::Pair them {=DoorLog -> doors =PhoneLog -> calls}\n"
        "\n"
        "::Bad::Broken number {#abc}\n")
    env_courses = {"LMS_COURSES_DIR": str(courses)}
    import os

    os.environ.update(env_courses)
    try:
        result = lms("courses", "import-gift", str(bank), "--course", "basics",
                     tmp_path=tmp_path)
    finally:
        os.environ.pop("LMS_COURSES_DIR")
    assert result.returncode == 1  # the broken numeric question is an error
    assert "canvass_bank.gift:5:" in result.stdout and "canvass_bank.gift:7:" in result.stdout
    assert "2 questions imported" in result.stderr
    module = courses / "basics" / "04-canvass-bank.md"
    assert module.is_file()
    check = lms("courses", "check", str(courses), tmp_path=tmp_path)
    assert check.returncode == 0, check.stdout
