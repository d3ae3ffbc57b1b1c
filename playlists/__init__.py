"""Competency frameworks, content, playlists, projects and the next-item engine (models: own issue)."""
