"""``read_cartridge``, pure: the upload as a whole (a zip under the roster upload's guard, one Common
Cartridge manifest of a supported version), then its resources and modules."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from mastery.qti.parsing import MAX_DEPTH, QtiError, depth, parse_xml
from playlists.cartridge.manifest import manifest_resources, manifest_title, manifest_version, placed_refs
from playlists.cartridge.model import (
    READ_SUFFIXES,
    Cartridge,
    CartridgeError,
)
from playlists.cartridge.modules import read_modules
from playlists.cartridge.resources import read_resource
from plp.time_budget import budget_check
from schools.rostering.reading import Limits, files_from_package


def read_cartridge(data: bytes, *, limits: Limits, max_questions: int = 2000) -> Cartridge:
    """The cartridge in ``data`` (the ``.imscc`` zip), read resource by resource; CartridgeError if the
    upload as a whole is unusable."""
    files = _files(data, limits=limits)
    path, manifest, version = _manifest(files)
    identifier = (manifest.get("identifier") or "").strip()
    if not identifier:
        raise CartridgeError("The manifest has no identifier, so a later re-import could not find this one.")
    base = posixpath.dirname(path)
    cartridge = Cartridge(
        identifier=identifier, title=manifest_title(manifest) or "Imported course", version=version
    )
    resources = manifest_resources(manifest, base)
    placed = placed_refs(manifest)
    dependencies = {
        ref
        for r in manifest.iter("resource")
        for d in r.iter("dependency")
        if (ref := d.get("identifierref"))
    }
    questions = 0
    for resource in resources.values():
        budget_check()
        read_resource(
            cartridge,
            resource,
            files,
            placed=resource.identifier in placed,
            dependency=resource.identifier in dependencies,
        )
        quiz = cartridge.quizzes.get(resource.identifier)
        if quiz:
            questions += len(quiz.questions)
            if questions > max_questions:
                raise CartridgeError(f"The cartridge holds more than {max_questions} questions; split it.")
    read_modules(cartridge, manifest, resources)
    return cartridge


def _files(data: bytes, *, limits: Limits) -> dict[str, bytes]:
    """The zip's pages and XML by normalised path (under the roster upload's guard; a path that climbs out
    with ``..`` is left out)."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise CartridgeError("This is not a zip file: a Common Cartridge is a .imscc (zip) export.")
    files = files_from_package(
        data,
        limits=limits,
        suffixes=READ_SUFFIXES,
        refused=CartridgeError,
        too_large="The cartridge unpacks to more than {mb} MB of pages and XML, or holds more than {entries} "
        "files: far more than a course export.",
    )
    return {
        posixpath.normpath(name): content for name, content in files.items() if ".." not in name.split("/")
    }


def _manifest(files: dict[str, bytes]):
    """The outermost ``imsmanifest.xml``: its path, its parsed root and the Common Cartridge version it
    declares, refused unless it is a Common Cartridge manifest of a supported version."""
    manifests = sorted((p for p in files if posixpath.basename(p) == "imsmanifest.xml"), key=len)
    if not manifests:
        raise CartridgeError("The zip has no imsmanifest.xml: it is not a Common Cartridge export.")
    try:
        manifest = parse_xml(files[manifests[0]], source=manifests[0])
    except QtiError as error:
        raise CartridgeError(str(error)) from error
    if manifest.tag != "manifest":
        raise CartridgeError(f"{manifests[0]} is not a content package manifest.")
    if depth(manifest) > MAX_DEPTH:  # the modules are walked recursively; real ones nest a few levels
        raise CartridgeError(f"{manifests[0]} nests more than {MAX_DEPTH} levels deep: not a course export.")
    schema = (manifest.findtext("metadata/schema") or "").strip()
    raw = files[manifests[0]]
    version = manifest_version(manifest, raw)
    if "Common Cartridge" not in schema and b"imscc" not in raw[:4000]:
        raise CartridgeError(
            f"The manifest describes {schema or 'an unknown package'!r}, not an IMS Common Cartridge."
        )
    if version and not re.match(r"^1\.[0-3](\.|$)", version):
        raise CartridgeError(f"Common Cartridge {version} is not supported (1.0 to 1.3 are).")
    return manifests[0], manifest, version
