"""The demo's external LTI tool: a sample registration per school pointing at the suite's test tool run on
this machine (tests/lti_platform/tool.py: ``python -m tests.lti_platform.tool``, see the README), and one tool
item aligned to 6.RP.1 at the end of the "Ratios and rates" playlist. Idempotent: a re-run changes nothing."""

from lti_platform import services
from lti_platform.models import ToolItem, ToolRegistration
from playlists.models import Competency, Playlist
from plp.tenancy.context import school_scope

SAMPLE_TOOL_BASE = "http://127.0.0.1:8765"  # where `python -m tests.lti_platform.tool` listens
SAMPLE_TOOL_NAME = "Sample LTI tool (PLP's test tool)"
ITEM_TITLE = "6.RP.1: Ratio lab (external tool, sample)"
PLAYLIST_TITLE = "Ratios and rates"


def seed(*, result) -> None:
    for school in result.schools:
        with school_scope(school):
            tool = ToolRegistration.objects.filter(name=SAMPLE_TOOL_NAME).first()
            if tool is None:
                tool = services.tool_save(
                    tool=ToolRegistration(
                        school=school,
                        name=SAMPLE_TOOL_NAME,
                        client_id=f"plp-demo-tool-{school.slug}",
                        deployment_id="plp-demo-deployment",
                        login_url=f"{SAMPLE_TOOL_BASE}/login",
                        launch_url=f"{SAMPLE_TOOL_BASE}/launch",
                        key_set_url=f"{SAMPLE_TOOL_BASE}/jwks",
                    )
                )
            if ToolItem.objects.filter(tool=tool).exists():
                continue
            playlist = Playlist.objects.filter(title=PLAYLIST_TITLE).first()
            competency = Competency.objects.filter(code="6.RP.1").first()
            if playlist is None or competency is None:
                continue
            services.tool_item_create(
                tool=tool,
                title=ITEM_TITLE,
                competencies=[competency],
                playlist=playlist,
                score_maximum=10,
                estimated_minutes=15,
            )
