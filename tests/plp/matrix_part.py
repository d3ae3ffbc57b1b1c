"""The installable app's routes in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

GLOBAL_ROUTES = {
    "manifest": "the web app manifest: the same fixed JSON for everyone",
    "service_worker": "the service worker's script: the same for everyone, no data",
    "offline": "a fixed page shown offline",
}
