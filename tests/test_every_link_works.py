"""Every link and form a page renders works with the method it is rendered with (never a 405, never a 500).

The world is the README's demo (``seed_demo``), with the suggestions the engine makes there: a student who
follows any link or submits any form of the pages they can reach, and a teacher doing the same, never lands
on a method the view refuses. Links are walked breadth first, a few pages per URL pattern.
"""

from __future__ import annotations

from collections import Counter, deque
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from accounts.models import User
from engine.models import StudentRecommendation
from engine.services import students_recompute
from mastery import services
from mastery.models import MasteryState, MasteryStatus, Question, QuestionBank
from playlists.models import Competency
from plp.tenancy.context import school_scope
from schools.models import School

PAGES_PER_PATTERN = 2  # enough to meet every template's links, few enough to stay quick
NEVER_POST = ("logout",)  # submitting it would end the walk, not test a page


class _Targets(HTMLParser):
    """The ``<a href>`` links and ``<form>`` targets (with their methods and hidden fields) of a page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "action": attrs.get("action"),
                "method": (attrs.get("method") or "get").lower(),
                "data": {},
            }
            self.forms.append(self._form)
        elif (
            tag == "input" and self._form is not None and attrs.get("type") == "hidden" and attrs.get("name")
        ):
            self._form["data"][attrs["name"]] = attrs.get("value") or ""
        elif tag == "button" and self._form is not None and attrs.get("formaction"):
            self.forms.append({**self._form, "action": attrs["formaction"]})  # shares the hidden fields
        for verb in ("get", "post", "put", "patch", "delete"):  # what htmx sends, with JavaScript on
            if attrs.get(f"hx-{verb}"):
                self.forms.append({"action": attrs[f"hx-{verb}"], "method": verb, "data": {}})

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _internal(base: str, href: str) -> str | None:
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if href.startswith(("#", "mailto:", "javascript:")) or parts.path.startswith(("/static/", "/admin/")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _pattern(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def _walk(client: Client, start: str) -> tuple[list[str], int]:
    """Follow every link from ``start`` (GET) and then submit every form met (its method, its hidden
    fields). Returns the failures ("METHOD url → status (from page)") and how many requests were made."""
    failures, seen, per_pattern = [], set(), Counter()
    forms: dict[tuple[str, str], tuple[dict, str]] = {}
    queue = deque([(start, "start")])
    while queue:
        url, origin = queue.popleft()
        pattern = _pattern(url)
        if url in seen or pattern is None or per_pattern[pattern] >= PAGES_PER_PATTERN:
            continue
        seen.add(url)
        per_pattern[pattern] += 1
        response = client.get(url)
        if response.status_code in (405, 500) or response.status_code >= 500:
            failures.append(f"GET {url} → {response.status_code} (from {origin})")
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Targets()
        parser.feed(response.content.decode())
        for href in parser.links:
            target = _internal(url, href)
            if target:
                queue.append((target, url))
        for form in parser.forms:
            target = _internal(url, form["action"] or url)
            if target is None:
                continue
            if form["method"] == "get":
                queue.append((target, url))
            elif not any(word in target for word in NEVER_POST):
                forms.setdefault((form["method"], target), (form["data"], url))
    requests = len(seen)
    per_form_pattern = Counter()
    for (method, target), (data, origin) in forms.items():
        pattern = _pattern(target)
        if pattern is None or per_form_pattern[pattern] >= PAGES_PER_PATTERN:
            continue
        per_form_pattern[pattern] += 1
        requests += 1
        response = client.generic(method.upper(), target, data="&".join(f"{k}={v}" for k, v in data.items()),
                                  content_type="application/x-www-form-urlencoded")  # fmt: skip
        if response.status_code == 405 or response.status_code >= 500:
            failures.append(f"{method.upper()} {target} → {response.status_code} (from {origin})")
    return failures, requests


def right_answer(question: Question):
    if question.kind == Question.Kind.SINGLE:
        return str(question.correct_choices[0])
    if question.kind == Question.Kind.MULTIPLE:
        return [str(i) for i in question.correct_choices]
    if question.kind == Question.Kind.NUMERIC:
        return str(question.numeric_answer)
    return question.accepted_answers[0]


def practise_until_ready(*, student, competency, answers: int = 15) -> None:
    """Right answers until the competency's readiness rule lets a check open, and no more: each question
    practised is one the check may not reuse for days, so practising the whole bank left none for a check
    (and the engine, rightly, suggested none)."""
    for _ in range(answers):
        if services.check_eligibility(student=student, competency=competency).allowed:
            return
        question = services.practice_question_draw(competency=competency)
        services.practice_answer_submit(student=student, question=question, response=right_answer(question))


@pytest.fixture
def demo(db):
    """The demo school, with student001 ready for a check of the competency of their first suggested item."""
    call_command("seed_demo", "--students", "4", stdout=StringIO())
    cedar = School.objects.get(slug="cedar-ridge")
    student = User.objects.get(email="student001.cedar@demo.plp.test")
    with school_scope(cedar):
        students = list(User.objects.filter(email__contains=".cedar@").values_list("pk", flat=True))
        students_recompute(student_ids=students)
        competency_ids = StudentRecommendation.objects.filter(
            student=student, kind="item", competency__isnull=False
        ).values_list("competency_id", flat=True)
        banked = QuestionBank.objects.filter(competency_id__in=competency_ids).values("competency_id")
        mastered = MasteryState.objects.filter(student=student, status=MasteryStatus.MASTERED)
        competency = (
            Competency.objects.filter(pk__in=banked)
            .exclude(pk__in=mastered.values("competency_id"))
            .order_by("pk")
            .first()
        )
        practise_until_ready(student=student, competency=competency)
        students_recompute(student_ids=students)
    return cedar


def test_every_link_and_form_a_student_is_shown_accepts_its_method(demo):
    with school_scope(demo):
        kinds = set(StudentRecommendation.objects.values_list("kind", flat=True))
    assert {"item", "check"} <= kinds  # the walk meets a check suggestion, the one that was a dead end
    client = Client()
    for email in ("student001.cedar@demo.plp.test", "student002.cedar@demo.plp.test"):
        client.force_login(User.objects.get(email=email))
        failures, requests = _walk(client, "/s/cedar-ridge/agency/my-work/")
        assert failures == []
        assert requests > 10


def test_every_link_and_form_a_teacher_is_shown_accepts_its_method(demo):
    client = Client()
    client.force_login(User.objects.get(email="teacher.cedar@demo.plp.test"))
    failures, requests = _walk(client, "/s/cedar-ridge/")
    assert failures == []
    assert requests > 10
