"""The search box of the list pages: one reading of ``?q=`` so every page trims and bounds it alike."""

SEARCH_MAX_CHARS = 100


def search_term(request) -> str:
    """What was typed in the page's search box (``?q=``), trimmed, at most 100 characters. A NUL never gets
    here: ``RejectNullBytesInQueryMiddleware`` answers such a query string with a 400."""
    return request.GET.get("q", "").strip()[:SEARCH_MAX_CHARS]
