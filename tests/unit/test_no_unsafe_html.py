"""R02: course HTML is sanitised once, in lms/content/render.py; nothing else marks HTML safe."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The one filter use allowed: parts of a module and a course overview, rendered by render.py.
ALLOWED_SAFE = {
    "templates/learn/module.html": 1,
    "templates/learn/course.html": 1,
    "templates/learn/_quiz_block.html": None,  # quiz text rendered by render.py at load time
}
PATTERN = re.compile(r"\|\s*safe\b|Markup\(|render_template_string|autoescape\s+false")


def test_no_unsanitised_html_outside_the_allowlist():
    offenders = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("lms/**/*.py")]:
        relative = path.relative_to(ROOT).as_posix()
        count = len(PATTERN.findall(path.read_text()))
        allowed = ALLOWED_SAFE.get(relative, 0)
        if count and allowed is not None and count > allowed:
            offenders.append(f"{relative}: {count}")
    assert offenders == []
