"""The engine's parts of pages that belong to other apps (as each card of the school home page is its app's
template tag): the page's view never imports the engine, the template asks it for its part."""

from django import template
from django.utils import timezone

from engine.models import StudentRecommendation
from engine.my_work import my_work
from engine.selectors import recommendations_for

register = template.Library()


@register.simple_tag
def next_step_after_pass(student, competency) -> StudentRecommendation | None:
    """The check page's "What next" after a pass: the student's first suggestion as the engine stored it
    (not re-derived here; a stale "take this check" for the competency just mastered is skipped until the
    engine recomputes). One query."""
    return next(
        (
            r
            for r in recommendations_for(student=student)
            if not (r.kind == StudentRecommendation.Kind.CHECK and r.competency_id == competency.pk)
        ),
        None,
    )


@register.inclusion_tag("playlists/_home_next_up.html", takes_context=True)
def home_next_up(context) -> dict:
    """The home page's card: the student's "Next up" (the same choice as on My work), with a link to My
    work."""
    request = context["request"]
    work = my_work(student=request.user, today=timezone.localdate())
    return {"school": context["school"], "work": work, "request": request}
