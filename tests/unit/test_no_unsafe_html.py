"""R02: course HTML is sanitised once, in lms/content/render.py; nothing else marks HTML safe."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The one filter use allowed: parts of a module and a course overview, rendered by render.py.
# Each value is how many times the file may mark HTML safe; all of it was rendered and
# sanitised by lms/content/render.py when the catalog loaded.
ALLOWED_SAFE = {
    "templates/learn/_module_parts.html": 1,  # module parts (module page, trainer preview)
    "templates/learn/course.html": 1,  # course overview
    "templates/learn/_quiz_block.html": 2,  # question stem, option text
    "templates/learn/_hints.html": 1,  # hint text
    "templates/learn/quiz_result.html": 5,  # stem, feedback, outcome, explanation
    # The dashboard grid: an autoescaped template's own output, kept to be served again.
    "lms/reports/dashboard.py": 1,
}
PATTERN = re.compile(r"\|\s*safe\b|Markup\(|render_template_string|autoescape\s+false")


def test_no_unsanitised_html_outside_the_allowlist():
    offenders = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("lms/**/*.py")]:
        relative = path.relative_to(ROOT).as_posix()
        count = len(PATTERN.findall(path.read_text()))
        if count > ALLOWED_SAFE.get(relative, 0):
            offenders.append(f"{relative}: {count}")
    assert offenders == []
