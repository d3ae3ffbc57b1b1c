"""PLP's own RSA keys for LTI: made here, stored encrypted (Fernet, key derived from SECRET_KEY, as the
SSO client secrets are), published only as public JWKs."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from jwcrypto.jwk import JWK


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"plp-lti-tool-key:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def key_pair_make() -> tuple[str, str, dict]:
    """(kid, encrypted private PEM, public JWK) of a new 2048-bit RSA key."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    jwk = JWK.from_pem(pem)
    kid = jwk.thumbprint()  # what pylti1p3 puts in the header of what it signs with this key
    public = jwk.export_public(as_dict=True)
    public.update({"kid": kid, "alg": "RS256", "use": "sig"})
    return kid, _fernet().encrypt(pem).decode(), public


def private_pem(encrypted: str) -> str | None:
    """The private key, or None when SECRET_KEY changed since it was made (rotate the key then)."""
    try:
        return _fernet().decrypt(encrypted.encode()).decode()
    except InvalidToken:
        return None
