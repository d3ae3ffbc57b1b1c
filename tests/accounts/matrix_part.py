"""The accounts app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

GLOBAL_ROUTES = {
    "accounts:password_reset": "asks for an email; the answer is the same whoever owns it",
    "accounts:password_reset_done": "a fixed page",
    "accounts:password_reset_confirm": "sets the password of the account a signed token names",
}

GLOBAL_KWARGS = {
    "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
}
