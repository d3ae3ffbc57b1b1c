from django import template
from django.utils.safestring import mark_safe

from playlists.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(source: str) -> str:
    """Readings: escaped first, then a small Markdown subset (see playlists/rendering.py)."""
    return mark_safe(render_markdown(source or ""))  # render_markdown escapes all input first


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
