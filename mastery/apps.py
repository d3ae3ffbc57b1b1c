from django.apps import AppConfig


class MasteryConfig(AppConfig):
    name = "mastery"

    def ready(self):
        # Playlists (below mastery in the app layers) answer the "items done" readiness rule
        # (playlists/readiness.py); mastery plugs it in, so playlists never import mastery for it.
        from mastery import selectors, services, xapi_names
        from mastery.readiness import register_items_done_rule
        from playlists import evidence, mastery_states
        from playlists.readiness import items_done_rule
        from xapi import objects as xobjects

        register_items_done_rule(items_done_rule)
        # Items done and rubric scores are evidence: the playlists services ask through playlists.evidence.
        evidence.register(services)
        # An item's lock, who an authoring change may unlock items for, and which items count as done by
        # mastery read mastery states: the
        # playlists selectors ask through playlists.mastery_states.
        mastery_states.register(
            mastered=selectors.mastered_competency_ids,
            holders=selectors.students_with_states,
            mastered_by=selectors.mastered_by_students,
        )
        # xAPI statements name questions and take back a mastery (xapi sits below mastery).
        xobjects.register(questions=xapi_names.questions, mastered_by=xapi_names.mastered_by)
