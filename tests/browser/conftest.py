"""A real server process and Debian's Chromium driven by Playwright.

Without Chromium the browser tests skip, saying why; in CI (CI=true) a missing browser fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("LMS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).parent / "artifacts"
FIXTURE_COURSES = Path(__file__).parents[1] / "fixtures" / "courses"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(tmp_path: Path, courses: Path, extra_env: dict | None = None):
    port = free_port()
    env = {**os.environ, "LMS_INSTANCE_PATH": str(tmp_path / "instance"),
           "LMS_COURSES_DIR": str(courses), **(extra_env or {})}
    log = open(tmp_path / f"server-{port}.log", "w")  # noqa: SIM115 - closed by the fixture
    process = subprocess.Popen([sys.executable, "-m", "lms.cli", "run", "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.close()
            raise RuntimeError((tmp_path / f"server-{port}.log").read_text())
        try:
            urllib.request.urlopen(url + "/", timeout=1).close()  # noqa: S310 - our own server
            return process, url, log
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start within 60 s")


@pytest.fixture
def live_server(tmp_path: Path):
    courses = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES, courses)
    process, url, log = start_server(tmp_path, courses)
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}; CI must install it (.ci/run does)")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="session")
def demo(tmp_path_factory, browser):
    """One `lms demo` server for the page walks (accessibility, phone width), prepared through
    the app: (base URL, the URLs the walks need). The walks only read."""
    from tests.browser.helpers import demo_server, prepare_demo

    for url in demo_server(tmp_path_factory.mktemp("demo")):
        yield url, prepare_demo(browser, url)
