"""The search box and the pager of the list pages: one reading of ``?q=`` so every page trims and bounds it
alike, and one query string for the pager's links."""

SEARCH_MAX_CHARS = 100


def search_term(request) -> str:
    """What was typed in the page's search box (``?q=``), trimmed, at most 100 characters. A NUL never gets
    here: ``RejectNullBytesInQueryMiddleware`` answers such a query string with a 400."""
    return request.GET.get("q", "").strip()[:SEARCH_MAX_CHARS]


def pager_query(request) -> str:
    """The page's query string without ``page``: the pager's links add their page number to it, so moving
    through the pages keeps the search and the filters."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
