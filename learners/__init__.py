"""Learner profiles and personal learning plans (models arrive with their issue)."""
