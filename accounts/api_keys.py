"""API token keys: made, hashed and shown here; no Django, so the rule is read in one place.

A key is 256 random bits behind a recognisable ``plp_`` prefix (secret scanners and people tell it from a
password). Only its SHA-256 is stored: a key has far more entropy than any password, so a fast hash cannot be
brute-forced, and a slow one would cost every API request. Keys from before (DRF's 40 hex characters) hash
the same way, which is how they were carried over.
"""

import hashlib
import secrets

KEY_PREFIX = "plp_"
PREFIX_SHOWN = 8  # characters of a key kept in clear to tell tokens apart on the account page
MAX_KEY_LENGTH = 200  # a longer Authorization value is not a key of ours (and is not hashed)


def key_new() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_shown(key: str) -> str:
    return key[:PREFIX_SHOWN]
