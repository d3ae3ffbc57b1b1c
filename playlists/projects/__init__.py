"""Projects: a driving question, milestones, a rubric, submissions and rubric scores. ``models`` (imported by
playlists/models/ so Django registers them), ``selectors`` (role-aware reads) and ``services`` (writes)."""
