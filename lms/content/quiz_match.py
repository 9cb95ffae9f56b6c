"""Matching learner input against a quiz key: short-text normalisation and loose number reading.

Short text (QUIZ_FORMAT.md, "Scoring and matching rules"): Unicode NFC; curly quotes,
apostrophes and dashes mapped to ASCII; zero-width spaces, word joiners and BOMs removed
(pasted from word processors; ZWJ/ZWNJ are kept because scripts and emoji need them); trim;
collapse runs of whitespace (any Unicode whitespace, NBSP included) to one space; case folded
with ``str.casefold`` (so ``ß`` matches ``ss``) unless ``case: sensitive``; one trailing ``.``,
``!`` or ``?`` ignored.

Learner numbers are read more loosely than the key. The exact rule, in order:

1. NFKC (full-width digits, NBSP and thin spaces become ASCII), other decimal digits (e.g.
   Arabic-Indic) become ASCII digits, and Unicode minus signs and dashes become ``-``.
2. Surrounding whitespace is ignored. An optional ``+``/``-`` sign, then an optional currency
   symbol (``$20``, ``-£5``).
3. The number: digits with ``.``, ``,``, space or ``'`` between them. Trailing separators are
   dropped (``20.`` is 20); a leading ``.``/``,`` is allowed (``.5``).
4. Whatever follows the number is ignored if it holds no digit: ``%`` (``10%`` reads as 10,
   not 0.1) and units (``20 doors``, ``20/hour``). A tail with a digit (``20-30``, ``1e3``,
   ``20 to 25``) makes the input unreadable.
5. Separators: spaces and ``'`` always group digits. If both ``.`` and ``,`` appear, the last
   one is the decimal point and the other groups digits. A lone ``,`` is a decimal comma
   (``2,5`` = 2.5, ``0,125`` = 0.125) unless it looks like thousands grouping (1 to 3 digits
   not starting with 0, a comma, exactly 3 digits: ``1,000`` = 1000). A lone ``.`` is a
   decimal point (``1.000`` = 1). Several ``,`` or several ``.`` are grouping. Grouped digits
   must be in groups of three after the first group (``1,00,000`` is unreadable).

Unreadable input is not a ``ResponseError``: the grader marks it wrong.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_TEXT_MAP = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-",
    "\u200b": None, "\u2060": None, "\ufeff": None,
})


def normalise_text(text: str, case_sensitive: bool = False) -> str:
    """The short-text normal form that both the key and the learner's answer are compared in."""
    value = unicodedata.normalize("NFC", text).translate(_TEXT_MAP)
    value = " ".join(value.split())
    if not case_sensitive:
        value = unicodedata.normalize("NFC", value.casefold())
    if value and value[-1] in ".!?":
        value = value[:-1].rstrip()
    return value


_DASHES = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                         "\u2010": "-", "\u2011": "-", "\ufe63": "-", "\uff0d": "-"})
_BODY = re.compile(r"[.,]?[0-9][0-9.,' ]*")
_SEPARATORS = ".,' "


def _ascii_digits(text: str) -> str:
    out = []
    for char in text:
        digit = unicodedata.decimal(char, None) if not char.isascii() else None
        out.append(str(digit) if digit is not None else char)
    return "".join(out)


def _grouped(integer: str, groupers: str) -> str | None:
    """Digits of ``integer`` if its grouping separators are well placed, else None."""
    if not any(sep in integer for sep in groupers):
        return integer if integer.isdigit() or integer == "" else None
    groups = re.split("[" + re.escape(groupers) + "]", integer)
    first, rest = groups[0], groups[1:]
    if not (first.isdigit() and 1 <= len(first) <= 3):
        return None
    if not all(len(group) == 3 and group.isdigit() for group in rest):
        return None
    return "".join(groups)


def _decimal_point(body: str) -> str | None:
    """Which character is the decimal point in ``body``, or None if there is none."""
    has_dot, has_comma = "." in body, "," in body
    if has_dot and has_comma:
        return "." if body.rfind(".") > body.rfind(",") else ","
    if has_comma:
        if body.count(",") > 1 or re.fullmatch(r"[1-9][0-9]{0,2},[0-9]{3}", body):
            return None
        return ","
    if has_dot:
        return "." if body.count(".") == 1 else None
    return None


def _body_value(body: str) -> Decimal | None:
    point = _decimal_point(body.replace(" ", "").replace("'", ""))
    if point is None:
        integer, fraction = body, ""
    else:
        if body.count(point) != 1:
            return None
        integer, fraction = body.split(point)
        if not fraction.isdigit():
            return None
    groupers = "".join(sep for sep in _SEPARATORS if sep != point)
    digits = _grouped(integer, groupers)
    if digits is None or (digits == "" and fraction == ""):
        return None
    try:
        return Decimal(f"{digits or '0'}.{fraction or '0'}")
    except InvalidOperation:
        return None


def read_learner_number(raw: str) -> Decimal | None:
    """Read a learner's typed number by the rule in the module docstring; None if unreadable."""
    text = _ascii_digits(unicodedata.normalize("NFKC", raw)).translate(_DASHES).strip()
    sign = ""
    if text[:1] in ("+", "-"):
        sign, text = text[0], text[1:].lstrip()
    if text[:1] and unicodedata.category(text[0]) == "Sc":
        text = text[1:].lstrip()
        if not sign and text[:1] in ("+", "-"):
            sign, text = text[0], text[1:].lstrip()
    match = _BODY.match(text)
    if match is None:
        return None
    body = match.group().rstrip(_SEPARATORS)
    tail = text[len(body):]
    if any(char.isdigit() for char in tail):
        return None
    value = _body_value(body)
    if value is None:
        return None
    return -value if sign == "-" else value
