"""The cartridge's manifest, pure: its schema version, its title, its resources and which of them the
organization places."""

from __future__ import annotations

import posixpath
from xml.etree import ElementTree as ET

from playlists.cartridge.model import (
    NAMESPACE_VERSIONS,
    Resource,
    clip,
)


def manifest_version(manifest: ET.Element, raw: bytes) -> str:
    declared = (manifest.findtext("metadata/schemaversion") or "").strip()
    if declared:
        return declared
    head = raw[:4000].decode("utf-8", "replace")
    for marker, version in NAMESPACE_VERSIONS.items():
        if marker in head:
            return version
    return ""


def manifest_title(manifest: ET.Element) -> str:
    metadata = manifest.find("metadata")
    if metadata is not None:
        for general in metadata.iter("general"):
            for title in general.iter("title"):
                text = "".join(title.itertext())
                if text.strip():
                    return clip(text)
    return ""


def manifest_resources(manifest: ET.Element, base: str) -> dict[str, Resource]:
    found: dict[str, Resource] = {}
    for resource in manifest.iter("resource"):
        identifier = (resource.get("identifier") or "").strip()
        if not identifier or identifier in found:
            continue
        root = posixpath.join(base, resource.get("base", "")) if resource.get("base") else base
        found[identifier] = Resource(
            identifier=identifier,
            type=(resource.get("type") or "").strip(),
            href=resource.get("href") or "",
            files=[f.get("href") or "" for f in resource.findall("file")],
            base=root,
        )
    return found


def placed_refs(manifest: ET.Element) -> set[str]:
    return {ref for item in manifest.iter("item") if (ref := (item.get("identifierref") or "").strip())}


def main_file(resource: Resource, suffixes: tuple[str, ...]) -> str:
    if resource.href and resource.href.lower().endswith(suffixes):
        return resource.href
    return next((f for f in resource.files if f.lower().endswith(suffixes)), resource.href)
