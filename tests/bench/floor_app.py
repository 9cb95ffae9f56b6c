"""The floor: a bare Flask view returning a fixed HTML string as large as the measured module
page (FLOOR_BYTES, set by run.py). Served by gunicorn with the same settings as the app, it is
the fastest any page could be on this machine in this run; every page is measured against it.

    FLOOR_BYTES=30000 .venv/bin/gunicorn -w 2 --preload --pythonpath tests/bench floor_app:app
"""

from __future__ import annotations

import os

from flask import Flask

SIZE = int(os.environ.get("FLOOR_BYTES", "20000"))
_HEAD = "<!doctype html><html lang=\"en\"><head><title>Floor</title></head><body><main><p>"
_TAIL = "</p></main></body></html>"
PAGE = _HEAD + "x" * max(SIZE - len(_HEAD) - len(_TAIL), 0) + _TAIL

app = Flask(__name__)


@app.get("/")
def page() -> str:
    return PAGE
