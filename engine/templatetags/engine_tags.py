"""The engine's parts of pages that belong to the apps below it (as the home page's cards are the apps'
template tags): the page's view never imports the engine, the template asks it for its part."""

from django import template

from engine.models import StudentRecommendation
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
