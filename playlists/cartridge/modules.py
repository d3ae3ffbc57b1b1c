"""The organization's modules, pure: each module (a child of the root item) becomes a playlist of the contents
it places, in order; loose items gather in a module named after the course."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from playlists.cartridge.model import (
    IMPORT,
    SKIP,
    Cartridge,
    Line,
    Module,
    Resource,
    clip,
)
from plp.time_budget import budget_check


def _item_title(item: ET.Element) -> str:
    return clip(item.findtext("title") or "")


def read_modules(cartridge: Cartridge, manifest: ET.Element, resources: dict[str, Resource]) -> None:
    organization = manifest.find("organizations/organization")
    if organization is None:
        return
    tops = organization.findall("item")
    root = tops[0] if len(tops) == 1 and not tops[0].get("identifierref") else None
    if root is not None and (
        not (root.findtext("title") or "").strip()
        or any(child.findall("item") for child in root.findall("item"))
    ):
        tops = tops[0].findall("item")  # the root item (Canvas "LearningModules", Moodle's course)
    loose = Module(identifier="", title=cartridge.title)
    for item in tops:
        budget_check()
        if item.get("identifierref"):
            _place(cartridge, loose, item, resources)
            continue
        module = Module(identifier=(item.get("identifier") or "").strip(), title=_item_title(item))
        module.title = module.title or f"Module {len(cartridge.modules) + 1}"
        for child in item.findall("item"):
            _walk(cartridge, module, child, resources)
        _keep(cartridge, module)
    if loose.contents or any(line.module == loose.title for line in cartridge.lines):
        loose.identifier = "top-level-items"
        _keep(cartridge, loose)


def _keep(cartridge: Cartridge, module: Module) -> None:
    if module.contents:
        cartridge.modules.append(module)
        cartridge.lines.append(
            Line(
                module.identifier,
                module.title,
                "module",
                IMPORT,
                f"becomes a playlist of {len(module.contents)} item(s)",
            )
        )
    else:
        cartridge.lines.append(
            Line(
                module.identifier,
                module.title,
                "module",
                SKIP,
                "nothing in it can be imported, so no playlist",
            )
        )


def _walk(cartridge: Cartridge, module: Module, item: ET.Element, resources: dict[str, Resource]) -> None:
    budget_check()
    if item.get("identifierref"):
        _place(cartridge, module, item, resources)
    elif item.findall("item"):
        for child in item.findall("item"):  # a sub-section (Moodle): its items join the module, in order
            _walk(cartridge, module, child, resources)
    else:
        cartridge.lines.append(
            Line(
                item.get("identifier") or "",
                _item_title(item),
                "heading",
                SKIP,
                "a text heading inside the module",
                module.title,
            )
        )


def _place(cartridge: Cartridge, module: Module, item: ET.Element, resources: dict[str, Resource]) -> None:
    ref = (item.get("identifierref") or "").strip()
    title = _item_title(item)
    identifier = item.get("identifier") or ref

    def note(result: str, reason: str, what: str = "module item") -> None:
        cartridge.lines.append(Line(identifier, title, what, result, reason, module.title))

    for line in cartridge.lines:  # a resource's line takes the name teachers saw in the course
        if line.identifier == ref and line.what != "question" and not line.title:
            line.title = title
    if ref not in resources:
        note(SKIP, "the manifest has no such resource (the LMS did not export it)")
    elif ref in cartridge.contents:
        if ref in module.contents:
            note(SKIP, "already placed earlier in this module")
            return
        if title:  # the module's name for a page is the one teachers saw in the course
            cartridge.contents[ref].title = title
        module.contents.append(ref)
    elif ref in cartridge.quizzes:
        note(SKIP, "a quiz: it becomes a question bank, not a playlist item", "quiz")
    else:
        reason = next((line.reason for line in cartridge.lines if line.identifier == ref), "not importable")
        note(SKIP, reason)
