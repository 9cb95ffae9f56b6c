"""The parsed catalog as plain data (JSON-ready), for `lms courses show --json` and other tools."""

from __future__ import annotations

from typing import Any

from lms.content.catalog import Catalog


def catalog_to_dict(catalog: Catalog) -> dict[str, Any]:
    return {
        "courses": [
            {
                "key": course.key,
                "path": course.path,
                "title": course.title,
                "summary": course.summary,
                "audience": list(course.audience),
                "order": course.order,
                "visibility": course.visibility,
                "minutes": course.minutes,
                "modules": [
                    {
                        "key": module.key,
                        "path": module.path,
                        "title": module.title,
                        "minutes": module.minutes,
                        "version": module.version,
                        "objectives": list(module.objectives),
                        "audience": list(module.audience),
                        "quizzes": [quiz.to_dict() for quiz in module.quizzes],
                    }
                    for module in course.modules
                ],
            }
            for course in catalog.courses
        ],
        "diagnostics": [str(d) for d in catalog.diagnostics],
    }
