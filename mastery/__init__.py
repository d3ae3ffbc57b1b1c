"""Question banks, mastery checks and mastery estimates (models arrive with their issue)."""
