"""The pieces under the operations: reading Odoo's HTML pages, destinations and sources."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from ops_helpers import leftovers

from zenoo_rpc.errors import InvalidArgument, TransferError
from zenoo_rpc.operations.files import open_destination, open_source
from zenoo_rpc.operations.multipart import MultipartBody
from zenoo_rpc.protocols.html_page import HtmlPage, page_message

WERKZEUG_404 = (
    b"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    b"<p>The requested URL was not found on the server.</p>\n"
)
MANAGER_ERROR = b"""<html><head><title>Odoo</title><script>var x = "<p>no</p>";</script></head>
<body><div class="container"><div class="alert alert-danger" t-out="error">Database backup
error: Access&#32;Denied</div><form><input type="hidden" name="csrf_token" value="abc">
<input name="totp_token"><p>Other text</p></form></div></body></html>"""


def test_werkzeug_error_page() -> None:
    assert page_message(WERKZEUG_404) == "Not Found: The requested URL was not found on the server."


def test_odoo_alert_and_form_inputs() -> None:
    page = HtmlPage(MANAGER_ERROR)
    assert page.alerts == ["Database backup error: Access Denied"]
    assert page.message() == "Database backup error: Access Denied"
    assert page.inputs == {"csrf_token": "abc", "totp_token": ""}
    assert page.title == "Odoo"
    assert "no</p>" not in page.text  # scripts are not text


@pytest.mark.parametrize(
    "content",
    [b"", b"<div><p>unclosed", b"</p></div>stray ends", b"\xff\xfe binary \x00", "x" * 2000],
)
def test_pages_never_break_the_parser(content: bytes | str) -> None:
    message = page_message(content)
    assert len(message) <= 500


async def test_a_failed_download_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"previous version")

    async def broken_transfer() -> None:
        async with open_destination(target) as sink:
            sink.write(b"partial")
            raise RuntimeError("transfer broke")

    with pytest.raises(RuntimeError):
        await broken_transfer()
    assert target.read_bytes() == b"previous version"  # untouched
    assert leftovers(tmp_path) == ["out.bin"]


async def test_a_finished_download_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"previous version")
    async with open_destination(str(target)) as sink:
        sink.write(b"new ")
        sink.write(memoryview(b"content"))
    assert target.read_bytes() == b"new content"
    assert (sink.size, sink.sha1) == (11, hashlib.sha1(b"new content").hexdigest())  # noqa: S324
    assert leftovers(tmp_path) == ["out.bin"]


async def test_destinations_that_cannot_be_written(tmp_path: Path) -> None:
    with pytest.raises(TransferError, match="cannot write"):
        async with open_destination(tmp_path / "missing-dir" / "x.pdf"):
            pass
    with pytest.raises(InvalidArgument):
        async with open_destination(42):  # type: ignore[arg-type]
            pass

    class Full(io.RawIOBase):
        def write(self, data: object) -> int:
            raise OSError(28, "No space left on device")

    with pytest.raises(TransferError, match="No space left"):
        async with open_destination(Full()) as sink:  # type: ignore[arg-type]
            sink.write(b"x")


async def test_sources(tmp_path: Path) -> None:
    path = tmp_path / "in.bin"
    path.write_bytes(b"abcdef" * 100_000)
    from_path = open_source(path)
    assert (from_path.name, from_path.size) == ("in.bin", 600_000)
    assert await from_path.read() == path.read_bytes()

    handle = io.BytesIO(b"0123456789")
    handle.seek(4)
    from_file = open_source(handle)
    assert from_file.size == 6
    assert await from_file.read() == b"456789"

    with pytest.raises(TransferError, match="larger than"):
        await open_source(b"0123456789").read(limit=5)
    with pytest.raises(TransferError):
        open_source(tmp_path)  # a directory
    with pytest.raises(InvalidArgument):
        open_source(3.5)  # type: ignore[arg-type]
    text = io.StringIO("not bytes")
    with pytest.raises(InvalidArgument, match="binary mode"):
        await open_source(text).read()  # type: ignore[arg-type]


async def test_multipart_body_is_exactly_its_length() -> None:
    body = MultipartBody(
        {"master_pwd": "p", "name": "db"}, "backup_file", 'a"b.zip', open_source(b"ZIPDATA")
    )
    data = b"".join([chunk async for chunk in body.chunks()])
    assert len(data) == body.length
    assert body.content_type.startswith("multipart/form-data; boundary=zenoo-")
    assert b'filename="a\\"b.zip"' in data
    assert data.endswith(f"--{body.boundary}--\r\n".encode())
