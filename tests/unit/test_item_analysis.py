"""Item analysis: every figure checked against values worked out by hand.

Ten people with totals 100, 90, ..., 10 (person 1 highest). Groups are 27% of 10 = 2.7, rounded
half up: 3 people. Upper = persons 1-3, lower = persons 8-10.
"""

from __future__ import annotations

import pytest

from lms.reports.content_health import median_of_histogram
from lms.reports.item_analysis import (
    Choice,
    Response,
    analyse,
    discrimination,
    group_size,
    groups,
    mis_keyed,
    option_shares,
)

OPTIONS = [Choice("0", "A", False), Choice("1", "B", True), Choice("2", "C", False)]


def people(answers: list[str], key: str) -> list[Response]:
    """Person n (1-10) with total 110 - 10n answering answers[n - 1]; '' is a blank."""
    return [Response(n, 110 - 10 * n, a == key, (a,) if a else ())
            for n, a in enumerate(answers, start=1)]


def test_group_size_is_27_percent_rounded_half_up():
    assert [group_size(n) for n in (0, 1, 2, 3, 5, 10, 50, 100)] == [0, 0, 1, 1, 1, 3, 14, 27]


def test_groups_rank_by_total_then_person():
    responses = [Response(4, 50, True, ()), Response(2, 90, True, ()), Response(3, 50, False, ()),
                 Response(1, 10, False, ()), Response(5, 70, True, ())]
    upper, lower = groups(responses)  # 5 people: groups of 1
    assert [r.person for r in upper] == [2] and [r.person for r in lower] == [1]
    tied = [Response(9, 60, True, ()), Response(3, 60, True, ()), Response(5, 60, False, ()),
            Response(7, 60, False, ())]
    upper, lower = groups(tied)  # 4 people: 1.08 -> 1; ties broken by person id
    assert [r.person for r in upper] == [3] and [r.person for r in lower] == [9]


def test_a_good_question_by_hand():
    # Right: 1, 2, 3, 4, 6, 10 -> 6/10. Upper (1-3) all right; lower (8, 9, 10): one right.
    responses = people(["1", "1", "1", "1", "0", "1", "2", "0", "2", "1"], key="1")
    stats = analyse(responses, OPTIONS)
    assert stats.respondents == 10
    assert stats.share_correct == pytest.approx(0.6)
    assert stats.discrimination == pytest.approx(1 - 1 / 3)
    shares = {o.label: (o.share, o.upper_share) for o in stats.options}
    assert shares == {"A": (pytest.approx(0.2), 0.0), "B": (pytest.approx(0.6), 1.0),
                      "C": (pytest.approx(0.2), 0.0)}
    assert stats.flags == ()


def test_a_mis_keyed_question_by_hand():
    # Keyed A ("0"), but the upper group all chose C ("2").
    options = [Choice("0", "A", True), Choice("1", "B", False), Choice("2", "C", False)]
    responses = people(["2", "2", "2", "0", "2", "0", "0", "0", "1", "0"], key="0")
    stats = analyse(responses, options)
    assert stats.share_correct == pytest.approx(0.5)
    assert stats.discrimination == pytest.approx(0 - 2 / 3)  # lower: 8 and 10 right, 9 wrong
    assert [o.share for o in stats.options] == pytest.approx([0.5, 0.1, 0.4])
    assert [o.upper_count for o in stats.options] == [0, 0, 3]
    assert stats.flags == ("mis-keyed",)
    assert stats.flag_labels == ("Probably mis-keyed",)


def test_too_easy_and_too_hard():
    easy = analyse(people(["1"] * 10, key="1"), OPTIONS)
    assert easy.share_correct == 1.0 and easy.discrimination == 0 and easy.flags == ("too-easy",)
    ninety = analyse(people(["1"] * 9 + ["0"], key="1"), OPTIONS)
    assert ninety.share_correct == pytest.approx(0.9) and ninety.flags == ()  # > 0.9 only
    hard = analyse(people(["1", "1"] + ["0"] * 8, key="1"), OPTIONS)
    assert hard.share_correct == pytest.approx(0.2)
    assert hard.discrimination == pytest.approx(2 / 3)
    assert hard.flags == ("too-hard",)


def test_no_flags_below_five_people():
    stats = analyse(people(["2", "2", "2", "2"], key="0"), OPTIONS)
    assert stats.share_correct == 0 and stats.flags == ()


def test_blank_answers_count_as_wrong():
    stats = analyse(people(["1", "", "1", ""], key="1"), OPTIONS)
    assert stats.share_correct == 0.5 and stats.blank_share == 0.5


def test_pick_several_is_mis_keyed_only_when_a_wrong_option_beats_every_keyed_one():
    options = [Choice("0", "A", True), Choice("1", "B", True), Choice("2", "C", False)]
    upper = [Response(n, 100 - n, False, ("1", "2")) for n in range(1, 4)]
    rest = [Response(n, 50 - n, False, ("0",)) for n in range(4, 11)]
    shares = option_shares(upper + rest, options)
    assert [o.upper_count for o in shares] == [0, 3, 3]
    assert not mis_keyed(upper + rest, shares, typed=False)  # C ties with keyed B
    upper = [Response(n, 100 - n, False, ("2",)) for n in range(1, 4)]
    assert mis_keyed(upper + rest, option_shares(upper + rest, options), typed=False)


def test_typed_answers_list_the_most_common_and_spot_a_missing_accepted_answer():
    # The top three typed "Door Log", which the key does not accept; others typed "DoorLog".
    responses = ([Response(n, 100 - n, False, ("Door Log",)) for n in range(1, 4)]
                 + [Response(n, 50 - n, True, ("DoorLog",)) for n in range(4, 8)]
                 + [Response(n, 10 - n, False, ("PhoneLog",)) for n in range(8, 11)])
    stats = analyse(responses, None)
    assert [(o.label, o.keyed) for o in stats.options] == [
        ("DoorLog", True), ("Door Log", False), ("PhoneLog", False)]
    assert stats.discrimination == pytest.approx(0 - 0)
    assert stats.flags == ("mis-keyed",)


def test_no_groups_for_one_person():
    responses = [Response(1, 100, True, ("1",))]
    assert discrimination(responses) is None
    stats = analyse(responses, OPTIONS)
    assert stats.options[1].upper_share is None and stats.flags == ()


def test_median_of_a_histogram():
    assert median_of_histogram({}) is None
    assert median_of_histogram({1: 3}) == 1
    assert median_of_histogram({1: 2, 3: 2}) == 2  # 1 1 3 3
    assert median_of_histogram({1: 1, 2: 1, 5: 1}) == 2
    assert median_of_histogram({1: 5, 4: 1}) == 1  # 1 1 1 1 1 4
