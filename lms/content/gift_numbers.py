"""GIFT's numerical answers in our number syntax: Moodle reads any PHP-numeric string
("1e3", " .5", "+2"); our quiz syntax wants plain dot decimals. Used by gift_parse.py."""

from __future__ import annotations

import re
from decimal import Decimal

_NUMBER = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*")


def numspec(s: str) -> str | None:
    """'5' / '5 +- 1' / '1..5' for an answer, '*' for a catch-all, '!why' if inverted."""
    if s == "*":
        return s
    dots = s.find("..")
    if dots > 0:
        low, high = php_number(s[:dots]), php_number(s[dots + 2:])
        if low is None or high is None:
            return None
        if float(low) > float(high):
            return (f"!is a reversed range, which Moodle keeps silently as a negative "
                    f"tolerance; write {high}..{low}")
        return f"{low}..{high}"
    value, colon, tol = s.partition(":")
    v, tv = php_number(value), (php_number(tol) if colon and s.find(":") > 0 else "0")
    if v is None or tv is None:
        return None
    if float(tv) < 0:
        return f"!has a negative tolerance, which Moodle keeps silently; write {v}:{tv[1:]}"
    return v if float(tv) == 0 else f"{v} +- {tv}"


def php_number(s: str) -> str | None:
    """A PHP-numeric string in our number syntax (no exponent, dot decimals)."""
    if not _NUMBER.fullmatch(s):
        return None
    s = s.strip()
    if re.fullmatch(r"[+-]?(\d+(\.\d+)?|\.\d+)", s):
        return s
    out = format(Decimal(s), "f")
    return out.rstrip("0").rstrip(".") if "." in out else out
