"""The heatmap's rows as HTML, built in Python: a 200 × 60 grid is 12,000 cells, and a template loop
over them would cost more than every query of the page together. Every value is escaped here."""

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dashboard.selectors.grid import SectionDashboard, StudentRow
from mastery.models import MasteryStatus
from plp.timefmt import format_day

# The words for each state, and its short class: a 200 × 60 grid has 12,000 cells, so every byte of a cell
# counts 12,000 times. The stylesheet draws each class's colour and symbol (colour is never the only
# signal) and names the state to screen readers, in the grid and in its key.
STATE_CLASS = {
    MasteryStatus.NOT_STARTED: ("sn", MasteryStatus.NOT_STARTED.label),
    MasteryStatus.PRACTICING: ("sp", MasteryStatus.PRACTICING.label),
    MasteryStatus.READY: ("sr", MasteryStatus.READY.label),
    MasteryStatus.MASTERED: ("sm", MasteryStatus.MASTERED.label),
}
NOT_STARTED_CLASS = STATE_CLASS[MasteryStatus.NOT_STARTED][0]  # the grid's cells leave it out


_CELLS: dict[tuple[str, int | None], str] = {}


def _cell(status: str, p: float | None) -> str:
    """Cached per (state, whole percent): at most 4 × 101 distinct strings."""
    key = (status, None if p is None else round(100 * p))
    html = _CELLS.get(key)
    if html is None:
        html = _CELLS[key] = _cell_html(status, p)
    return html


def _cell_html(status: str, p: float | None) -> str:
    """One short cell: the state as a class (none for "not started", the most common), which the stylesheet
    draws as a colour and symbol and names to screen readers (CSS ``content`` alt text), and the estimate
    in whole percent as visible text, read with its column header (scope="col"). No tooltip, ``title``
    or nested element, and no ``</td>`` (HTML lets a cell's end tag go): each would repeat 12,000 times
    in a 200 × 60 grid, which is mostly cells."""
    css = STATE_CLASS.get(status, STATE_CLASS[MasteryStatus.NOT_STARTED])[0]
    estimate = "" if p is None else round(100 * p)
    return f"<td>{estimate}" if css == NOT_STARTED_CLASS else f"<td class={css}>{estimate}"


# How many grid rows this process has rendered: the tests and the bench read it to show that a learning
# event re-renders one row, not the page.
RENDERS = {"rows": 0, "attention": 0}


def student_base(school_slug: str) -> str:
    """The start of a student's page URL (their id and a slash follow)."""
    return reverse("dashboard:student", kwargs={"school_slug": school_slug, "student_id": 0})[:-2]


def row_html(row: StudentRow, base: str) -> str:
    """One student's grid row."""
    RENDERS["rows"] += 1
    student = row.student
    name = escape(str(student))
    last = format_day(row.last_active) if row.last_active else "never"
    flags = len(row.flags)
    flag_text = f"⚑ {flags}" if flags else "—"
    return "".join(
        [
            f'<tr id="student-{student.pk}"><th scope="row"><a href="{base}{student.pk}/">{name}</a></th>'
            f'<td class="pace pace-{row.pace}">{escape(row.pace.label)}'
            f"{' <small>' + row.reading.short + '</small>' if row.reading.short else ''}"
            f"<i>{escape(row.reading.explanation)}</i></td>"
            f"<td class=la>{last}</td>"
            f'<td class="flags{" has-flags" if flags else ""}">{flag_text}'
            f'<span class="visually-hidden"> open flags</span></td>',
            *(_cell(status, p) for status, p in row.cells),
            "</tr>",
        ]
    )


def ready_list(dashboard: SectionDashboard, school_slug: str) -> SafeString:
    """The "ready for a mastery check" list, one line per competency with its students (a class may have
    hundreds of such pairs: built here, not in a template loop)."""
    base = student_base(school_slug)
    by_competency: dict[int, list] = {}
    for student, competency, p in dashboard.ready:
        by_competency.setdefault(competency.pk, [competency]).append((student, p))
    out = []
    for competency, *students in by_competency.values():
        links = ", ".join(
            f'<a href="{base}{s.pk}/">{escape(str(s))}</a> ({round(100 * p)}%)' for s, p in students
        )
        out.append(
            f"<li><strong>{escape(competency.code)}</strong> {escape(competency.title)} "
            f"({len(students)}): {links}</li>"
        )
    return mark_safe("".join(out))


def chart_table(points) -> SafeString:
    """The mastery chart's rows as a table's body, one row per day (built here: a term has a row a day)."""
    return mark_safe(
        "".join(f"<tr><td>{format_day(p.day)}</td><td>{round(p.value)}</td></tr>" for p in points)
    )
