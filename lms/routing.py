"""URL converters, and the URL matching the front (lms/front.py) does without a request context.

Ids are bounded, so a 23-digit number is a 404, not an integer overflow.
"""

from __future__ import annotations

from functools import lru_cache

from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

# What Werkzeug's URL matching reads of a WSGI environ (Map.bind_to_environ, MapAdapter.match).
MATCHED_ON = ("wsgi.url_scheme", "REQUEST_METHOD", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT",
              "SCRIPT_NAME", "PATH_INFO", "HTTP_CONNECTION", "HTTP_UPGRADE")


class IdConverter(BaseConverter):
    regex = r"[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))


def match(app: Flask, environ) -> tuple[str, dict] | None:
    """(endpoint, view arguments) the app's URL map gives this request, or None where it gives
    no view (not found, a method not allowed, a redirect to add a trailing slash).

    Werkzeug's own answer (app.create_url_adapter(...).match()), remembered for the last 1,024
    URLs: matching cost 10-30 µs a request (32 µs for a quiz submission's path). The rules do not
    change once the app serves, and the answer depends on nothing but MATCHED_ON."""
    matched = _matcher(app)(tuple(environ.get(name) for name in MATCHED_ON))
    return matched and (matched[0], dict(matched[1]))


def _matcher(app: Flask):
    matcher = app.extensions.get("lms.match")
    if matcher is None:
        @lru_cache(maxsize=1024)
        def matcher(key: tuple) -> tuple[str, dict] | None:
            environ = dict(zip(MATCHED_ON, key, strict=True))
            request = app.request_class({k: v for k, v in environ.items() if v is not None})
            try:
                return app.create_url_adapter(request).match()
            except HTTPException:
                return None

        app.extensions["lms.match"] = matcher
    return matcher
