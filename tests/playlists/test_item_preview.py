"""The content-item form's live preview: the text a teacher types, shown as the student's item page shows it
(escaped, then the Markdown subset) with its TeX delimiters kept for KaTeX (static/js/math.js); authors only,
nothing saved."""

import pytest
from django.urls import reverse

from playlists.models import ContentItem
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import ContentItemFactory

PREVIEW = reverse("playlists:item_preview", args=["alpha"])
TEXT = (
    "## Unit rates\n\nSolve \\(x^2 < 4\\) and **compare**:\n\n\\[\\frac{3}{4} = 0.75\\]\n\n"
    "<script>alert(1)</script>"
)


def test_the_preview_renders_the_text_escaped_with_the_math_delimiters_kept(client, school_a):
    client.force_login(school_a.user(Role.TEACHER))
    response = client.post(PREVIEW, {"body": TEXT}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "data-math" in body
    assert "\\(x^2 &lt; 4\\)" in body and "\\[\\frac{3}{4} = 0.75\\]" in body
    assert (
        "<h3>Unit rates</h3>" in body
    )  # a level below the page title and "<strong>compare</strong>" in body
    assert "<script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    with school_scope(school_a.school):
        assert not ContentItem.objects.exists()  # a preview saves nothing


def test_an_empty_or_too_long_text_says_so(client, school_a):
    client.force_login(school_a.user(Role.TEACHER))
    assert "Type the text" in client.post(PREVIEW, {"body": ""}).content.decode()
    assert "too long to preview" in client.post(PREVIEW, {"body": "x" * 100_001}).content.decode()


@pytest.mark.parametrize(
    ("role", "status"), [(Role.SCHOOL_ADMIN, 200), (Role.STUDENT, 403), (Role.MENTOR, 403)]
)
def test_only_authors_preview(client, school_a, role, status):
    client.force_login(school_a.user(role))
    assert client.post(PREVIEW, {"body": "Hello"}).status_code == status


def test_the_preview_also_answers_a_get_and_refuses_other_methods(client, school_a):
    client.force_login(school_a.user(Role.TEACHER))
    assert "Type the text" in client.get(PREVIEW).content.decode()
    assert "\\(a &lt; b\\)" in client.get(PREVIEW, {"body": "\\(a < b\\)"}).content.decode()
    assert client.put(PREVIEW).status_code == 405


def test_the_item_form_wires_the_preview_and_shows_the_saved_text(client, school_a):
    item = ContentItemFactory(school=school_a.school, kind="reading", body="Ratio \\(a:b\\) <b>not bold</b>")
    client.force_login(school_a.user(Role.TEACHER))
    page = client.get(reverse("playlists:item_edit", args=["alpha", item.pk])).content.decode()
    assert f'hx-post="{PREVIEW}"' in page and 'hx-include="#id_body"' in page and 'id="id_body"' in page
    assert "vendor/katex/katex.min.js" in page and "js/math.js" in page
    preview = page[page.index('id="item-preview"') :]
    assert "\\(a:b\\) &lt;b&gt;not bold&lt;/b&gt;" in preview and "data-math" in preview
    new = client.get(reverse("playlists:item_create", args=["alpha"])).content.decode()
    assert "Type the text" in new


@pytest.mark.parametrize("paragraphs", [1, 200])
def test_the_preview_reads_a_constant_number_of_queries(
    client, school_a, django_assert_max_num_queries, paragraphs
):
    """Whatever the text's length: the preview reads who asks, nothing of the school's content."""
    client.force_login(school_a.user(Role.TEACHER))
    with django_assert_max_num_queries(6):
        response = client.post(PREVIEW, {"body": "\n\n".join(["A rate \\(a/b\\)."] * paragraphs)})
    assert response.status_code == 200
