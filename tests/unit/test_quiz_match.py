"""Short-text normalisation and the loose reading of learner-typed numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lms.content.quiz_match import normalise_text, read_learner_number


@pytest.mark.parametrize(("text", "expected"), [
    ("DoorLog", "doorlog"),
    ("  Door \t  Log  ", "door log"),
    ("Door\u00a0Log", "door log"),
    ("Straße", "strasse"),
    ("Cafe\u0301", "café"),
    ("CAFÉ", "café"),
    ("it’s", "it's"),
    ("“quoted”", '"quoted"'),
    ("2–3 — 4", "2-3 - 4"),
    ("Done.", "done"),
    ("Done!", "done"),
    ("Done?", "done"),
    ("Done..", "done."),
    ("Done ?", "done"),
    ("zero\u200bwidth", "zerowidth"),
    ("", ""),
    (".", ""),
])
def test_normalise_text(text: str, expected: str) -> None:
    assert normalise_text(text) == expected


def test_normalise_text_case_sensitive() -> None:
    assert normalise_text("  Door  Log. ", case_sensitive=True) == "Door Log"
    assert normalise_text("Straße", case_sensitive=True) == "Straße"


@pytest.mark.parametrize(("typed", "expected"), [
    ("20", "20"), (" 20 ", "20"), ("+20", "20"), ("-20", "-20"), ("−20", "-20"), ("- 5", "-5"),
    ("2,5", "2.5"), ("0,125", "0.125"), ("12,50", "12.5"), ("1,2345", "1.2345"),
    ("1,000", "1000"), ("12,345,678", "12345678"), ("1 000", "1000"), ("1\u00a0000", "1000"),
    ("1\u202f000", "1000"), ("1'000", "1000"), ("1,000.5", "1000.5"), ("1.000,5", "1000.5"),
    ("1.000.000", "1000000"), ("1.000", "1"), (".5", "0.5"), (",5", "0.5"), ("20.", "20"),
    ("20 doors", "20"), ("20doors", "20"), ("20/hour", "20"), ("10%", "10"), ("10 %", "10"),
    ("$20", "20"), ("-£5", "-5"), ("€ 1 000,50", "1000.5"), ("١٢", "12"), ("１２", "12"),
])
def test_read_learner_number(typed: str, expected: str) -> None:
    assert read_learner_number(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", ["", "   ", "abc", "twenty", "20-30", "20 to 25", "1e3",
                                   "1,00,000", "1.5.5", "20 30", "inf", "nan", "--5", "%",
                                   "1 0000", "1,0000,000"])
def test_unreadable_learner_numbers(typed: str) -> None:
    assert read_learner_number(typed) is None
