"""Client secrets at rest: encrypted with a key derived from SECRET_KEY (Fernet: AES-128-CBC + HMAC).

A database dump alone does not give away a school's client secrets; the pages never show one back (a blank
field keeps the stored one). Rotating SECRET_KEY means typing the secrets again: decrypting then fails,
and the sign-in says the provider is misconfigured rather than sending a wrong secret.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"plp-sso-client-secret:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def secret_encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def secret_decrypt(stored: str) -> str | None:
    """The secret, or None when it cannot be read (the key changed)."""
    if not stored:
        return ""
    try:
        return _fernet().decrypt(stored.encode()).decode()
    except InvalidToken:
        return None
