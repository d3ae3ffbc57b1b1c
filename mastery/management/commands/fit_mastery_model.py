from django.core.management.base import BaseCommand, CommandError

from mastery.fit_services import MIN_ANSWERS, MIN_STUDENTS, school_model_fit
from plp.tenancy.context import school_scope
from schools.models import School


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = (
        "Fit each competency's BKT parameters (our own EM) from a school's practice history, report the fit "
        "on held-out students (log-loss, AUC) and store the parameters."
    )

    def add_arguments(self, parser):
        parser.add_argument("school", help="The school's slug.")
        parser.add_argument("--min-students", type=int, default=MIN_STUDENTS)
        parser.add_argument("--min-answers", type=int, default=MIN_ANSWERS)

    def handle(self, *args, school: str, min_students: int, min_answers: int, **options):
        found = School.objects.filter(slug=school).first()
        if found is None:
            raise CommandError(f"No school with slug {school!r}.")
        with school_scope(found):
            reports = school_model_fit(min_students=min_students, min_answers=min_answers)
        fitted = [r for r in reports if r.fitted]
        for report in reports:
            head = f"{report.competency.code}: {report.students} students, {report.answers} answers"
            if report.left_out:
                head += f" ({report.left_out} wheel-spinning students left out)"
            if not report.fitted:
                self.stdout.write(f"{head} — skipped ({report.note})")
                continue
            p = report.params
            self.stdout.write(
                f"{head} — p_init={p.p_init:.3f} p_learn={p.p_learn:.3f} p_guess={p.p_guess:.3f} "
                f"p_slip={p.p_slip:.3f}; held-out log-loss={_fmt(report.log_loss)} AUC={_fmt(report.auc)} "
                f"RMSE={_fmt(report.rmse)} "
                f"({report.note})"
            )
        self.stdout.write(f"Fitted {len(fitted)} of {len(reports)} competencies of {found.name}.")
