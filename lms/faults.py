"""A test-only fault hook: kill the process at a named point, to prove crashes lose nothing.

Set LMS_FAULT_INJECTION=<point> (never honoured in production). The process exits at once,
without cleanup, as a crash or a kill -9 would.
"""

from __future__ import annotations

import os

from flask import current_app


def fault_point(name: str) -> None:
    config = current_app.config
    if config.get("FAULT_INJECTION") == name and config.get("ENV") != "production":
        os._exit(70)
