"""Password hashing (argon2id at OWASP parameters) and the password rules."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_LENGTH = 8
MAX_LENGTH = 128
MAX_BYTES = 512  # a hard cap before hashing, whatever the characters


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return HASHER.check_needs_rehash(password_hash)


@cache
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    return frozenset(line.strip().casefold() for line in path.read_text().splitlines() if line)


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None. Passwords are never trimmed."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH or len(password.encode("utf-8")) > MAX_BYTES:
        return f"Use at most {MAX_LENGTH} characters."
    if password.casefold() in common_passwords():
        return "That password is too common; pick one that is harder to guess."
    return None
