"""The policy sandbox in a real browser: the school admin reaches it from the home page's navigation, tries
a lower "needs attention" threshold, sees the students it would change and why, and applies it; a what-if
still replaying shows a progress bar that finishes by itself (htmx polling) and shows its results."""

from django.conf import settings
from playwright.sync_api import expect

from engine.models import SandboxRun, SchoolThresholds
from engine.sandbox import sandbox_run_execute
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.e2e.conftest import log_in
from tests.engine.conftest import learning_a  # noqa: F401 (fixtures)
from tests.engine.test_attention_recompute import classroom_days  # noqa: F401
from tests.engine.test_sandbox import stuck_class  # noqa: F401
from tests.factories import TEST_PASSWORD


def test_the_admin_runs_a_what_if_sees_who_changes_and_applies_it(page, school_a, stuck_class):  # noqa: F811
    student = school_a.user(Role.STUDENT)
    log_in(page, school_a.user(Role.SCHOOL_ADMIN).email, TEST_PASSWORD)
    page.goto("/s/alpha/")
    page.get_by_role("navigation", name="Alpha Academy").get_by_role("link", name="Policy sandbox").click()
    expect(page.get_by_role("heading", name="Policy sandbox", level=1)).to_be_visible()

    page.get_by_label("Setting").select_option("attention_enter_score")
    page.get_by_label("New value").fill("0.12")
    page.get_by_label("Replay the last … weeks").fill("4")
    page.get_by_role("button", name="Replay it").click()
    if not settings.CELERY_TASK_ALWAYS_EAGER:  # with a broker (CI): the replay a worker would run
        expect(page.get_by_role("progressbar", name="Replay progress")).to_be_visible()
        with school_scope(school_a.school):
            sandbox_run_execute(run_id=SandboxRun.objects.latest("pk").pk)

    result = page.locator("section", has=page.get_by_role("heading", name="school days"))
    expect(result).to_contain_text("would have changed", timeout=60_000)
    row = result.get_by_role("row", name=student.get_full_name())
    expect(row).to_contain_text("Not flagged →")
    expect(result).to_contain_text("rule flags")  # compared too (unchanged: the entry's score decides none)
    with school_scope(school_a.school):
        assert not SchoolThresholds.objects.exists()  # nothing applied yet

    page.get_by_role("button", name="Apply the change").click()
    expect(page.get_by_role("status").filter(has_text="Applied")).to_be_visible()
    with school_scope(school_a.school):
        assert SchoolThresholds.objects.get().attention_enter_score == 0.12

    # A what-if still queued: its progress bar polls, then the page shows the result by itself.
    with school_scope(school_a.school):
        run = SandboxRun.objects.create(
            school=school_a.school, created_by=school_a.user(Role.SCHOOL_ADMIN), field="pace_margin",
            value_before=0.1, value_after=0.2, weeks=2,
        )  # fmt: skip
    page.goto(f"/s/alpha/engine/sandbox/{run.pk}/")
    expect(page.get_by_role("progressbar", name="Replay progress")).to_be_visible()
    with school_scope(school_a.school):
        sandbox_run_execute(run_id=run.pk, chunk_size=2)
    expect(page.get_by_role("progressbar", name="Replay progress")).to_have_count(0, timeout=15_000)
    expect(page.get_by_role("heading", name="school days")).to_be_visible()
    page.get_by_role("link", name="Policy sandbox").first.click()
    expect(page.get_by_role("table")).to_contain_text("applied")
