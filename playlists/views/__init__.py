"""The pages of the playlists app, one module a job: ``student`` (My work and item pages), ``frameworks``
(competency frameworks and prerequisites), ``authoring`` (items, playlists, assignment)
and ``projects`` (projects, milestones, rubric scoring)."""
