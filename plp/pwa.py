"""The installable web app: its manifest, its service worker (served from the site root, so its scope is
the whole site) and the page shown offline when a page was never saved on the device.

None of them carries a person's or a school's data: the manifest and the worker are the same for everyone,
and the worker keeps copies of the pages a student opened (My work, practice, their level) only in that
student's browser, deleting them when someone logs out."""

import hashlib
import json

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# Cached in the browser for a minute only: a new worker reaches everyone quickly after a deploy (browsers
# also check the worker's script for changes at most every 24 hours whatever the header says).
WORKER_MAX_AGE = 60


@require_safe
@cache_control(max_age=3600, public=True)
def manifest(request):
    body = {
        "name": "PLP — personalized learning",
        "short_name": "PLP",
        "description": "Your work, practice and goals, on any device — practice keeps working offline.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f4e79",
        "icons": [
            {"src": static("icons/plp-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/plp-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/plp-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(json.dumps(body), content_type="application/manifest+json")


def _shell() -> list[str]:
    return [
        static("css/plp.css"),
        static("js/plp.js"),
        static("js/offline-practice.js"),
        static("icons/plp-192.png"),
        "/offline/",
    ]


@require_safe
@cache_control(max_age=WORKER_MAX_AGE)
def service_worker(request):
    """The worker's script, from a template so it names the static files as deployed (hashed names in
    production): a deploy that changes one changes the worker, which then refreshes its copies."""
    shell = _shell()
    version = hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12]
    script = render_to_string("pwa/sw.js", {"shell": json.dumps(shell), "version": version})
    return HttpResponse(script, content_type="application/javascript; charset=utf-8")


@require_safe
def offline(request):
    """What the worker shows for a page never saved on this device, when the network is gone."""
    return render(request, "pwa/offline.html")
