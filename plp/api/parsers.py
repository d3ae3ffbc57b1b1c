"""The API's JSON parser (settings DEFAULT_PARSER_CLASSES): DRF's, bounded in depth by plp.safe_json."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from plp.safe_json import TooDeep, json_bounded


class JSONParser(parsers.JSONParser):
    """A body nested past plp.safe_json.MAX_DEPTH is a 400 like any unreadable JSON, not a RecursionError;
    so is a body that is not a JSON object (every operation of ours takes an object: a bare string or list
    would reach views that read ``request.data`` as a mapping)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = json_bounded(lambda: super(JSONParser, self).parse(stream, media_type, parser_context))
        except TooDeep as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if not isinstance(data, dict):
            raise ParseError("JSON parse error - the body must be a JSON object ({...}).")
        return data
