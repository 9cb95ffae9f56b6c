"""A finished course gives a certificate that prints on one A4 and on one Letter sheet, and
whose printed verification link says it is genuine."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ARTIFACTS, screenshot

pytestmark = pytest.mark.browser


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_the_certificate_prints_on_one_sheet_and_verifies(live_server, page):
    page.goto(live_server + "/register")
    page.get_by_label("Your name").fill("Wilhelmina Alexandra Montgomery-Okonkwo")
    page.get_by_label("Email").fill("wil@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough passphrase")
    page.get_by_label("Repeat the password").fill("a long enough passphrase")
    page.get_by_role("button", name="Create account").click()
    for module in ("welcome", "reading-lists", "wrap-up"):
        page.goto(f"{live_server}/courses/basics/{module}")
        page.get_by_role("button", name="Mark as complete").click()
    page.get_by_role("link", name="View and print your certificate").click()
    assert page.get_by_role("heading", name="Certificate of completion").is_visible()
    screenshot(page, "certificate")

    for size in ("A4", "Letter"):
        pdf = page.pdf(format=size, print_background=True)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"certificate-{size}.pdf").write_bytes(pdf)
        assert pdf_pages(pdf) == 1, size

    code = page.locator(".certificate__code").inner_text()
    page.goto(f"{live_server}/verify")
    page.get_by_label("Verification code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Check the code").click()
    assert page.get_by_role("heading", name="Genuine certificate").is_visible()
    assert "Wilhelmina Alexandra Montgomery-Okonkwo" in page.content()
