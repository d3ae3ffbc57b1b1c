"""Practice that survives a flaky connection, in Chromium: answers given offline wait in the browser, the
student sees what is waiting, and back online each is recorded exactly once — also when a response is lost
on the way back and the answer is sent again."""

import re

from playwright.sync_api import expect

from mastery.models import EvidenceEvent, PracticeAnswer
from plp.tenancy.context import school_scope
from tests.e2e.conftest import log_in
from tests.factories import TEST_PASSWORD, CompetencyFactory, QuestionBankFactory, QuestionFactory


def _bank(world, n: int = 5):
    competency = CompetencyFactory(framework__school=world.school, code="ALPHA.FRAC.1", title="Add fractions")
    bank = QuestionBankFactory(competency=competency)
    for k in range(n):
        QuestionFactory(bank=bank, prompt=f"Question number {k + 1}: which is right?")
    return competency


def _answer_the_question(page):
    form = page.locator("#practice form")
    form.get_by_role("radio").nth(1).check()
    form.get_by_role("button").click()


def _recorded(world):
    with school_scope(world.school):
        return list(
            PracticeAnswer.objects.values_list("client_key", flat=True)
        ), EvidenceEvent.objects.count()


def test_a_student_answers_practice_offline_and_every_answer_is_recorded_once_back_online(page, school_a):
    competency = _bank(school_a)
    log_in(page, "student@alpha.example.test", TEST_PASSWORD)
    page.goto(f"/s/alpha/mastery/competencies/{competency.pk}/practice/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Practice: ALPHA.FRAC.1")
    # The page is an installable app: a manifest, and a service worker at the site root.
    assert page.evaluate("document.querySelector('link[rel=manifest]').href").endswith(
        "/manifest.webmanifest"
    )
    page.wait_for_function("navigator.serviceWorker.ready.then(r => !!r.active)")
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)").endswith("/")

    page.context.set_offline(True)
    _answer_the_question(page)
    expect(page.get_by_text("Saved on this device")).to_be_visible()
    expect(page.locator("#offline-queue")).to_have_text(
        re.compile(r"^1 answer waiting to be sent: you are offline")
    )
    _answer_the_question(page)  # the next question of the pack the page carried
    expect(page.locator("#offline-queue")).to_have_text(re.compile(r"^2 answers waiting to be sent"))
    assert _recorded(school_a) == ([], 0)

    page.context.set_offline(False)
    expect(page.locator("#offline-queue")).to_have_text(
        re.compile(r"All your answers are sent: 2 answers recorded")
    )
    expect(page.get_by_role("link", name="Next question")).to_be_visible()  # on with the server's questions
    keys, events = _recorded(school_a)
    assert len(keys) == 2 and len(set(keys)) == 2 and None not in keys and events == 2

    # Nothing is left to send: a reload sends nothing again.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Practice")
    page.wait_for_timeout(500)
    assert _recorded(school_a) == (keys, 2)
    assert page.evaluate("localStorage.getItem('plp.practiceQueue.v1')") == "[]"


def test_an_answer_whose_response_is_lost_is_sent_again_and_recorded_once(browser, live_server, school_a):
    competency = _bank(school_a)
    # Service workers blocked here, so the test's network sees (and drops) the practice API's response.
    context = browser.new_context(base_url=live_server.url, service_workers="block")
    context.set_default_timeout(15_000)
    page = context.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        log_in(page, "student@alpha.example.test", TEST_PASSWORD)
        page.goto(f"/s/alpha/mastery/competencies/{competency.pk}/practice/")
        context.set_offline(True)
        _answer_the_question(page)
        expect(page.locator("#offline-queue")).to_have_text(re.compile(r"^1 answer waiting"))

        lost = []

        def reach_the_server_then_drop_the_answer(route):
            if not lost:
                route.fetch()  # the server records the answer…
                lost.append(True)
                route.abort("connectionreset")  # …and its response never arrives
            else:
                route.continue_()

        page.route("**/mastery/answers/", reach_the_server_then_drop_the_answer)
        context.set_offline(False)
        expect(page.locator("#offline-queue")).to_have_text(re.compile(r"^1 answer waiting to be sent\."))
        assert len(_recorded(school_a)[0]) == 1  # recorded, though the browser does not know it yet
        page.evaluate("window.dispatchEvent(new Event('online'))")  # the next retry, without waiting for it
        expect(page.locator("#offline-queue")).to_have_text(
            re.compile(r"All your answers are sent: 1 answer")
        )
        keys, events = _recorded(school_a)
        assert len(keys) == 1 and events == 1  # sent twice, recorded once
    finally:
        context.close()
    assert violations == []
