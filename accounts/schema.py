"""The OpenAPI security scheme of our API tokens (imported by AccountsConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")
        scheme["description"] = (
            "An API token from POST /api/v1/auth/token/ or your account page, sent as "
            "`Authorization: Token <key>`. Tokens expire, can be revoked (/api/v1/me/tokens/), and die when "
            "the password changes."
        )
        return scheme
