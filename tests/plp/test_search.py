"""The list pages' search box and pager (plp.search): one reading of ``?q=``, one query string for the
pager's links."""

from django.test import RequestFactory

from plp.search import pager_query, search_term


def test_the_search_term_is_trimmed_and_at_most_100_characters():
    request = RequestFactory().get("/", {"q": "  " + "x" * 150 + "  "})
    assert search_term(request) == "x" * 100
    assert search_term(RequestFactory().get("/")) == ""


def test_the_pager_query_keeps_the_search_and_filters_without_the_page():
    request = RequestFactory().get("/", {"q": "ada", "role": "student", "page": "3"})
    assert pager_query(request) == "q=ada&role=student"
