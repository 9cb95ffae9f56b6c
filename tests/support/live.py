"""A small HTTP client for tests against real server processes: cookies kept by hand (so a
Secure cookie still works over loopback HTTP), CSRF tokens read from pages."""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    def __init__(self, base: str) -> None:
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | list | None = None,
                timeout: float = 30) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, dict(response.getheaders()), text
        finally:
            connection.close()

    def get(self, path: str):
        return self.request("GET", path)

    def token(self, path: str) -> str:
        _, _, html = self.get(path)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    def post(self, path: str, data: dict, token_from: str | None = None):
        return self.request("POST", path, {"csrf_token": self.token(token_from or path), **data})

    def login(self, email: str, password: str) -> int:
        status, _, _ = self.post("/login", {"email": email, "password": password})
        return status


def wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    client = Client(url)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-3000:]}")
        try:
            client.get("/")
            return
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start")


def start_lms(env: dict, log: Path, port: int | None = None) -> tuple[subprocess.Popen, str]:
    port = port or free_port()
    with log.open("a") as handle:
        process = subprocess.Popen([sys.executable, "-m", "lms.cli", "run", "--port", str(port)],
                                   env=env, stdout=handle, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_for(url, process, log)
    return process, url


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
