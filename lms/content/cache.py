"""A disk cache of loaded modules, keyed by a hash of everything their rendering depends on.

Loading a module (front matter, quiz blocks, Markdown, sanitising) costs about as much as
Python-Markdown's own rendering of the file; reading it back from here costs a small fraction.
What a module loads to depends only on its text, its place (course, file name, position, the
path shown in messages), the files of its course folder (relative links resolve against them)
and the content engine itself (its source and the versions of the libraries that render).
The key is a SHA-256 of all of these, so an edit, a file added beside the module or an upgrade
makes a new key and an old entry is simply never read again: nothing needs invalidating.

The cache lives in a folder the operator owns (by default `<instance>/cache`), written by this
app alone, so reading its pickles is as trusted as reading the instance's own config.py. Any
problem reading or writing it (a read-only disk, a damaged file) falls back to loading.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

log = logging.getLogger("lms.content")

FORMAT = "evergreen-render-cache-1"
LIBRARIES = ("markdown", "pymdown-extensions", "nh3", "markdown-it-py", "pyyaml")
_engine: str | None = None


def engine_fingerprint() -> str:
    """A hash of the content engine's source files and the rendering libraries' versions."""
    global _engine
    if _engine is None:
        digest = hashlib.sha256(FORMAT.encode())
        for path in sorted(Path(__file__).parent.glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        for name in LIBRARIES:
            try:
                version = metadata.version(name)
            except metadata.PackageNotFoundError:
                version = "-"
            digest.update(f"{name}={version}\0".encode())
        _engine = digest.hexdigest()
    return _engine


def folder_listing(folder: Path) -> str:
    """Every file under a course folder (relative paths), which links may point at."""
    names = []
    for directory, dirs, files in os.walk(folder):
        dirs.sort()
        relative = os.path.relpath(directory, folder)
        names += [os.path.join(relative, name) for name in sorted(files)]
    return "\n".join(names)


class RenderCache:
    """Pickled load results in `directory`, one file per key."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.hits = 0
        self.misses = 0

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256(engine_fingerprint().encode())
        for part in parts:
            digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> Any | None:
        try:
            data = self._path(key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        try:
            value = pickle.loads(data)  # noqa: S301 - this app's own files in the instance folder
        except Exception:  # a damaged or foreign file: load the module instead
            log.warning("ignoring a damaged render cache file %s", self._path(key))
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        """Write atomically (other processes may read the same key); failures are ignored."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        except OSError as problem:
            log.info("render cache not written (%s): %s", path, problem)
            return
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except (OSError, pickle.PicklingError) as problem:
            Path(temporary).unlink(missing_ok=True)
            log.info("render cache not written (%s): %s", path, problem)
