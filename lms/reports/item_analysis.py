"""Item analysis of one quiz question: plain functions over responses, no database, no Flask.

The rules, so a trainer (and a test) can compute every figure by hand:

* Each person counts once, by their **first attempt** at the quiz version; `total` is that
  attempt's score (percent of the quiz's points).
* **Share correct**: people whose answer was fully right / people who answered the quiz. A
  blank answer counts as wrong.
* **Upper and lower groups**: people ranked by total score, highest first (ties broken by
  person id, lowest first); each group is the top or bottom 27% of them, rounded half up, at
  least one person. With fewer than two people there are no groups.
* **Discrimination** is the upper-lower index D = (share correct in the upper group) - (share
  correct in the lower group), from -1 to 1. Around 0.3 or more, the question separates
  people who know the module from people who do not; near 0 or below, it does not.
* **Option shares**: the share of people who chose each option (several for pick-several
  questions), and the share of the upper group who chose it.
* **Flags**, once at least MIN_FOR_FLAGS people answered: too easy (share correct > 0.9), too
  hard (< 0.3), probably mis-keyed (a wrong option chosen by more of the upper group than any
  keyed option; for typed answers, a wrong answer typed by more of the upper group than got the
  question right).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

GROUP_SHARE = 0.27
TOO_EASY = 0.9
TOO_HARD = 0.3
MIN_FOR_FLAGS = 5
TOP_TYPED_ANSWERS = 5
FLAG_LABELS = {"mis-keyed": "Probably mis-keyed", "too-hard": "Too hard",
               "too-easy": "Too easy"}


@dataclass(frozen=True)
class Response:
    """One person's answer to one question, on their first attempt at the quiz version."""

    person: int
    total: float  # the attempt's score, percent
    correct: bool
    answer: tuple[str, ...]  # option indexes as strings, 'true'/'false', or the typed text


@dataclass(frozen=True)
class Choice:
    """A value a learner could give: an option, True or False, or a typed answer."""

    value: str
    label: str
    keyed: bool


@dataclass(frozen=True)
class OptionShare:
    value: str
    label: str
    keyed: bool
    share: float  # of everyone who answered
    upper_share: float | None  # of the upper group; None without groups
    upper_count: int


@dataclass(frozen=True)
class ItemStats:
    respondents: int
    share_correct: float | None
    discrimination: float | None
    options: tuple[OptionShare, ...]
    blank_share: float | None
    flags: tuple[str, ...]

    @property
    def flag_labels(self) -> tuple[str, ...]:
        return tuple(FLAG_LABELS[flag] for flag in self.flags)


def group_size(count: int) -> int:
    """27% of `count`, rounded half up, at least 1; 0 below two people."""
    return max(1, math.floor(GROUP_SHARE * count + 0.5)) if count >= 2 else 0


def groups(responses: Sequence[Response]) -> tuple[list[Response], list[Response]]:
    """(upper, lower): the top and bottom 27% by total score."""
    size = group_size(len(responses))
    if not size:
        return [], []
    ranked = sorted(responses, key=lambda r: (-r.total, r.person))
    return ranked[:size], ranked[-size:]


def share_correct(responses: Sequence[Response]) -> float | None:
    return sum(r.correct for r in responses) / len(responses) if responses else None


def discrimination(responses: Sequence[Response]) -> float | None:
    upper, lower = groups(responses)
    if not upper:
        return None
    return share_correct(upper) - share_correct(lower)  # type: ignore[operator]


def option_shares(responses: Sequence[Response], choices: Sequence[Choice]) -> list[OptionShare]:
    upper, _ = groups(responses)
    count = len(responses)
    shares = []
    for choice in choices:
        chosen = sum(choice.value in r.answer for r in responses)
        upper_count = sum(choice.value in r.answer for r in upper)
        shares.append(OptionShare(choice.value, choice.label, choice.keyed,
                                  chosen / count if count else 0.0,
                                  upper_count / len(upper) if upper else None, upper_count))
    return shares


def typed_choices(responses: Sequence[Response]) -> list[Choice]:
    """The most common typed answers, each marked keyed if it was graded right."""
    counts = Counter(r.answer[0] for r in responses if r.answer)
    right = {r.answer[0] for r in responses if r.answer and r.correct}
    return [Choice(value, value, value in right)
            for value, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            [:TOP_TYPED_ANSWERS]]


def mis_keyed(responses: Sequence[Response], options: Sequence[OptionShare],
              typed: bool) -> bool:
    """A wrong option (or typed answer) beats the keyed answer in the upper group."""
    upper, _ = groups(responses)
    if not upper:
        return False
    if typed:
        best_keyed = sum(r.correct for r in upper)
    else:
        keyed = [o.upper_count for o in options if o.keyed]
        if not keyed:
            return False
        best_keyed = max(keyed)
    return any(not o.keyed and o.upper_count > best_keyed for o in options)


def analyse(responses: Sequence[Response], choices: Sequence[Choice] | None) -> ItemStats:
    """Every figure for one question. `choices` None: a typed-answer question (the most
    common answers are listed instead of options)."""
    typed = choices is None
    values = typed_choices(responses) if typed else list(choices)  # type: ignore[arg-type]
    options = tuple(option_shares(responses, values))
    share = share_correct(responses)
    flags = []
    if len(responses) >= MIN_FOR_FLAGS and share is not None:
        if mis_keyed(responses, options, typed):
            flags.append("mis-keyed")
        if share < TOO_HARD:
            flags.append("too-hard")
        if share > TOO_EASY:
            flags.append("too-easy")
    blank = (sum(not r.answer for r in responses) / len(responses)) if responses else None
    return ItemStats(len(responses), share, discrimination(responses), options, blank,
                     tuple(flags))
