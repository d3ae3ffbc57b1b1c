"""Reads of the dashboards, one module a job: ``access`` (which sections a user may open), ``reads`` (the
bulk reads a grid is built from), ``grid`` (a section's grid, its frame and per-student parts),
``display`` (its rows filtered and sorted, its small groups), ``attention`` (who needs the teacher, whom to
watch), ``overview`` (the school and district overviews) and ``student`` (one student's drill-down)."""
