"""Settings: defaults, then instance/config.py, then LMS_* variables, then the test override.

Every setting a deployment may change is listed in DEFAULTS with its environment variable name
(LMS_ + the key). Production (LMS_ENV=production) refuses to start with an insecure setting.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECRET_FILE = "secret_key"  # noqa: S105 - a file name, not a secret

DEFAULTS: dict[str, Any] = {
    "ENV": "development",
    "DATABASE_URL": None,  # default: sqlite:///<instance>/lms.sqlite3
    "SECRET_KEY": None,  # default: <instance>/secret_key, written by `lms run`
    "COURSES_DIR": str(ROOT / "courses"),
    "RATELIMIT_STORAGE_URL": "memory://",
    "LOGIN_RATE_LIMIT": "10 per minute",
    "REGISTRATION_OPEN": True,
    "CATALOG_PRIVATE": False,
    # Re-check course files this often, so every process sees a trainer's browser edit within
    # seconds (lms/catalog_store.py); 0: load once, for deployments where nobody edits courses.
    "COURSES_RELOAD_SECONDS": 2.0,
    "RENDER_CACHE_DIR": "",  # rendered modules by content hash; "": <instance>/cache, "off": none
    # Dashboard and overview figures kept per worker process, keyed by cycle revision, up to
    # about this many MB (lms/reports/memo.py).
    "FIGURES_MEMO_MB": 16,
    # Learner pages kept whole per viewer and data revision, up to about this many MB per
    # worker process (lms/pages.py); 0 keeps none.
    "PAGES_MEMO_MB": 16,
    "SESSION_IDLE_MINUTES": 120,
    "ORGANISATION_NAME": "Evergreen",
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "RATELIMIT_KEY_PREFIX": "evergreen",
    "FAULT_INJECTION": "",  # tests only: see lms/faults.py
    # Mail (lms/mail.py): without SMTP_HOST, messages go to the `lms.mail` log instead.
    "SMTP_HOST": "",
    "SMTP_PORT": 25,
    "SMTP_USER": "",  # log in to the SMTP server when set
    "SMTP_PASSWORD": "",
    "SMTP_STARTTLS": False,  # upgrade the connection with STARTTLS before logging in
    "MAIL_FROM": "evergreen@localhost",
    "BASE_URL": "http://127.0.0.1:5000",  # absolute links in mail come from here, never Host
}


def _coerce(value: str, default: Any) -> Any:
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


def load_settings(instance_path: Path, override: dict[str, Any] | None) -> dict[str, Any]:
    """Merge the four sources in order and derive the Flask settings from ours."""
    settings = dict(DEFAULTS)
    instance_config = instance_path / "config.py"
    if instance_config.is_file():
        namespace: dict[str, Any] = {}
        exec(compile(instance_config.read_text(), str(instance_config), "exec"), namespace)  # noqa: S102 - the operator's own settings file
        settings.update({k: v for k, v in namespace.items() if k.isupper()})
    for key, default in DEFAULTS.items():
        env = os.environ.get(f"LMS_{key}")
        if env is not None:
            settings[key] = _coerce(env, default)
    settings.update(override or {})

    if not settings["DATABASE_URL"]:
        settings["DATABASE_URL"] = f"sqlite:///{instance_path / 'lms.sqlite3'}"
    if not settings["SECRET_KEY"]:
        secret_file = instance_path / SECRET_FILE
        settings["SECRET_KEY"] = (
            secret_file.read_text().strip() if secret_file.is_file() else None
        )
    production = settings["ENV"] == "production"
    settings.setdefault("SQLALCHEMY_DATABASE_URI", settings["DATABASE_URL"])
    settings.setdefault("RATELIMIT_STORAGE_URI", settings["RATELIMIT_STORAGE_URL"])
    settings.setdefault("SESSION_COOKIE_HTTPONLY", True)
    settings.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    settings.setdefault("SESSION_COOKIE_SECURE", production)
    settings.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(hours=12))
    # The server ends idle and old sessions (lms/security.py); re-signing the cookie on every
    # response would only cost time.
    settings.setdefault("SESSION_REFRESH_EACH_REQUEST", False)
    settings.setdefault("WTF_CSRF_TIME_LIMIT", None)  # bound by the session lifetime instead
    # A server connection can drop between requests; a SQLite file cannot: no ping per checkout.
    server = not settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    settings.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": server})
    return settings


def check_production(settings: dict[str, Any]) -> None:
    """Refuse to run in production with a default secret, debug on, insecure cookies, or
    emails that would link to the default or a plain-http address."""
    if settings["ENV"] != "production":
        return
    problems = []
    if not settings.get("SECRET_KEY") or len(settings["SECRET_KEY"]) < 32:
        problems.append("LMS_SECRET_KEY must be set to a random string of 32+ characters")
    if settings.get("DEBUG"):
        problems.append("debug must be off")
    if not settings.get("SESSION_COOKIE_SECURE"):
        problems.append("SESSION_COOKIE_SECURE must be on (serve over HTTPS)")
    if not str(settings.get("BASE_URL") or "").startswith("https://"):
        problems.append("LMS_BASE_URL must be the site's https:// address (links in emails)")
    if problems:
        raise RuntimeError("Refusing to start in production: " + "; ".join(problems))


def ensure_secret_key(instance_path: Path) -> None:
    """Write a random secret key into the instance folder once, so sessions survive restarts."""
    instance_path.mkdir(parents=True, exist_ok=True)
    secret_file = instance_path / SECRET_FILE
    if not secret_file.exists():
        fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
