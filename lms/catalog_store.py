"""The process's catalog: loaded once, and re-loaded when course files change if asked to.

With COURSES_RELOAD_SECONDS > 0 (the default is 2 s, because trainers edit modules in the
browser), the courses folder is re-stat'ed at most that often and the catalog rebuilt when any
file's size or modification time changed, so every app process, on every machine sharing the
folder, sees a trainer's edit within a few seconds without a restart. The process that saved
the file calls `refresh()` and sees it at once. 0 loads the catalog once (only for deployments
where nobody edits the courses while the app runs).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from flask import Flask, current_app

from lms.content.cache import RenderCache
from lms.content.catalog import Catalog
from lms.content.loader import load_catalog

log = logging.getLogger("lms.content")


def _fingerprint(root: Path) -> tuple:
    entries = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            try:
                stat = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            entries.append((folder, name, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(entries))


class CatalogStore:
    def __init__(self, courses_dir: str, reload_seconds: float,
                 cache: RenderCache | None = None) -> None:
        self.root = Path(courses_dir)
        self.reload_seconds = reload_seconds
        self.cache = cache
        self._lock = threading.Lock()
        self._checked_at = time.monotonic()
        self._fingerprint = _fingerprint(self.root) if reload_seconds > 0 else ()
        self.catalog = self._load()

    def _load(self) -> Catalog:
        catalog = load_catalog(self.root, self.cache)
        for diagnostic in catalog.errors:
            log.error("course problem: %s", diagnostic)
        return catalog

    def refresh(self) -> Catalog:
        """Re-read the courses folder now (after this process saved a course file)."""
        with self._lock:
            self._fingerprint = _fingerprint(self.root) if self.reload_seconds > 0 else ()
            self.catalog = self._load()
            self._checked_at = time.monotonic()
        return self.catalog

    def get(self) -> Catalog:
        if self.reload_seconds <= 0 or time.monotonic() - self._checked_at < self.reload_seconds:
            return self.catalog
        with self._lock:
            if time.monotonic() - self._checked_at >= self.reload_seconds:
                fingerprint = _fingerprint(self.root)
                if fingerprint != self._fingerprint:
                    self._fingerprint = fingerprint
                    self.catalog = self._load()
                self._checked_at = time.monotonic()
        return self.catalog


def init_app(app: Flask) -> None:
    reload_seconds = app.config["COURSES_RELOAD_SECONDS"] or (1.0 if app.debug else 0.0)
    cache_dir = app.config["RENDER_CACHE_DIR"] or str(Path(app.instance_path) / "cache")
    cache = RenderCache(cache_dir) if cache_dir != "off" else None
    app.extensions["lms.catalog"] = CatalogStore(app.config["COURSES_DIR"], reload_seconds, cache)


def current_catalog() -> Catalog:
    return current_app.extensions["lms.catalog"].get()
