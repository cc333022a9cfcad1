"""Attachments: upload, download (streamed over ``/web/content`` or read as ``datas``), limits."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from ops_helpers import TRANSPORTS, leftovers

from zenoo_rpc import ZenooClient
from zenoo_rpc.errors import (
    AttachmentTooLarge,
    ChecksumMismatch,
    InvalidArgument,
    MissingError,
    TransferError,
)
from zenoo_rpc.operations import AttachmentInfo
from zenoo_rpc.operations.attachments import STREAM_ABOVE
from zenoo_rpc.testing.emulator.server import Emulator

CONTENT = b"%PDF-1.4 not really a pdf\n" + bytes(range(256)) * 40


class Pipe:
    """A readable stream whose size nobody knows in advance (no seek, no tell)."""

    def __init__(self, data: bytes) -> None:
        self._buffer = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._buffer.read(size)


def tamper(emulator: Emulator, attachment_id: int, **values: object) -> None:
    """Change stored columns behind the ORM's back (a lying ``file_size`` or ``checksum``)."""
    table = emulator.database().registry.store.tables["ir.attachment"]
    for name, value in values.items():
        table.set(attachment_id, name, value)


async def test_round_trip_through_datas(client: ZenooClient, emulator: Emulator) -> None:
    fault = emulator.faults.latency(0, path="/web/content/*")
    new_id = await client.attachments.upload(
        CONTENT, name="contract.pdf", res_model="res.partner", res_id=3
    )
    sink = io.BytesIO()
    info = await client.attachments.download(new_id, sink)
    assert sink.getvalue() == CONTENT
    assert info == AttachmentInfo(
        id=new_id,
        name="contract.pdf",
        mimetype="application/pdf",
        file_size=len(CONTENT),
        checksum=hashlib.sha1(CONTENT).hexdigest(),  # noqa: S324 - Odoo's checksum
        res_model="res.partner",
        res_id=3,
    )
    assert await client.attachments.info(new_id) == info
    assert fault.hits == 0  # small file, no web session of its own: one read of ``datas``


async def test_round_trip_of_a_path_streamed_over_the_web_session(
    web_client: ZenooClient, emulator: Emulator, tmp_path: Path
) -> None:
    source = tmp_path / "photo.bin"
    source.write_bytes(CONTENT * 3)
    fault = emulator.faults.latency(0, path="/web/content/*")
    new_id = await web_client.attachments.upload(source, mimetype="application/octet-stream")
    target = tmp_path / "copy.bin"
    info = await web_client.attachments.download(new_id, target)
    assert target.read_bytes() == source.read_bytes()
    assert info.name == "photo.bin"
    assert info.mimetype == "application/octet-stream"
    assert (info.res_model, info.res_id) == (None, None)
    assert fault.hits == 1
    assert leftovers(tmp_path) == ["copy.bin", "photo.bin"]


async def test_large_file_streams_through_a_side_session(
    client: ZenooClient, emulator: Emulator
) -> None:
    content = os.urandom(STREAM_ABOVE + 4096)
    new_id = await client.attachments.upload(content, name="big.bin", max_size=None)
    fault = emulator.faults.latency(0, path="/web/content/*")
    sink = io.BytesIO()
    await client.attachments.download(new_id, sink)
    assert sink.getvalue() == content
    assert fault.hits == 1
    assert not any(session.authenticated for session in emulator.sessions)


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_download_over_loopback_http(server_url: str, transport: str, tmp_path: Path) -> None:
    async with ZenooClient(server_url, protocol="web", transport=transport, plugins=[]) as client:
        await client.login("demo", "admin", "admin")
        content = os.urandom(300_000)
        new_id = await client.attachments.upload(content, name="blob.bin")
        target = tmp_path / "blob.bin"
        info = await client.attachments.download(new_id, target, max_size=len(content))
        assert target.read_bytes() == content
        assert info.file_size == len(content)


async def test_size_limit_checked_before_the_transfer(
    web_client: ZenooClient, emulator: Emulator, tmp_path: Path
) -> None:
    new_id = await web_client.attachments.upload(CONTENT, name="a.pdf")
    fault = emulator.faults.latency(0, path="/web/content/*")
    with pytest.raises(AttachmentTooLarge) as info:
        await web_client.attachments.download(new_id, tmp_path / "a.pdf", max_size=100)
    assert (info.value.size, info.value.max_size, info.value.attachment_id) == (
        len(CONTENT),
        100,
        new_id,
    )
    assert fault.hits == 0
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("protocol", ["web", "jsonrpc"])
async def test_size_limit_checked_while_the_bytes_arrive(
    emulator: Emulator, protocol: str, tmp_path: Path
) -> None:
    async with ZenooClient(emulator.memory_url, protocol=protocol, plugins=[]) as client:
        await client.login("demo", "admin", "admin")
        new_id = await client.attachments.upload(CONTENT, name="a.pdf")
        tamper(emulator, new_id, file_size=10)  # the server's size lies
        with pytest.raises(AttachmentTooLarge):
            await client.attachments.download(new_id, tmp_path / "a.pdf", max_size=1000)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("protocol", ["web", "jsonrpc"])
async def test_checksum_mismatch_leaves_no_file(
    emulator: Emulator, protocol: str, tmp_path: Path
) -> None:
    async with ZenooClient(emulator.memory_url, protocol=protocol, plugins=[]) as client:
        await client.login("demo", "admin", "admin")
        new_id = await client.attachments.upload(CONTENT, name="a.pdf")
        tamper(emulator, new_id, checksum="0" * 40)
        with pytest.raises(ChecksumMismatch) as info:
            await client.attachments.download(new_id, tmp_path / "a.pdf")
    assert info.value.expected == "0" * 40
    assert info.value.actual == hashlib.sha1(CONTENT).hexdigest()  # noqa: S324
    assert leftovers(tmp_path) == []


async def test_upload_limit(client: ZenooClient, tmp_path: Path) -> None:
    before = await client.search_count("ir.attachment", [])
    with pytest.raises(AttachmentTooLarge):
        await client.attachments.upload(CONTENT, name="a.pdf", max_size=len(CONTENT) - 1)
    with pytest.raises(AttachmentTooLarge):  # size unknown up front: counted while reading
        await client.attachments.upload(Pipe(CONTENT), name="a.pdf", max_size=100)  # type: ignore[arg-type]
    assert await client.search_count("ir.attachment", []) == before


async def test_upload_from_a_file_object_keeps_its_name(
    client: ZenooClient, tmp_path: Path
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"first line\n")
    with path.open("rb") as handle:
        new_id = await client.attachments.upload(handle)
    info = await client.attachments.info(new_id)
    assert (info.name, info.mimetype, info.file_size) == ("notes.txt", "text/plain", 11)


@pytest.mark.parametrize(
    ("source", "options"),
    [
        (b"data", {}),  # bytes have no name
        ("not-bytes-nor-path-but-a-missing-file", {"name": "x"}),
        (12, {"name": "x"}),
        (b"data", {"name": "x", "res_id": 3}),  # res_id without res_model
        (b"data", {"name": "x", "max_size": -1}),
    ],
)
async def test_bad_uploads(client: ZenooClient, source: object, options: dict[str, object]) -> None:
    with pytest.raises((InvalidArgument, TransferError)):
        await client.attachments.upload(source, **options)  # type: ignore[arg-type]


async def test_missing_attachment(client: ZenooClient, tmp_path: Path) -> None:
    with pytest.raises(MissingError):
        await client.attachments.download(987654, tmp_path / "x")
    with pytest.raises(InvalidArgument):
        await client.attachments.info(0)
    assert leftovers(tmp_path) == []


async def test_url_attachment_has_no_content(client: ZenooClient, tmp_path: Path) -> None:
    new_id = await client.create(
        "ir.attachment", {"name": "site", "type": "url", "url": "https://example.com"}
    )
    with pytest.raises(TransferError, match="URL"):
        await client.attachments.download(new_id, tmp_path / "x")


async def test_directory_destination(client: ZenooClient, tmp_path: Path) -> None:
    new_id = await client.attachments.upload(CONTENT, name="a.pdf")
    with pytest.raises(TransferError, match="directory"):
        await client.attachments.download(new_id, tmp_path)
