"""Demo content for ``seed_demo``: a middle-school math and ELA framework (60 competencies with
prerequisites), content items, playlists assigned to the demo sections with target dates, some progress,
and a project per ELA section. Idempotent (natural keys, bulk writes with ignore_conflicts)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from playlists import services
from playlists.demo_content.readings import READINGS
from playlists.framework_services import framework_import
from playlists.frameworks.parsed import ParsedCompetency, ParsedFramework
from playlists.models import (
    Competency,
    ContentItem,
    ItemProgress,
    Playlist,
    PlaylistAssignment,
    PlaylistItem,
)
from playlists.projects.models import Milestone, Project, RubricDimension
from playlists.projects.services import milestone_submit
from plp.tenancy.context import school_scope
from schools.demo import demo_pace, demo_struggles
from schools.models import Enrollment, Membership, Section
from schools.roles import Role
from submissions.services import file_vet

# (code, title, prerequisite codes). Codes name the domain: the part before the last dot is its parent. A
# playlist competency's prerequisites are taught by the demo's playlists too, so no student meets a lock they
# have no way to open.
MATH = [
    ("6.RP.1", "Understand ratio language", ""),
    ("6.RP.2", "Understand unit rates", "6.RP.1"),
    ("6.RP.3", "Solve ratio and rate problems with tables and double number lines", "6.RP.2"),
    ("6.RP.4", "Find a percent of a quantity as a rate per 100", "6.RP.3"),
    ("6.NS.1", "Divide fractions by fractions", ""),
    ("6.NS.2", "Divide multi-digit numbers fluently", ""),
    ("6.NS.3", "Add, subtract, multiply and divide decimals", "6.NS.2"),
    ("6.NS.4", "Find greatest common factors and least common multiples", ""),
    ("6.NS.5", "Use positive and negative numbers in context", ""),
    ("6.NS.6", "Place rational numbers on the number line and coordinate plane", "6.NS.5"),
    ("6.NS.7", "Order rational numbers and understand absolute value", "6.NS.6"),
    ("6.EE.1", "Write and evaluate expressions with exponents", ""),
    ("6.EE.2", "Write, read and evaluate expressions with variables", "6.EE.1"),
    ("6.EE.3", "Generate equivalent expressions", "6.EE.2"),
    ("6.EE.4", "Solve one-variable equations and inequalities", "6.EE.3"),
    ("6.EE.5", "Represent relationships between dependent and independent variables", "6.EE.4 6.RP.3"),
    ("6.G.1", "Find the area of triangles and polygons", ""),
    ("6.G.2", "Find the volume of right rectangular prisms", "6.G.1"),
    ("6.G.3", "Draw polygons in the coordinate plane", "6.NS.6"),
    ("6.G.4", "Use nets to find surface area", "6.G.1"),
    ("6.SP.1", "Recognize statistical questions", ""),
    ("6.SP.2", "Describe a distribution by center, spread and shape", "6.SP.1"),
    ("6.SP.3", "Summarize data with mean, median and interquartile range", "6.SP.2"),
    ("7.RP.1", "Compute unit rates with fractions", "6.RP.2 6.NS.1"),
    ("7.RP.2", "Recognize and represent proportional relationships", "7.RP.1 6.EE.5"),
    ("7.RP.3", "Solve multistep ratio and percent problems", "7.RP.2 6.RP.4"),
    ("7.NS.1", "Add and subtract rational numbers", "6.NS.7"),
    ("7.NS.2", "Multiply and divide rational numbers", "7.NS.1"),
    ("7.NS.3", "Solve problems with the four operations on rational numbers", "7.NS.2"),
    ("7.EE.1", "Add, subtract, factor and expand linear expressions", "6.EE.3"),
    ("7.EE.2", "Rewrite expressions to show how quantities relate", "7.EE.1"),
    ("7.EE.3", "Solve multistep problems with rational numbers", "7.NS.3 7.EE.1"),
    ("7.EE.4", "Solve two-step equations and inequalities", "7.EE.3 6.EE.4"),
    ("7.G.1", "Solve problems with scale drawings", "7.RP.2"),
    ("7.G.4", "Use the formulas for area and circumference of a circle", "6.G.1"),
    ("7.SP.1", "Use random sampling to draw inferences", "6.SP.3"),
]
ELA = [
    ("RL.6.1", "Cite textual evidence to support an analysis of a story", ""),
    ("RL.6.2", "Determine a theme and how it is conveyed", "RL.6.1"),
    ("RL.6.3", "Describe how a plot unfolds and characters respond", "RL.6.1"),
    ("RL.7.1", "Cite several pieces of evidence from a story", "RL.6.1"),
    ("RL.7.2", "Analyze how a theme develops over a text", "RL.6.2 RL.7.1"),
    ("RL.7.6", "Analyze how an author develops points of view", "RL.7.1"),
    ("RI.6.1", "Cite evidence from informational texts", ""),
    ("RI.6.2", "Determine a central idea and how it is conveyed", "RI.6.1"),
    ("RI.6.8", "Trace and evaluate an argument and its claims", ""),
    ("RI.7.1", "Cite several pieces of evidence from informational texts", "RI.6.1"),
    ("RI.7.2", "Determine two or more central ideas", "RI.6.2 RI.7.1"),
    ("RI.7.8", "Evaluate whether evidence is relevant and sufficient", "RI.6.8 RI.7.1"),
    ("W.6.1", "Write arguments supporting claims with reasons and evidence", "RI.6.8"),
    ("W.6.2", "Write informative texts that convey ideas clearly", "RI.6.2"),
    ("W.6.7", "Conduct short research projects", "RI.6.1"),
    ("W.7.1", "Write arguments that acknowledge alternate claims", "W.6.1"),
    ("W.7.2", "Write informative texts with relevant facts and quotations", "W.6.2"),
    ("W.7.7", "Conduct research drawing on several sources", "W.6.7"),
    ("W.7.8", "Gather and quote sources while avoiding plagiarism", "W.7.7"),
    ("SL.6.1", "Engage in collaborative discussions", ""),
    ("SL.6.4", "Present claims and findings in a logical sequence", "SL.6.1"),
    ("SL.7.1", "Build on others' ideas in discussions", "SL.6.1"),
    ("SL.7.4", "Present claims with pertinent descriptions and facts", "SL.6.4 W.7.1"),
    ("L.7.1", "Use grammar conventions when writing and speaking", ""),
]

DOMAIN_TITLES = {
    "RP": "Ratios and proportional relationships", "NS": "The number system",
    "EE": "Expressions and equations", "G": "Geometry", "SP": "Statistics and probability",
    "RL": "Reading literature", "RI": "Reading informational text", "W": "Writing",
    "SL": "Speaking and listening", "L": "Language",
}  # fmt: skip

# Playlists: (title, subject, tier, focus area, competency codes, target in days, choice board size).
PLAYLISTS = [
    ("Ratios and rates", "Mathematics", "power", "Ratios", ["6.RP.1", "6.RP.2", "6.RP.3", "6.RP.4"], 21, 0),
    (
        "Expressions and equations",
        "Mathematics",
        "power",
        "Algebra",
        ["6.EE.1", "6.EE.2", "6.EE.3", "6.EE.4"],
        45,
        4,
    ),
    ("Statistics investigations", "Mathematics", "challenge", "Data", ["6.SP.1", "6.SP.2", "6.SP.3"], 70, 0),
    (
        "Building an argument",
        "English Language Arts",
        "power",
        "Argument",
        ["RI.6.8", "W.6.1", "W.7.1"],
        28,
        4,
    ),
    ("Reading for theme", "English Language Arts", "additional", "Literature", ["RL.6.1", "RL.6.2"], 50, 0),
]
KINDS = ["reading", "video", "exercise", "link"]
FILE_MILESTONE = "Lunch survey results: attach your data file (spreadsheet, CSV or PDF)"
MILESTONES = [
    ("Research brief", 10),
    (FILE_MILESTONE, 17),
    ("Argument draft", 24),
    ("Pitch to the board", 35),
]
# What the first student of each ELA section handed in for the file milestone, so the demo shows a file.
SURVEY_CSV = (
    "question,yes,no,not sure\n"
    "Do you eat the school lunch most days?,38,17,5\n"
    "Would you choose fresh fruit over a cookie if both cost the same?,29,21,10\n"
    "Would you pay 25 cents more for a salad bar?,22,30,8\n"
)


def _parsed(title: str, table: list[tuple[str, str, str]], position: int = 0) -> ParsedFramework:
    parsed = ParsedFramework(title=title)
    domains = {}
    for code, name, prerequisites in table:
        grade, domain = code.split(".")[:2] if code[0].isdigit() else (code.split(".")[1], code.split(".")[0])
        domain_code = f"{grade}.{domain}" if code[0].isdigit() else f"{domain}.{grade}"
        if domain_code not in domains:
            domains[domain_code] = ParsedCompetency(
                key=domain_code,
                code=domain_code,
                title=f"Grade {grade}: {DOMAIN_TITLES[domain]}",
                grade_band=grade,
                item_type="Domain",
                position=len(parsed.competencies),
            )
            parsed.competencies.append(domains[domain_code])
        parsed.competencies.append(
            ParsedCompetency(
                key=code,
                code=code,
                title=name,
                grade_band=grade,
                item_type="Standard",
                standard_codes=[code],
                parent_key=domain_code,
                position=len(parsed.competencies),
            )
        )
        parsed.prerequisites.extend((code, p) for p in prerequisites.split())
    return parsed


def _body(code: str, competency: Competency, kind: str) -> str:
    """The item's text: the competency's reading (playlists/demo_content) and short guides to it."""
    if kind == "reading" and code in READINGS:
        return READINGS[code]
    if kind == "exercise":
        return (
            f"## Practise {code}\n\nAnswer the practice questions below: each one shows a worked explanation "
            f"once you have answered. Keep the {code} reading open beside you, and write your steps on paper."
        )
    return (
        f"## {competency.title}\n\nA short introduction to the idea. The {code} reading has the worked "
        "examples; come back to this after it if you want to see the idea again."
    )


def _content(school, competencies: dict[str, Competency]) -> dict[str, list[ContentItem]]:
    """Two or three items per playlist competency, keyed by competency code; a re-run brings their text up to
    date (an older demo had one placeholder sentence)."""
    wanted = []
    for _, _, _, _, codes, _, _ in PLAYLISTS:
        for n, code in enumerate(codes):
            competency = competencies[code]
            for k, kind in enumerate(KINDS[: 2 + (n % 2)]):
                title = f"{code}: {competency.title} ({kind})"
                wanted.append((code, kind, title[:200], k))
    existing = {item.title: item for item in ContentItem.objects.filter(title__in=[w[2] for w in wanted])}
    new, changed = [], []
    for code, kind, title, k in wanted:
        body = _body(code, competencies[code], kind)
        if title in existing:
            if existing[title].body != body:
                existing[title].body = body
                changed.append(existing[title])
            continue
        new.append(
            ContentItem(
                school=school,
                title=title,
                kind=kind,
                body=body,
                url=""
                if kind in {"reading", "exercise"}
                else f"https://example.org/plp-demo/{code.lower()}/{kind}",
                estimated_minutes=10 + 5 * k,
                difficulty=1 + k % 3,
                interest_tags=[["sports", "music", "space"][k % 3]],
                asks_for_file=kind == "exercise",  # worked on paper: a photo of the steps is handed in
            )
        )
    ContentItem.objects.bulk_create(new)
    ContentItem.objects.bulk_update(changed, ["body"])
    items = {item.title: item for item in ContentItem.objects.filter(title__in=[w[2] for w in wanted])}
    links = ContentItem.competencies.through
    links.objects.bulk_create(
        [
            links(contentitem_id=items[title].pk, competency_id=competencies[code].pk)
            for code, _, title, _ in wanted
        ],
        ignore_conflicts=True,
    )
    by_code: dict[str, list[ContentItem]] = {}
    for code, _, title, _ in wanted:
        by_code.setdefault(code, []).append(items[title])
    return by_code


def _playlists(school, items: dict[str, list[ContentItem]]) -> list[tuple[Playlist, str, int]]:
    made = []
    for title, subject_name, tier, focus, codes, days, board_size in PLAYLISTS:
        playlist = Playlist.objects.filter(title=title).first()
        if playlist is None:
            subject = services.subject_get_or_create(name=subject_name)
            playlist = services.playlist_save(title=title, tier=tier, focus_area=focus, subject=subject)
            sequence = [item for code in codes for item in items[code]]
            board = None
            if board_size:
                board = services.choice_board_create(playlist=playlist, label="Show what you know", choose=2)
            rows = []
            for position, item in enumerate(sequence, start=1):
                on_board = board is not None and position > len(sequence) - board_size
                rows.append(
                    PlaylistItem(
                        school=school,
                        playlist=playlist,
                        item=item,
                        position=position,
                        required=position % 5 != 0,
                        choice_board=board if on_board else None,
                    )
                )
            PlaylistItem.objects.bulk_create(rows)
        made.append((playlist, subject_name, days))
    return made


def _assign_and_progress(school, made) -> None:
    """Demo seeding: the playlists assigned to every section and each student's progress on them at their
    own pace. Long on purpose: the progress is made from the assignments just written, in bulk."""
    today = timezone.localdate()
    sections = list(Section.objects.all())
    assignments = []
    for playlist, subject, days in made:
        for section in sections:
            if section.subject == subject:
                assignments.append(
                    PlaylistAssignment(
                        school=school,
                        playlist=playlist,
                        section=section,
                        start_date=today - dt.timedelta(days=14),
                        target_date=today + dt.timedelta(days=days),
                    )
                )
    PlaylistAssignment.objects.bulk_create(assignments, ignore_conflicts=True)
    # Progress on every playlist, as a real class makes it: each student at their own pace against the
    # plan (schools.demo.demo_pace), the items done spread over the days since the assignment, and the
    # few who struggle having done a little in the first days and little since.
    now = timezone.now()
    ordinal = {
        user_id: n
        for n, user_id in enumerate(
            Membership.objects.filter(role=Role.STUDENT)
            .order_by("user__email")
            .values_list("user_id", flat=True)
        )
    }
    progress = []
    for assignment in PlaylistAssignment.objects.filter(section__isnull=False).select_related("section"):
        item_ids = list(
            PlaylistItem.objects.filter(playlist_id=assignment.playlist_id)
            .exclude(item__kind=ContentItem.Kind.LTI_TOOL)  # done only when the tool sends a score
            .order_by("position")
            .values_list("item_id", flat=True)
        )
        span = max((assignment.target_date - assignment.start_date).days, 1)
        elapsed = max((today - assignment.start_date).days, 0)
        students = Enrollment.objects.filter(
            role="student", section_id=assignment.section_id, is_active=True
        ).values_list("user_id", flat=True)
        for student_id in students:
            n = ordinal.get(student_id, 0)
            share = min(elapsed / span * demo_pace(n), 1.0)
            done = round(share * len(item_ids))
            for k, item_id in enumerate(item_ids[:done]):
                # Steady since the start, or (struggling) a start in the first days and then nothing.
                steady = round(elapsed * (1 - (k + 1) / (done + 1)))
                days_ago = elapsed - k if demo_struggles(n) else steady
                completed = now - dt.timedelta(days=max(days_ago, 0))
                progress.append(
                    ItemProgress(
                        school=school,
                        student_id=student_id,
                        item_id=item_id,
                        status=ItemProgress.Status.DONE,
                        seconds_spent=600,
                        started_at=completed - dt.timedelta(minutes=20),
                        completed_at=completed,
                    )
                )
    ItemProgress.objects.bulk_create(progress, batch_size=2000, ignore_conflicts=True)


def _projects(school, competencies: dict[str, Competency]) -> None:
    today = timezone.localdate()
    for section in Section.objects.filter(subject="English Language Arts"):
        if Project.objects.filter(section=section).exists():
            continue
        project = Project.objects.create(
            school=school,
            section=section,
            title="A fair lunch for everyone",
            driving_question="How might we convince the school board to change how lunch is funded?",
        )
        Milestone.objects.bulk_create(
            [
                Milestone(
                    school=school,
                    project=project,
                    title=title,
                    due_date=today + dt.timedelta(days=days),
                    position=n,
                )
                for n, (title, days) in enumerate(MILESTONES, start=1)
            ]
        )
        _survey_file_handed_in(project)
        for position, (name, codes) in enumerate(
            [
                ("Research", ["W.7.7", "W.7.8"]),
                ("Argument", ["W.7.1", "RI.7.8"]),
                ("Communication", ["SL.7.4"]),
            ],
            start=1,
        ):
            dimension = RubricDimension.objects.create(
                school=school,
                project=project,
                name=name,
                position=position,
                level_1="Beginning: the skill is not yet visible",
                level_2="Developing: parts of the skill, with support",
                level_3="Proficient: the skill, independently",
                level_4="Advanced: the skill, with insight and nuance",
            )
            dimension.competencies.set([competencies[c] for c in codes])


def _survey_file_handed_in(project: Project) -> None:
    """The section's first student hands in the survey data for the file milestone, through the same vetting
    and storage as an upload from the page (submissions.services)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    milestone = Milestone.objects.filter(project=project, title=FILE_MILESTONE).first()
    student_id = (
        Enrollment.objects.filter(section_id=project.section_id, role="student", is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .first()
    )
    if milestone is None or student_id is None:
        return
    upload = SimpleUploadedFile("lunch-survey.csv", SURVEY_CSV.encode(), "text/csv")
    milestone_submit(
        milestone=milestone,
        student=get_user_model().objects.get(pk=student_id),
        text="Our class survey of 60 students in the cafeteria line.",
        links=[],
        file=file_vet(upload=upload),
    )


def seed(*, result) -> None:
    for school in result.schools:
        with school_scope(school):
            framework_import(
                parsed=_parsed("PLP Middle School Mathematics", MATH), subject_name="Mathematics"
            )
            framework_import(
                parsed=_parsed("PLP Middle School ELA", ELA), subject_name="English Language Arts"
            )
            competencies = {c.code: c for c in Competency.objects.all()}
            items = _content(school, competencies)
            made = _playlists(school, items)
            _assign_and_progress(school, made)
            _projects(school, competencies)
