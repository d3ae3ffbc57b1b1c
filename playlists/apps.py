from django.apps import AppConfig


class PlaylistsConfig(AppConfig):
    name = "playlists"

    def ready(self):
        # Answer mastery's "items done" readiness rule (see playlists/readiness.py).
        from mastery.readiness import register_items_done_rule
        from playlists.readiness import items_done_rule

        register_items_done_rule(items_done_rule)
