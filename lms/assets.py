"""Fingerprinted static files: `static_url()` names a file by its content, so it can be cached
for a year.

Templates call `static_url('css/app.css')`, which gives `/static/css/app.css?v=<content hash>`.
A request that names the current version gets `Cache-Control: public, max-age=<a year>,
immutable`; any other static request (no version, or an old one) is revalidated every time. A
changed file gets a new hash, so browsers fetch it at once.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from flask import Flask, Response, current_app, request, url_for
from werkzeug.security import safe_join

YEAR = 365 * 24 * 60 * 60
LONG_CACHE = f"public, max-age={YEAR}, immutable"


class Fingerprints:
    """Content hashes of static files, recomputed when a file's size or mtime changes (looked
    at no more than once every RECHECK_SECONDS per file: a page names several files)."""

    RECHECK_SECONDS = 2.0

    def __init__(self) -> None:
        # path -> (checked at, (mtime, size), digest)
        self._seen: dict[str, tuple[float, tuple[int, int], str]] = {}

    def version(self, folder: str, filename: str) -> str | None:
        """The first 12 hex digits of the file's SHA-256, or None if there is no such file."""
        path = safe_join(folder, filename)
        if path is None:
            return None
        known = self._seen.get(path)
        now = time.monotonic()
        if known is not None and now - known[0] < self.RECHECK_SECONDS:
            return known[2]
        try:
            stat = Path(path).stat()
        except OSError:
            self._seen.pop(path, None)
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        digest = known[2] if known is not None and known[1] == stamp else \
            hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
        self._seen[path] = (now, stamp, digest)
        return digest


fingerprints = Fingerprints()


def static_url(filename: str) -> str:
    """The URL of a static file with its content hash, e.g. /static/css/app.css?v=3f2a..."""
    version = fingerprints.version(current_app.static_folder or "", filename)
    if version is None:
        return url_for("static", filename=filename)
    return url_for("static", filename=filename, v=version)


def cache_static(response: Response) -> Response:
    """A year for the current version of a static file; revalidate anything else."""
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    wanted = request.args.get("v")
    current = fingerprints.version(current_app.static_folder or "", filename)
    if wanted and wanted == current:
        response.headers["Cache-Control"] = LONG_CACHE
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    app.add_template_global(static_url)
    # after_request hooks run last-registered first: put this one first in the list so it runs
    # after every other hook (the no-store that authenticated pages get must not reach shared
    # static files).
    app.after_request_funcs.setdefault(None, []).insert(0, cache_static)
