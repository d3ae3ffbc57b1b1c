"""Lesson content that ``seed_demo`` loads into the demo's content items: data, not code (CC BY 4.0, written
for PLP; see the README's demo section)."""
