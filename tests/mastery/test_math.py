"""Math notation (KaTeX from static/vendor/katex, rendered by static/js/math.js): the pages that show question
text, explanations and readings load it from our own static files and mark where math may be, the text
stays escaped on the server, and the policy is not weakened for it. The browser side is
tests/e2e/test_math_journeys.py."""

import re

from django.conf import settings
from django.urls import reverse

from mastery.models import Question
from playlists.rendering import render_markdown
from plp.tenancy.context import school_scope
from tests.factories import (
    ContentItemFactory,
    PlaylistAssignmentFactory,
    PlaylistItemFactory,
    QuestionFactory,
)
from tests.mastery.conftest import RIGHT

STATIC = settings.BASE_DIR / "static"
KATEX = STATIC / "vendor" / "katex"
ASSETS = (
    "/static/vendor/katex/katex.min.css",
    "/static/vendor/katex/katex.min.js",
    "/static/vendor/katex/contrib/auto-render.min.js",
    "/static/js/math.js",
)
HOSTILE = r"Is \(\frac{1}{2} < 3\)? <script>alert('x')</script> It costs $5."


def _url(name, **kwargs):
    return reverse(f"mastery:{name}", kwargs={"school_slug": "alpha", **kwargs})


def test_katex_is_vendored_whole_with_its_licence_and_version():
    version = re.search(r"^# KaTeX (\d+\.\d+\.\d+)", (KATEX / "VERSION.md").read_text(), re.M).group(1)
    assert f'version:"{version}"' in (KATEX / "katex.min.js").read_text()
    assert "MIT License" in (KATEX / "LICENSE").read_text()
    css = (KATEX / "katex.min.css").read_text()
    fonts = re.findall(r"url\(([^)]+)\)", css)
    assert len(fonts) == 20
    # Every file the stylesheet names is shipped (production's manifest storage refuses one that is not).
    assert [font for font in fonts if not (KATEX / font).is_file()] == []


def test_math_is_loaded_from_our_static_files_with_no_inline_script():
    for path in (STATIC / "js" / "math.js", KATEX / "contrib" / "auto-render.min.js"):
        assert "http://" not in path.read_text() and "https://" not in path.read_text()
    assets = (settings.BASE_DIR / "templates" / "_math_assets.html").read_text()
    assert "<script>" not in assets and "//" not in assets.replace("{#", "").split("#}")[-1]


def test_the_policy_is_not_weakened_for_math():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]  # KaTeX styles its nodes through CSSOM (see the README)


def test_practice_shows_a_question_and_its_explanation_escaped_where_math_renders(client, school_a, bank):
    competency = bank.competency
    with school_scope(school_a.school):
        Question.objects.update(is_active=False)
    question = QuestionFactory(bank=bank, prompt=HOSTILE, explanation=r"\[<img src=x onerror=alert(1)>\]")
    client.force_login(school_a.user("student"))
    page = client.get(_url("practice", competency_id=competency.pk)).content.decode()
    for asset in ASSETS:
        assert f'src="{asset}"' in page or f'href="{asset}"' in page
    assert '<div id="practice" aria-live="polite" data-math>' in page
    assert (
        r"Is \(\frac{1}{2} &lt; 3\)? &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; It costs $5." in page
    )
    assert "<script>alert" not in page

    result = client.post(
        _url("practice", competency_id=competency.pk),
        {"question_id": question.pk, "answer": RIGHT},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "data-math" in result  # the swapped part is marked, so math.js renders it (htmx.onLoad)
    assert r"\[&lt;img src=x onerror=alert(1)&gt;\]" in result and "<img" not in result


def test_a_reading_keeps_tex_for_katex_and_escapes_markup():
    html = render_markdown("A rate: \\(\\dfrac{6}{2} = 3\\) and *not* <b>bold</b>, \\[a \\times b\\]")
    assert "\\(\\dfrac{6}{2} = 3\\)" in html and "\\[a \\times b\\]" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<em>not</em>" in html


def test_a_reading_page_marks_its_body_for_math(client, school_a):
    reading = ContentItemFactory(school=school_a.school, body=r"Half: \(\tfrac{1}{2}\)")
    placement = PlaylistItemFactory(playlist__school=school_a.school, item=reading, position=1)
    PlaylistAssignmentFactory(playlist=placement.playlist, section=school_a.section)
    client.force_login(school_a.user("student"))
    page = client.get(
        reverse(
            "playlists:student_item",
            kwargs={"school_slug": "alpha", "playlist_id": placement.playlist.pk, "item_id": reading.pk},
        )
    ).content.decode()
    assert '<article class="card content" data-math>' in page and r"\(\tfrac{1}{2}\)" in page
    assert "/static/vendor/katex/katex.min.js" in page


def test_the_authoring_pages_carry_the_preview_and_the_math_assets(client, school_a, bank):
    QuestionFactory(bank=bank, prompt=HOSTILE)
    client.force_login(school_a.user("teacher"))
    page = client.get(_url("bank_detail", bank_id=bank.pk)).content.decode()
    assert '<ol class="question-list" data-math>' in page and "data-math-preview" in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "/static/js/math.js" in page
    with school_scope(school_a.school):
        question = Question.objects.filter(bank=bank).first()
    edit = client.get(_url("question_edit", bank_id=bank.pk, question_id=question.pk)).content.decode()
    assert "data-math-preview" in edit and "/static/js/math.js" in edit
