"""Generated course content for the benchmarks: Markdown modules of about 1,500 words, each with
a graded quiz, written as ordinary course folders beside a copy of the shipped courses.

Deterministic (seeded), so two runs load the same catalog. The modules use what trainers use:
h2/h3 sections, paragraphs with emphasis and links, bullet and numbered lists, a table, an
admonition and a quiz block with every common question type.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "courses"
MODULES_PER_COURSE = 20
WORDS = (  # noqa: SIM905 - a word list reads better as prose
    "campaign volunteer voter district turnout budget message digital audience canvass field "
    "data list universe persuasion mobilise contact script donor finance compliance report "
    "weekly target score model vendor consultant contract proposal scope timeline deadline "
    "election ballot registration early absentee precinct county state office candidate "
    "manager staff training record spreadsheet plan goal measure result test creative video "
    "search social email text phone door mail event press local community trust clear short "
    "careful honest useful practical simple better every small team week month day hour"
).split()

# The quiz every generated module carries: (question lines, form answer) pairs. The answers are
# what a learner who gets everything right sends; tests/bench/run.py posts them.
QUIZ_ANSWERS = {"first-step": ["1"], "sources": ["0", "2"], "public-record": ["false"],
                "count": ["1200"]}


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return chosen[0].capitalize() + " " + " ".join(chosen[1:]) + "."


def _paragraph(rng: random.Random, sentences: int = 5) -> str:
    text = " ".join(_sentence(rng, rng.randint(9, 16)) for _ in range(sentences))
    words = text.split(" ")
    words[3] = f"**{words[3]}**"
    words[9] = f"*{words[9]}*"
    return " ".join(words)


def _quiz(course: str, number: int) -> str:
    return f"""```quiz
id: {course}-m{number:02d}
title: Check your understanding
pass: 75%

Q: A new volunteer asks where to start on their first day. What do you tell them?
id: first-step
( ) Start calling voters from any list they can find.
  > Not yet: the list decides who they reach.
(x) Read the weekly plan and ask the manager which list is theirs.
  > Yes. The plan says who to contact and why.
( ) Wait until the election is closer.
  > Every week counts.
explain: Start from the plan, then the list.

Q: Which of these come from the campaign's own records? Select all that apply.
id: sources
[x] Contact history from canvassing
[ ] The date a person registered to vote
[x] Notes from phone calls
scoring: partial

Q: Everything on a voter record is part of the public record.
id: public-record
answer: false
explain: Scores and contact notes are added by the campaign or vendors.

Q: A list has 1,500 records and 300 have no phone. How many can be called?
id: count
number: 1200
```
"""  # noqa: S608 - Markdown, not SQL


def module_text(course: str, number: int, rng: random.Random) -> str:
    """One module of about 1,500 words (front matter, six sections, a table, a quiz)."""
    parts = [
        "---",
        f'title: "Generated module {number} of {course}"',
        f"minutes: {rng.randint(8, 15)}",
        "version: 1",
        "objectives:",
        "  - Explain the main idea of this module to a new volunteer",
        "  - Apply it to your own campaign's weekly plan",
        "---",
        "",
        _paragraph(rng, 4),
        "",
    ]
    for section in range(1, 7):
        parts += [f"## Section {section}: {_sentence(rng, 4)[:-1]}", "", _paragraph(rng, 7), ""]
        if section % 2:
            parts += [f"- {_sentence(rng, 8)}" for _ in range(4)] + [""]
        else:
            parts += [f"{n}. {_sentence(rng, 9)}" for n in range(1, 5)] + [""]
        parts += [f"### Example {section}", "", _paragraph(rng, 6), ""]
        if section == 3:
            parts += ["| Channel | Cost | Reach |", "| --- | --- | --- |"]
            parts += [f"| {rng.choice(WORDS)} | ${rng.randint(1, 900)} | {rng.randint(1, 99)}% |"
                      for _ in range(5)] + [""]
        if section == 4:
            parts += ['!!! tip "Remember"', f"    {_sentence(rng, 12)}", ""]
        if section == 5:
            parts += [f"See [the first module](01-topic-1.md) and "
                      f"[the party's guide](https://example.org/guide/{number}).", ""]
    parts.append(_quiz(course, number))
    return "\n".join(parts)


def course_text(course: str, index: int) -> str:
    return (f'---\ntitle: "Generated course {index}"\nsummary: "A generated course for the '
            f'benchmarks."\naudience: [staff]\norder: {50 + index}\n---\n\n'
            f"{course} holds generated modules of about 1,500 words each.\n")


def write_generated(target: Path, modules: int, seed: int = 7) -> list[str]:
    """Write `modules` generated modules into course folders bench-NN under `target`; return
    the course keys in order."""
    rng = random.Random(seed)  # noqa: S311 - sample text, not security
    keys = []
    for index, start in enumerate(range(0, modules, MODULES_PER_COURSE), start=1):
        key = f"bench-{index:02d}"
        folder = target / key
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "course.md").write_text(course_text(key, index), encoding="utf-8")
        for number in range(1, min(MODULES_PER_COURSE, modules - start) + 1):
            (folder / f"{number:02d}-topic-{number}.md").write_text(
                module_text(key, number, rng), encoding="utf-8")
        keys.append(key)
    return keys


def shipped_module_count() -> int:
    return sum(1 for path in SHIPPED.glob("*/[0-9]*-*.md"))


def build_courses(target: Path, total_modules: int = 200, *, shipped: bool = True) -> list[str]:
    """A courses folder: a copy of the shipped courses (if asked) plus generated modules up to
    `total_modules`. Returns the generated course keys."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    base = 0
    if shipped:
        shutil.copytree(SHIPPED, target, dirs_exist_ok=True)
        base = shipped_module_count()
    return write_generated(target, max(total_modules - base, 0))


if __name__ == "__main__":
    import sys
    import tempfile

    out = Path(sys.argv[1] if len(sys.argv) > 1
               else Path(tempfile.gettempdir()) / "evergreen-bench-courses")
    print(build_courses(out), "->", out)
