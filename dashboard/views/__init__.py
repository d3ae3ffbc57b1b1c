"""The dashboards' pages, one module a screen: ``section`` (a section's grid, its polls, flags and CSV),
``overview`` (the school and district overviews) and ``student`` (one student's drill-down)."""
