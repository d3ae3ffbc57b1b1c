"""The sniffer decides what a file is from its bytes: allowed kinds pass, a name that lies is refused with
what the file really is, and the size and kind limits come from the deployment."""

import io

import pytest

from submissions.filetypes import KINDS, FileRefused, check, sniff
from tests.submissions import files

ALL = tuple(KINDS)
MB = 1024 * 1024


def _check(name, data, *, max_bytes=MB, allowed=ALL):
    return check(name=name, stream=io.BytesIO(data), size=len(data), max_bytes=max_bytes, allowed=allowed)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (files.PDF, "pdf"),
        (files.PNG, "png"),
        (files.JPEG, "jpeg"),
        (files.GIF, "gif"),
        (files.WEBP, "webp"),
        (files.TEXT, "txt"),
        (files.DOCX, "docx"),
        (files.office("xl/workbook.xml"), "xlsx"),
        (files.office("ppt/presentation.xml"), "pptx"),
        (files.ODT, "odt"),
        (files.opendocument("application/vnd.oasis.opendocument.spreadsheet"), "ods"),
    ],
)
def test_each_allowed_kind_is_recognised_by_its_content(data, kind):
    assert sniff(io.BytesIO(data)) == kind


@pytest.mark.parametrize(
    ("data", "what"),
    [(files.WINDOWS_PROGRAM, "a Windows program"), (files.LINUX_PROGRAM, "a Linux program")],
)
def test_a_pdf_that_is_really_a_program_is_refused_saying_so(data, what):
    with pytest.raises(FileRefused, match=f"named .pdf but it is {what}"):
        _check("essay.pdf", data)


@pytest.mark.parametrize("data", [files.WEB_PAGE, files.SVG])
def test_a_pdf_or_text_file_that_is_really_a_web_page_is_refused(data):
    with pytest.raises(FileRefused, match=r"named \.pdf but it is a web page"):
        _check("essay.pdf", data)
    with pytest.raises(FileRefused, match=r"named \.txt but it is a web page"):
        _check("notes.txt", data)


def test_a_name_that_claims_another_allowed_kind_is_refused_with_what_it_is():
    with pytest.raises(FileRefused, match=r"named \.pdf but its content is a PNG image"):
        _check("essay.pdf", files.PNG)
    with pytest.raises(FileRefused, match=r"named \.docx but its content is not"):
        _check("essay.docx", files.PLAIN_ZIP)


def test_binary_garbage_is_not_text():
    with pytest.raises(FileRefused, match=r"named \.txt but its content is not"):
        _check("notes.txt", b"\x00\x01\x02 binary")
    with pytest.raises(FileRefused, match=r"named \.txt"):
        _check("notes.txt", b"\xff\xfe\xfa latin-1 garbage \xe9\xe9 more")


def test_size_and_allowed_kinds_come_from_the_caller():
    assert _check("essay.pdf", files.PDF).content_type == "application/pdf"
    with pytest.raises(FileRefused, match=r"The file is 1 KB; files may be at most 100 bytes"):
        _check("essay.pdf", files.PDF + b" " * (1024 - len(files.PDF)), max_bytes=100)
    with pytest.raises(FileRefused, match=r"not accepted\. Accepted: \.png"):
        _check("essay.pdf", files.PDF, allowed=("png",))
    with pytest.raises(FileRefused, match="not accepted"):
        _check("program.exe", files.WINDOWS_PROGRAM)
    with pytest.raises(FileRefused, match="empty"):
        _check("essay.pdf", b"")


def test_the_upper_case_extension_is_the_same_kind():
    assert _check("PHOTO.JPG", files.JPEG).key == "jpeg"
