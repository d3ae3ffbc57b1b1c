"""The OpenAPI schema, made to say what the API does (drf-spectacular's AutoSchema, two corrections).

* Only a GET lists a page at a time: a POST answering a list (weekly goals) is not documented as a page.
* A read-only field declared ``required=False`` is one the response leaves out for some readers (a
  check-in's ``version``, for the student's mentors only): it is not listed as required.
* The errors every operation can answer are declared, in the shape ``plp.api.exceptions`` gives them:
  400 (field errors), 401 and 403 (not signed in, no right), 404 (not found in the school), 429 (throttled).
"""

from drf_spectacular import openapi
from drf_spectacular.plumbing import build_basic_type, build_object_type
from drf_spectacular.types import OpenApiTypes

_DETAIL = build_object_type(properties={"detail": build_basic_type(OpenApiTypes.STR)}, required=["detail"])
_FIELD_ERRORS = {
    **build_object_type(additionalProperties={}),
    "description": "Field name (or non_field_errors, or detail) → its messages, a list of strings (nested "
    "for nested fields).",
}
ERRORS = {
    "400": ("The request was refused: what was sent is not valid.", _FIELD_ERRORS),
    "401": ("Not signed in: send Authorization: Token <key>, or a session.", _DETAIL),
    "403": ("Signed in, but this role (or a missing CSRF token) does not allow it.", _DETAIL),
    "404": ("Not found in this school, or not visible to you.", _DETAIL),
    "429": ("Too many requests: wait for the number of seconds in Retry-After.", _DETAIL),
}


class AutoSchema(openapi.AutoSchema):
    def _get_paginator(self):
        return super()._get_paginator() if self.method == "GET" else None

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        sometimes_omitted = {
            field.field_name
            for field in serializer.fields.values()
            if field.read_only and getattr(field, "_kwargs", {}).get("required") is False
        }
        if sometimes_omitted and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in sometimes_omitted]
            if not schema["required"]:
                del schema["required"]
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            description, schema = ERRORS[code]
            responses.setdefault(
                code, {"description": description, "content": {"application/json": {"schema": schema}}}
            )
        return responses

    def _error_codes(self) -> list[str]:
        codes = ["400"]  # any request: a bad field, a bad query parameter (NUL, an unknown student id)
        if self.get_auth():
            codes += ["401", "403"]
        else:
            codes.append("429")  # the unauthenticated token endpoint is throttled
        if "{" in self.path or self._get_paginator() is not None:
            codes.append("404")  # an unknown school or object, or a page past the last (DRF's "Invalid page")
        return codes
