"""Password hashing with argon2: one hasher, and a check that does the same work whoever signs in."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

hasher = PasswordHasher()
MIN_LENGTH = 8


def hash_password(password: str) -> str:
    return hasher.hash(password)


@cache
def _dummy_hash() -> str:
    return hasher.hash("no account signs in with this password")


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches `password_hash`; with no hash (unknown or deactivated user) the check
    runs against a dummy hash, so that answer takes as long as a wrong password and reveals nothing."""
    try:
        hasher.verify(password_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return password_hash is not None
