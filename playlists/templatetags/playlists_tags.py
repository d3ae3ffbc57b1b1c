from django import template
from django.utils.safestring import mark_safe

from playlists.rendering import render_markdown
from playlists.selectors import section_playlists

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(source: str) -> str:
    """Readings: escaped first, then a small Markdown subset (see playlists/rendering.py)."""
    return mark_safe(render_markdown(source or ""))  # render_markdown escapes all input first


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


# Cards of the school home page (templates/schools/home.html): the page stays the schools app's, the
# content is this app's.


@register.inclusion_tag("playlists/_home_section_playlists.html", takes_context=True)
def home_section_playlists(context, limit: int = 10) -> dict:
    """Playlists assigned to the sections the teacher teaches, nearest target date first (one query)."""
    request = context["request"]
    assignments = list(section_playlists(user=request.user)[: limit + 1])
    return {"school": context["school"], "assignments": assignments[:limit], "more": len(assignments) > limit}
