from django.apps import AppConfig


class PlaylistsConfig(AppConfig):
    name = "playlists"

    def ready(self):
        from playlists import xapi_names
        from xapi import objects

        # xAPI statements name items and competencies (xapi sits below playlists).
        objects.register(items=xapi_names.items, competencies=xapi_names.competencies)
