"""The real cartridges in tests/fixtures/common_cartridge, as the bytes an upload would carry."""

import io
import zipfile
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "common_cartridge"


def cartridge_bytes(name: str) -> bytes:
    """A fixture file as it is, or a fixture folder (an unzipped export) zipped the way an LMS zips it."""
    path = FIXTURES / name
    if path.is_file():
        return path.read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            archive.write(file, file.relative_to(path).as_posix())
    return buffer.getvalue()


def make_zip(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def manifest(resources: str, items: str = "", identifier: str = "made-here") -> str:
    """A minimal CC 1.1 manifest around ``resources`` (and module items), for the error cases only."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{identifier}" xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1">
  <metadata><schema>IMS Common Cartridge</schema><schemaversion>1.1.0</schemaversion></metadata>
  <organizations><organization identifier="org" structure="rooted-hierarchy"><item identifier="root">
    <item identifier="m1"><title>Week 1</title>{items}</item>
  </item></organization></organizations>
  <resources>{resources}</resources>
</manifest>"""
