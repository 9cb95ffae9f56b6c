"""Load generation for the benchmarks: wrk when it is installed (Debian package `wrk`), else a
bounded Python client; and a small HTTP helper to log in and read pages before loading them.

Every run is bounded in time and sends traffic only to a loopback address.
"""

from __future__ import annotations

import http.client
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

USER_AGENT = "evergreen-bench"
LUA_SUBMIT = Path(__file__).with_name("submit.lua")


@dataclass(frozen=True)
class LoadResult:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # responses other than 2xx/3xx, and socket errors

    @staticmethod
    def median(results: list[LoadResult]) -> LoadResult:
        """The round with the median requests/s (its latencies go with it)."""
        ordered = sorted(results, key=lambda r: r.rps)
        middle = ordered[len(ordered) // 2]
        return LoadResult(middle.requests, statistics.median(r.rps for r in results),
                          middle.p50_ms, middle.p99_ms, sum(r.errors for r in results))


# --- A tiny HTTP client (loopback only) ----------------------------------------------------------

@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str


class Session:
    """One browser: keeps the session cookie, sends the benchmark's User-Agent."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        assert parts.hostname in ("127.0.0.1", "localhost", "::1"), "loopback only"
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookie = ""

    def request(self, method: str, path: str, form: dict | list | None = None) -> Response:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"User-Agent": USER_AGENT}
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", "replace")
            cookies = raw.headers.get_all("Set-Cookie") or []
        finally:
            connection.close()
        for cookie in cookies:
            if cookie.startswith("session="):
                self.cookie = cookie.split(";", 1)[0]
        return Response(raw.status, dict(raw.headers.items()), text)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def csrf_token(self, path: str) -> str:
        html = self.get(path).body
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        if not match:
            raise RuntimeError(f"no CSRF token on {path}")
        return match.group(1)

    def login(self, email: str, password: str) -> None:
        token = self.csrf_token("/login")
        response = self.request("POST", "/login", {"csrf_token": token, "email": email,
                                                    "password": password})
        if response.status != 302:
            raise RuntimeError(f"login as {email} failed: {response.status}")


# --- wrk ---------------------------------------------------------------------------------------

def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> LoadResult:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    latency = {m.group(1): _ms(m.group(2), m.group(3)) for m in re.finditer(
        r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)}
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                          output):
        errors += int(match.group(1)) + int(match.group(3)) + int(match.group(4))
    return LoadResult(requests, rps, latency.get("50", 0.0), latency.get("99", 0.0), errors)


def run_wrk(url: str, seconds: float, *, cookie: str = "", script: Path | None = None,
            script_args: list[str] = (), threads: int = 2, connections: int = 8) -> LoadResult:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{int(seconds)}s", "--latency",
               "--timeout", "10s", "-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", str(script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(command, capture_output=True, text=True, check=True,
                            timeout=seconds + 30).stdout
    return parse_wrk(output)


# --- The bounded Python client (when wrk is absent) --------------------------------------------

def run_python(url: str, seconds: float, *, cookie: str = "",
               body_for: callable | None = None, connections: int = 8) -> LoadResult:
    """`connections` threads, each sending requests one after another until time is up.
    `body_for(n)` makes the path and form body of the n-th POST (None: GET `url`)."""
    parts = urlsplit(url)
    assert parts.hostname in ("127.0.0.1", "localhost", "::1"), "loopback only"
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    counter = iter(range(10**9))
    lock = threading.Lock()

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                n = next(counter)
            headers = {"User-Agent": USER_AGENT, "Cookie": cookie}
            path, body = body_for(n) if body_for else (parts.path or "/", None)
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                connection.request("POST" if body is not None else "GET", path, body=body,
                                   headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                ok = response.status < 400
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    if not latencies:
        return LoadResult(0, 0.0, 0.0, 0.0, errors[0])
    return LoadResult(len(latencies), len(latencies) / elapsed,
                      latencies[len(latencies) // 2],
                      latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], errors[0])


def load(url: str, seconds: float, *, cookie: str = "", form: str | None = None,
         paths: list[str] = (), nonce: str = "0") -> LoadResult:
    """GET `url` for `seconds`, with wrk or the Python client; or POST quiz submissions: `form`
    is the body without the submission token, each request adding a fresh token and taking the
    next of `paths` (on `url`'s server) in turn."""
    if form is None:
        if have_wrk():
            return run_wrk(url, seconds, cookie=cookie)
        return run_python(url, seconds, cookie=cookie)
    if have_wrk():
        with tempfile.TemporaryDirectory(prefix="evergreen-wrk-") as folder:
            body, listing = Path(folder) / "form.txt", Path(folder) / "paths.txt"
            body.write_text(form)
            listing.write_text("\n".join(paths) + "\n")
            return run_wrk(url, seconds, cookie=cookie, script=LUA_SUBMIT,
                           script_args=[str(body), str(listing), nonce])
    prefix = f"{int(nonce, 16) % 2**32:08x}"
    base = url.rstrip("/")
    return run_python(base, seconds, cookie=cookie,
                      body_for=lambda n: (paths[n % len(paths)],
                                          f"{form}&submission={prefix}{n:024x}"))
