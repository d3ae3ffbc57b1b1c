"""A teacher checks a real QTI 3.0 package against a bank in the browser, reads the report, imports it."""

from pathlib import Path

from playwright.sync_api import expect

from mastery.models import Question
from plp.tenancy.context import school_scope
from tests.e2e.conftest import log_in
from tests.factories import TEST_PASSWORD, CompetencyFactory, QuestionBankFactory

PACKAGE = Path(__file__).resolve().parents[1] / "fixtures" / "qti" / "interactionMixSaxonyV3.zip"


def test_a_teacher_checks_a_qti_package_reads_the_refusals_and_imports_it(page, school_a):
    competency = CompetencyFactory(framework__school=school_a.school, code="GEO.SN", title="Saxony")
    bank = QuestionBankFactory(competency=competency)
    log_in(page, "teacher@alpha.example.test", TEST_PASSWORD)
    page.goto(f"/s/alpha/mastery/banks/{bank.pk}/")
    page.get_by_role("link", name="Import QTI").click()

    page.get_by_label("QTI file").set_input_files(str(PACKAGE))
    page.get_by_role("button", name="Check (dry run)").click()
    expect(page.get_by_role("heading", name="Dry run: nothing imported yet")).to_be_visible()
    expect(page.get_by_text("5 items can be added, 8 refused.")).to_be_visible()
    expect(page.get_by_role("row", name="Hotspot_278940407")).to_contain_text("hotspot interaction")
    with school_scope(school_a.school):
        assert not Question.objects.filter(bank=bank).exists()

    page.get_by_role("button", name="Import").click()  # the checked file rides along: no second upload
    expect(page.get_by_role("heading", name="Imported")).to_be_visible()
    expect(page.get_by_text("5 items added, 8 refused.")).to_be_visible()
    page.get_by_role("link", name="Back to the bank").click()
    expect(page.get_by_text("Wieviele Einwohner hat der Freistaat Sachsen?")).to_be_visible()
    with school_scope(school_a.school):
        assert Question.objects.filter(bank=bank, is_active=True).count() == 5
