"""The demo's content items (a reading, video, exercise or link per competency, readings with real
text) and the playlists that place them, some with a choice board.
"""

from playlists import services
from playlists.demo_content.readings import READINGS
from playlists.models import (
    Competency,
    ContentItem,
    Playlist,
    PlaylistItem,
)

# Playlists: (title, subject, tier, focus area, competency codes, target in days, choice board size).
PLAYLISTS = [
    ("Ratios and rates", "Mathematics", "power", "Ratios", ["6.RP.1", "6.RP.2", "6.RP.3", "6.RP.4"], 21, 0),
    (
        "Expressions and equations",
        "Mathematics",
        "power",
        "Algebra",
        ["6.EE.1", "6.EE.2", "6.EE.3", "6.EE.4"],
        45,
        4,
    ),
    ("Statistics investigations", "Mathematics", "challenge", "Data", ["6.SP.1", "6.SP.2", "6.SP.3"], 70, 0),
    (
        "Building an argument",
        "English Language Arts",
        "power",
        "Argument",
        ["RI.6.8", "W.6.1", "W.7.1"],
        28,
        4,
    ),
    ("Reading for theme", "English Language Arts", "additional", "Literature", ["RL.6.1", "RL.6.2"], 50, 0),
]


KINDS = ["reading", "video", "exercise", "link"]


def _body(code: str, competency: Competency, kind: str) -> str:
    """The item's text: the competency's reading (playlists/demo_content) and short guides to it."""
    if kind == "reading" and code in READINGS:
        return READINGS[code]
    if kind == "exercise":
        return (
            f"## Practise {code}\n\nAnswer the practice questions below: each one shows a worked explanation "
            f"once you have answered. Keep the {code} reading open beside you, and write your steps on paper."
        )
    return (
        f"## {competency.title}\n\nA short introduction to the idea. The {code} reading has the worked "
        "examples; come back to this after it if you want to see the idea again."
    )


def _content(school, competencies: dict[str, Competency]) -> dict[str, list[ContentItem]]:
    """Two or three items per playlist competency, keyed by competency code; a re-run brings their text up to
    date (an older demo had one placeholder sentence)."""
    wanted = []
    for _, _, _, _, codes, _, _ in PLAYLISTS:
        for n, code in enumerate(codes):
            competency = competencies[code]
            for k, kind in enumerate(KINDS[: 2 + (n % 2)]):
                title = f"{code}: {competency.title} ({kind})"
                wanted.append((code, kind, title[:200], k))
    existing = {item.title: item for item in ContentItem.objects.filter(title__in=[w[2] for w in wanted])}
    new, changed = [], []
    for code, kind, title, k in wanted:
        body = _body(code, competencies[code], kind)
        if title in existing:
            if existing[title].body != body:
                existing[title].body = body
                changed.append(existing[title])
            continue
        new.append(
            ContentItem(
                school=school,
                title=title,
                kind=kind,
                body=body,
                url=""
                if kind in {"reading", "exercise"}
                else f"https://example.org/plp-demo/{code.lower()}/{kind}",
                estimated_minutes=10 + 5 * k,
                difficulty=1 + k % 3,
                interest_tags=[["sports", "music", "space"][k % 3]],
                asks_for_file=kind == "exercise",  # worked on paper: a photo of the steps is handed in
            )
        )
    ContentItem.objects.bulk_create(new)
    ContentItem.objects.bulk_update(changed, ["body"])
    items = {item.title: item for item in ContentItem.objects.filter(title__in=[w[2] for w in wanted])}
    links = ContentItem.competencies.through
    links.objects.bulk_create(
        [
            links(contentitem_id=items[title].pk, competency_id=competencies[code].pk)
            for code, _, title, _ in wanted
        ],
        ignore_conflicts=True,
    )
    by_code: dict[str, list[ContentItem]] = {}
    for code, _, title, _ in wanted:
        by_code.setdefault(code, []).append(items[title])
    return by_code


def _playlists(school, items: dict[str, list[ContentItem]]) -> list[tuple[Playlist, str, int]]:
    made = []
    for title, subject_name, tier, focus, codes, days, board_size in PLAYLISTS:
        playlist = Playlist.objects.filter(title=title).first()
        if playlist is None:
            subject = services.subject_get_or_create(name=subject_name)
            playlist = services.playlist_save(title=title, tier=tier, focus_area=focus, subject=subject)
            sequence = [item for code in codes for item in items[code]]
            board = None
            if board_size:
                board = services.choice_board_create(playlist=playlist, label="Show what you know", choose=2)
            rows = []
            for position, item in enumerate(sequence, start=1):
                on_board = board is not None and position > len(sequence) - board_size
                rows.append(
                    PlaylistItem(
                        school=school,
                        playlist=playlist,
                        item=item,
                        position=position,
                        required=position % 5 != 0,
                        choice_board=board if on_board else None,
                    )
                )
            PlaylistItem.objects.bulk_create(rows)
        made.append((playlist, subject_name, days))
    return made
