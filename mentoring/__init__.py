"""Goals, mentor check-ins and interventions (models arrive with their issue)."""
