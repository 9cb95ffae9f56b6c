"""Helpers for the design and accessibility browser tests: a demo server, axe-core, keyboard.

axe-core comes from the npm package, installed outside the source tree by `.ci/run`
(`npm install --prefix .cache/axe axe-core@4`), or from the file named by LMS_AXE_JS.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, FIXTURE_COURSES, start_server

ROOT = Path(__file__).parents[2]
AXE_DEFAULT = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "evergreen-demo"  # lms/demo.py prints it; demo accounts exist only in tests
BLOCKING = ("serious", "critical")


def axe_path() -> Path:
    """axe.min.js, or a skip (a failure in CI) saying how to install it."""
    path = Path(os.environ.get("LMS_AXE_JS") or AXE_DEFAULT)
    if not path.is_file():
        message = (f"axe-core not found at {path}: run `npm install --prefix .cache/axe "
                   "axe-core@4` or set LMS_AXE_JS")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def demo_server(tmp_path: Path) -> Iterator[str]:
    """A server on the fixture courses with `lms demo` data (demo accounts, two campaigns)."""
    courses = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES, courses)
    (tmp_path / "instance").mkdir()
    env = {**os.environ, "LMS_INSTANCE_PATH": str(tmp_path / "instance"),
           "LMS_COURSES_DIR": str(courses)}
    subprocess.run([sys.executable, "-m", "lms.cli", "demo"], env=env, check=True,
                   capture_output=True, timeout=120)
    subprocess.run([sys.executable, "-m", "lms.cli", "user", "create", "--admin",
                    "--email", "admin@demo.test", "--name", "Ada Admin",
                    "--password", DEMO_PASSWORD], env=env, check=True, capture_output=True,
                   stdin=subprocess.DEVNULL, timeout=120)
    process, url, log = start_server(tmp_path, courses)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def log_in(page, base: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"could not log in as {email}"


def run_axe(page, name: str) -> list[dict]:
    """Run axe-core on the page; save the full result; return serious and critical violations.

    The page's CSP (script-src 'self') blocks the inline script Playwright injects, so the
    context running axe must be created with bypass_csp=True.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_path()))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})")
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    summary = {"url": page.url, "violations": [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]],
        "passes": len(result.get("passes", [])), "incomplete": len(result.get("incomplete", []))}
    (folder / f"{name}.json").write_text(json.dumps(summary, indent=2))
    return [v for v in summary["violations"] if v["impact"] in BLOCKING]


def page_facts(page) -> dict:
    """What every page must have: one h1, a main landmark, a skip link, no sideways scroll."""
    return page.evaluate("""() => ({
        h1: document.querySelectorAll('h1').length,
        main: document.querySelectorAll('main').length,
        skip: !!document.querySelector('a.skip-link[href="#main"]'),
        lang: document.documentElement.lang,
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
    })""")


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  const style = getComputedStyle(el);
  const box = el.closest('label') ? getComputedStyle(el.closest('label')) : style;
  return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '',
          text: (el.innerText || el.value || '').trim().replace(/\\s+/g, ' '),
          label: label.trim().replace(/\\s+/g, ' '), href: el.getAttribute('href') || '',
          outline: Math.max(parseFloat(style.outlineWidth) || 0, parseFloat(box.outlineWidth) || 0),
          outlineStyle: style.outlineStyle !== 'none' ? style.outlineStyle : box.outlineStyle};
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def tab_to(page, matches: Callable[[dict], bool], *, limit: int = 80, back: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches; assert focus is visible."""
    key = "Shift+Tab" if back else "Tab"
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        element = focused(page)
        if element is None:
            continue
        seen.append(element["text"] or element["label"] or element["name"])
        if matches(element):
            assert element["outline"] >= 2 and element["outlineStyle"] != "none", (
                f"no visible focus on {element}")
            return element
    raise AssertionError(f"never reached the element; focus went through {seen}")


def named(text: str) -> Callable[[dict], bool]:
    """A link or button whose visible text is `text`, or a field labelled `text`."""
    return lambda element: text in (element["text"], element["label"])


def starts(text: str) -> Callable[[dict], bool]:
    return lambda element: element["text"].startswith(text) or element["label"].startswith(text)


def scrolls_sideways(page) -> bool:
    facts = page_facts(page)
    return facts["scrollWidth"] > facts["clientWidth"]


def shot(page, name: str) -> Path:
    """A full-page screenshot under tests/browser/artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


CANVASS = "/courses/quizzing/canvass"


def answer_canvass_quiz(page) -> None:
    """Fill the fixture quiz with right answers (by label), for tests that need a result."""
    page.get_by_label("Say your name and that you volunteer for the campaign").check()
    page.get_by_label("A voter's mobile number").check()
    page.get_by_label("A note that a voter supports the park").check()
    page.locator('input[name="q-photo-consent"][value="false"]').check()
    page.locator('input[name="q-door-app"]').fill("DoorLog")
    page.locator('input[name="q-pace"]').fill("20")
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_load_state()


def prepare_demo(browser, base: str) -> dict[str, str]:
    """Through the app: the manager sets a plan and makes an invite; a staffer passes a quiz.

    Returns the URLs the page walks need (campaign pages, a closed cycle, a quiz result).
    """
    urls: dict[str, str] = {}
    context = browser.new_context()
    page = context.new_page()
    log_in(page, base, "manager@demo.test")
    page.goto(base + "/campaigns/")
    page.get_by_role("link", name="Lopez for State House").click()
    urls["overview"] = page.url.removeprefix(base)
    page.goto(base + urls["overview"] + "/plan")
    for box in page.locator('input[type="checkbox"][value="staff"]').all():
        box.check()
    page.locator('input[name="rows-0-due_days_before"]').fill("400")
    page.get_by_role("button", name="Save the plan").click()
    page.goto(base + urls["overview"] + "/invites")
    page.get_by_role("button", name="Create link").click()
    page.goto(base + urls["overview"] + "/history")
    urls["closed_dashboard"] = page.get_by_role("link", name="2024").get_attribute("href")
    context.close()

    context = browser.new_context()
    page = context.new_page()
    log_in(page, base, "staff@demo.test")
    page.goto(base + CANVASS)
    answer_canvass_quiz(page)
    assert "/attempts/" in page.url, page.url
    urls["quiz_result"] = page.url.removeprefix(base)
    page.goto(base + "/courses/quizzing/practice")
    page.get_by_role("button", name="Mark as complete").click()
    page.goto(base + "/my")
    certificate = page.locator('a[href^="/certificates/"]')
    if certificate.count():  # the certificates feature, when present
        urls["certificate"] = certificate.first.get_attribute("href")
        page.goto(base + urls["certificate"])
        verify = page.locator('a[href*="/verify/"]')
        if verify.count():
            urls["verify"] = "/verify/" + verify.first.get_attribute("href").rsplit("/", 1)[1]
    context.close()
    return urls


def role_pages(urls: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """The main pages of each kind of person, as (name, path).

    Pages of features that may not exist yet (their routes answer 404) are named in OPTIONAL.
    """
    campaign = urls["overview"]
    pages = {
        "visitor": [("catalog", "/"), ("course", "/courses/basics/"),
                    ("module", "/courses/basics/welcome"), ("module-quiz", CANVASS),
                    ("login", "/login"), ("register", "/register"), ("not-found", "/no-such-page"),
                    ("search", "/search?q=canvass"), ("verify-form", "/verify"),
                    ("password-reset", "/reset")],
        "learner": [("catalog", "/"), ("course", "/courses/quizzing/"), ("module-quiz", CANVASS),
                    ("quiz-result", urls["quiz_result"]), ("my-training", "/my"),
                    ("campaigns", "/campaigns/"), ("campaign-overview", campaign),
                    ("campaign-plan", campaign + "/plan"), ("forbidden", campaign + "/invites"),
                    ("search", "/search?q=voter"), ("account", "/account")],
        "manager": [("my-training", "/my"), ("campaigns", "/campaigns/"),
                    ("campaign-new", "/campaigns/new"), ("campaign-overview", campaign),
                    ("campaign-plan", campaign + "/plan"),
                    ("campaign-dashboard", campaign + "/dashboard"),
                    ("campaign-members", campaign + "/members"),
                    ("campaign-invites", campaign + "/invites"),
                    ("campaign-history", campaign + "/history"),
                    ("campaign-closed-dashboard", urls["closed_dashboard"]),
                    ("campaign-rollover", campaign + "/rollover")],
        "trainer": [("catalog", "/"), ("trainer-course", "/courses/trainer-notes/"),
                    ("trainer-module", "/courses/trainer-notes/secret"),
                    ("campaigns", "/campaigns/"), ("campaign-overview", campaign),
                    ("campaign-dashboard", campaign + "/dashboard"),
                    ("campaign-history", campaign + "/history"), ("trainer-home", "/trainer/"),
                    ("trainer-campaigns", "/trainer/campaigns"),
                    ("trainer-questions", "/trainer/questions"),
                    ("trainer-health", "/trainer/health"), ("trainer-preview", "/trainer/preview"),
                    ("trainer-edit", "/trainer/courses/basics/modules/welcome/edit"),
                    ("trainer-new-module", "/trainer/courses/basics/new")],
        "admin": [("admin-home", "/admin/"), ("admin-people", "/admin/people"),
                  ("admin-person", "/admin/people/1"), ("account", "/account")],
    }
    if "certificate" in urls:
        pages["learner"].append(("certificate", urls["certificate"]))
    if "verify" in urls:
        pages["visitor"].append(("verify-code", urls["verify"]))
    return pages


OPTIONAL = {"search", "verify-form", "password-reset", "account", "trainer-home",
            "trainer-campaigns", "trainer-questions", "trainer-health", "trainer-preview",
            "trainer-edit", "trainer-new-module", "admin-home", "admin-people", "admin-person"}


ACCOUNTS = {"learner": "staff@demo.test", "manager": "manager@demo.test",
            "trainer": "trainer@demo.test", "admin": "admin@demo.test"}
