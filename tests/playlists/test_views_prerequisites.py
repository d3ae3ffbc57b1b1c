"""The competency page: staff read a competency's prerequisites; those who set up competencies (the
framework import page's rule: teachers and school admins) add and remove them, with htmx or plain forms."""

import factory
import pytest
from django.urls import reverse

from playlists import selectors
from playlists.models import CompetencyPrerequisite
from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import CompetencyFactory, CompetencyPrerequisiteFactory


def _as(client, user):
    client.force_login(user)
    return client


def _url(name, competency, **kwargs):
    kwargs = {"framework_id": competency.framework_id, "competency_id": competency.pk, **kwargs}
    return reverse(f"playlists:{name}", kwargs={"school_slug": "alpha", **kwargs})


def _edges(school) -> set[tuple[str, str]]:
    with school_scope(school):
        return set(CompetencyPrerequisite.objects.values_list("competency__code", "prerequisite__code"))


CHAIN = {("RP.2", "RP.1"), ("RP.3", "RP.2")}


def test_the_framework_page_links_each_competency_to_its_page_with_its_prerequisites(
    client, school_a, rp_chain
):
    framework_page = reverse(
        "playlists:framework_detail",
        kwargs={"school_slug": "alpha", "framework_id": rp_chain.rp1.framework_id},
    )
    body = _as(client, school_a.user(Role.TEACHER)).get(framework_page).content.decode()
    assert f'href="{_url("competency_detail", rp_chain.rp3)}"' in body
    assert "Requires: RP.2" in body

    page = client.get(_url("competency_detail", rp_chain.rp2)).content.decode()
    requires, required_by = page.split("Required by")
    assert "RP.1" in requires and "RP.3" in required_by


def test_a_teacher_adds_a_prerequisite_from_another_framework_with_htmx(client, school_a, rp_chain):
    response = _as(client, school_a.user(Role.TEACHER)).post(
        _url("prerequisite_add", rp_chain.rp1), {"prerequisite": rp_chain.claims.pk}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and response["HX-Trigger"] == "prerequisitesChanged"
    assert "<html" not in body and 'id="prerequisites"' in body
    assert "RP.1 now requires E.1." in body and "(Writing)" in body  # the other framework is named
    assert _edges(school_a.school) == {*CHAIN, ("RP.1", "E.1")}


def test_a_school_admin_adds_and_removes_a_prerequisite_without_javascript(client, school_a, rp_chain):
    _as(client, school_a.user(Role.SCHOOL_ADMIN))
    response = client.post(_url("prerequisite_add", rp_chain.rp3), {"prerequisite": rp_chain.rp1.pk})
    assert response.status_code == 302 and response["Location"] == _url("competency_detail", rp_chain.rp3)
    assert "RP.3 now requires RP.1." in client.get(response["Location"]).content.decode()

    response = client.post(_url("prerequisite_remove", rp_chain.rp3, prerequisite_id=rp_chain.rp2.pk))
    assert response.status_code == 302
    assert "RP.3 no longer requires RP.2." in client.get(response["Location"]).content.decode()
    assert _edges(school_a.school) == {("RP.2", "RP.1"), ("RP.3", "RP.1")}


def test_removing_with_htmx_returns_the_prerequisites_part(client, school_a, rp_chain):
    response = _as(client, school_a.user(Role.TEACHER)).post(
        _url("prerequisite_remove", rp_chain.rp2, prerequisite_id=rp_chain.rp1.pk), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and response["HX-Trigger"] == "prerequisitesChanged"
    assert "RP.2 no longer requires RP.1." in body and "Nothing: students may work on RP.2" in body
    assert _edges(school_a.school) == {("RP.3", "RP.2")}


@pytest.mark.parametrize(
    ("competency", "posted", "message"),
    [
        ("rp1", "rp1", "RP.1 cannot be its own prerequisite."),
        ("rp2", "rp1", "RP.2 already requires RP.1."),
        ("rp1", "rp3", "This prerequisite would close a cycle: RP.3 → RP.1 → RP.2 → RP.3."),
        ("rp1", "", "Choose the competency to require first."),
        ("rp1", "RP.3", "Enter a whole number."),
    ],
)
@pytest.mark.parametrize("htmx", [True, False])
def test_a_refused_prerequisite_is_a_form_error_and_nothing_is_saved(
    client, school_a, rp_chain, competency, posted, message, htmx
):
    value = getattr(rp_chain, posted).pk if posted.startswith("rp") else posted
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = _as(client, school_a.user(Role.TEACHER)).post(
        _url("prerequisite_add", getattr(rp_chain, competency)), {"prerequisite": value}, **headers
    )
    body = response.content.decode()
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert f'<div class="form-errors" role="alert"><ul><li>{message}</li></ul></div>' in body
    assert ("<html" in body) is not htmx  # the whole page without htmx, the part with it
    assert _edges(school_a.school) == CHAIN


def test_a_refused_choice_stays_selected(client, school_a, rp_chain):
    response = _as(client, school_a.user(Role.TEACHER)).post(
        _url("prerequisite_add", rp_chain.rp1), {"prerequisite": rp_chain.rp3.pk}
    )
    assert f'<option value="{rp_chain.rp3.pk}" selected>RP.3' in response.content.decode()


def test_another_schools_competency_id_is_not_found_and_never_named(client, school_a, school_b, rp_chain):
    theirs = CompetencyFactory(framework__school=school_b.school, code="BRAVO.9", title="bravo secret")
    _as(client, school_a.user(Role.TEACHER))
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.post(_url("prerequisite_add", rp_chain.rp1), {"prerequisite": theirs.pk}, **headers)
        assert response.status_code == 404 and "bravo" not in response.content.decode().lower()
    missing = client.post(_url("prerequisite_add", rp_chain.rp1), {"prerequisite": theirs.pk + 1000})
    assert missing.status_code == 404
    # Their edge, named through one of our competencies: no such prerequisite here.
    CompetencyPrerequisiteFactory(competency=theirs)
    remove = _url("prerequisite_remove", rp_chain.rp1, prerequisite_id=theirs.pk)
    assert client.post(remove).status_code == 404
    assert _edges(school_a.school) == CHAIN


def test_a_competency_is_found_only_inside_its_framework(client, school_a, rp_chain):
    wrong_framework = reverse(
        "playlists:competency_detail",
        kwargs={
            "school_slug": "alpha",
            "framework_id": rp_chain.claims.framework_id,
            "competency_id": rp_chain.rp1.pk,
        },
    )
    assert _as(client, school_a.user(Role.TEACHER)).get(wrong_framework).status_code == 404


@pytest.mark.parametrize(
    ("role", "page", "write", "edits"),
    [
        (Role.STUDENT, 404, 404, False),
        (Role.MENTOR, 200, 403, False),
        (DISTRICT_ADMIN, 200, 403, False),
        (Role.TEACHER, 200, 302, True),
        (Role.SCHOOL_ADMIN, 200, 302, True),
    ],
)
def test_who_reads_and_who_edits_prerequisites(client, school_a, rp_chain, role, page, write, edits):
    _as(client, school_a.user(role))
    response = client.get(_url("competency_detail", rp_chain.rp2))
    assert response.status_code == page
    assert ("Add a prerequisite" in response.content.decode()) is edits
    assert ("Remove<span" in response.content.decode()) is edits
    assert (
        client.post(_url("prerequisite_add", rp_chain.rp1), {"prerequisite": rp_chain.claims.pk}).status_code
        == write
    )
    remove = _url("prerequisite_remove", rp_chain.rp3, prerequisite_id=rp_chain.rp2.pk)
    assert client.post(remove).status_code == write
    assert (_edges(school_a.school) == {("RP.2", "RP.1"), ("RP.1", "E.1")}) is edits
    assert (_edges(school_a.school) == CHAIN) is not edits


def test_the_edit_urls_take_only_posts(client, school_a, rp_chain):
    _as(client, school_a.user(Role.TEACHER))
    assert client.get(_url("prerequisite_add", rp_chain.rp1)).status_code == 405
    assert (
        client.get(_url("prerequisite_remove", rp_chain.rp2, prerequisite_id=rp_chain.rp1.pk)).status_code
        == 405
    )
    assert client.post(_url("competency_detail", rp_chain.rp1)).status_code == 405
    assert _edges(school_a.school) == CHAIN


def test_the_choices_leave_out_the_competency_and_what_it_requires_grouped_by_framework(
    client, school_a, rp_chain
):
    body = (
        _as(client, school_a.user(Role.TEACHER)).get(_url("competency_detail", rp_chain.rp2)).content.decode()
    )
    choice = body[body.index('<select id="id_prerequisite"') : body.index("</select>")]
    assert f'value="{rp_chain.rp3.pk}"' in choice and f'value="{rp_chain.claims.pk}"' in choice
    assert f'value="{rp_chain.rp2.pk}"' not in choice and f'value="{rp_chain.rp1.pk}"' not in choice
    assert choice.index('<optgroup label="Ratios">') < choice.index('<optgroup label="Writing">')


def test_the_search_narrows_the_choices_with_or_without_htmx(client, school_a, rp_chain):
    CompetencyFactory(framework=rp_chain.claims.framework, code="E.2", title="Cite textual evidence")
    _as(client, school_a.user(Role.TEACHER))
    page = client.get(_url("competency_detail", rp_chain.rp1), {"q": "evidence"}).content.decode()
    assert "E.2 — Cite textual evidence" in page and "E.1 —" not in page and 'value="evidence"' in page

    part = client.get(
        _url("competency_detail", rp_chain.rp1),
        {"q": "RP.3"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="prerequisite-choice",
    ).content.decode()
    assert part.lstrip().startswith('<div id="prerequisite-choice"') and "<form" not in part
    assert "RP.3 —" in part and "RP.2 —" not in part
    none = client.get(_url("competency_detail", rp_chain.rp1), {"q": "zzz"}).content.decode()
    assert "No competency matches “zzz”." in none


def test_a_long_list_of_choices_is_cut_and_says_how_to_narrow_it(client, school_a, rp_chain, monkeypatch):
    for n in range(3):
        CompetencyFactory(framework=rp_chain.claims.framework, code=f"W.{n}")
    # 6 to choose from: RP.2, RP.3, E.1, W.0-2
    monkeypatch.setattr(selectors.authoring, "PREREQUISITE_CHOICES", 4)
    page = _as(client, school_a.user(Role.TEACHER)).get(_url("competency_detail", rp_chain.rp1))
    body = page.content.decode()
    assert body.count('<option value="') == 1 + 4  # the prompt, then four competencies
    assert "Only the first 4 are listed: find by code or title to narrow the list." in body


@pytest.mark.parametrize("name", ["framework_detail", "competency_detail"])
def test_the_pages_cost_the_same_queries_with_3_or_30_prerequisites(
    client, school_a, rp_chain, name, django_assert_max_num_queries
):
    """The chain's two edges, then RP.2 requires one more competency, then 27 more (30 edges in all)."""
    _as(client, school_a.user(Role.TEACHER))
    kwargs = {"school_slug": "alpha", "framework_id": rp_chain.rp2.framework_id}
    if name == "competency_detail":
        kwargs["competency_id"] = rp_chain.rp2.pk
    target = reverse(f"playlists:{name}", kwargs=kwargs)

    def require(count: int) -> None:
        for _ in range(count):
            earlier = CompetencyFactory(  # another framework: its title is shown beside the code
                framework=rp_chain.claims.framework, code=factory.Sequence(lambda n: f"RQ.{n}")
            )
            CompetencyPrerequisiteFactory(competency=rp_chain.rp2, prerequisite=earlier)

    require(1)
    with django_assert_max_num_queries(20) as three:
        assert client.get(target).status_code == 200
    require(27)
    with django_assert_max_num_queries(len(three.captured_queries)):
        response = client.get(target)
    with school_scope(school_a.school):
        assert CompetencyPrerequisite.objects.count() == 30
    assert response.content.decode().count("RQ.") >= 28


@pytest.mark.parametrize(("posted", "status"), [("9" * 25, 404), ("-3", 200), ("1e3", 200)])
def test_a_malformed_or_huge_id_is_never_a_server_error(client, school_a, rp_chain, posted, status):
    response = _as(client, school_a.user(Role.TEACHER)).post(
        _url("prerequisite_add", rp_chain.rp1), {"prerequisite": posted}
    )
    assert response.status_code == status
    assert _edges(school_a.school) == CHAIN
