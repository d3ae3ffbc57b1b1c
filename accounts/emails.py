"""Addresses that reach nobody: a person the roster gives no email gets a placeholder under this domain
(RFC 2606: ``.invalid``), replaced as soon as a roster brings a real one. Accounts never send to it (no
password reset); the roster import makes them (schools/rostering/plan.py)."""

PLACEHOLDER_DOMAIN = "roster.invalid"


def is_placeholder_email(email: str) -> bool:
    return email.endswith(f".{PLACEHOLDER_DOMAIN}")
