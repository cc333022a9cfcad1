"""What the audit trail records for each kind of call, and that calls go on untouched."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from audit_clients import ClientFactory

from zenoo_rpc import Call, OutcomeUnknownError, ZenooClient
from zenoo_rpc.errors import NotAuthenticated, OdooServerError
from zenoo_rpc.middleware import Handler
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc_audit import (
    AuditError,
    AuditRecord,
    AuditTrail,
    MemorySink,
    audit_trail,
    get_audit_log,
)


async def _logged_in(make_client: ClientFactory, settings: dict[str, Any] | None = None) -> Any:
    client = make_client(settings)
    await client.login("demo", "admin", "admin")
    return client


def _calls(client: ZenooClient) -> list[AuditRecord]:
    return [r for r in get_audit_log(client) if r.model is not None]


async def test_a_read_is_recorded_with_who_where_and_how_long(make_client: ClientFactory) -> None:
    client = await _logged_in(make_client)
    before = datetime.now(timezone.utc)
    rows = await client.search_read("res.partner", [], fields=["name"], limit=3)
    (record,) = _calls(client)
    assert len(rows) == 3
    assert record.model == "res.partner"
    assert record.method == "search_read"
    assert (record.db, record.uid, record.protocol) == ("demo", 2, client.protocol)
    assert record.server == client.url
    assert record.outcome == "ok"
    assert record.error is None
    assert (record.ids, record.fields, record.values) == ((), (), None)
    assert record.duration_ms is not None
    assert record.duration_ms > 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", record.ts)
    assert record.when.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= record.when <= datetime.now(timezone.utc)


async def test_record_ids_and_written_field_names(make_client: ClientFactory) -> None:
    client = await _logged_in(make_client)
    new_id = await client.create("res.partner", {"name": "Ada", "email": "ada@example.com"})
    two = await client.create("res.partner", [{"name": "B"}, {"name": "C", "city": "Gent"}])
    await client.read("res.partner", [new_id, *two], ["name"])
    await client.write("res.partner", [new_id, two[0]], {"phone": "1", "city": "Liège"})
    await client.unlink("res.partner", two)
    create_one, create_two, read, write, unlink = _calls(client)
    assert (create_one.method, create_one.ids, create_one.fields) == (
        "create",
        (new_id,),
        ("email", "name"),
    )
    assert (create_two.ids, create_two.fields) == (tuple(two), ("city", "name"))
    assert (read.method, read.ids, read.fields) == ("read", (new_id, *two), ())
    assert (write.method, write.ids, write.fields) == ("write", (new_id, two[0]), ("city", "phone"))
    assert (unlink.method, unlink.ids) == ("unlink", tuple(two))
    assert all(r.values is None for r in (create_one, create_two, write))


async def test_named_arguments_and_other_record_methods(make_client: ClientFactory) -> None:
    client = await _logged_in(make_client)
    partner_id, _ = await client.call("res.partner", "name_create", "Named")
    await client.execute_kw("res.partner", "write", [[partner_id]], {"vals": {"ref": "X"}})
    await client.call("res.partner", "action_archive", [partner_id])
    name_create, write, archive = _calls(client)
    assert (name_create.method, name_create.ids) == ("name_create", (partner_id,))
    assert (write.ids, write.fields) == ((partner_id,), ("ref",))
    assert (archive.method, archive.ids) == ("action_archive", (partner_id,))


async def test_values_are_kept_only_for_listed_models_and_redacted(
    make_client: ClientFactory,
) -> None:
    client = await _logged_in(
        make_client, {"include_values": ["res.part*", "res.users"], "redact_fields": ["REF"]}
    )
    new_id = await client.create(
        "res.partner",
        {"name": "Ada", "comment": "reset with password=hunter2 please", "ref": "1234"},
    )
    await client.write("res.users", [5], {"password": "hunter2-pw", "signature": "<p>hi</p>"})
    await client.write("res.company", [1], {"name": "Renamed Inc."})
    create, users, company = _calls(client)
    assert create.ids == (new_id,)
    assert create.values == (
        {"name": "Ada", "comment": "reset with password=*** please", "ref": "***"},
    )
    assert users.values == ({"password": "***", "signature": "<p>hi</p>"},)
    assert company.values is None
    assert company.fields == ("name",)


async def test_a_failed_call_is_recorded_and_its_error_reaches_the_caller_unchanged(
    make_client: ClientFactory,
) -> None:
    client = await _logged_in(make_client)
    raised = OdooServerError("nope", name="odoo.exceptions.UserError")

    async def refuse(call: Call, call_next: Handler) -> Any:
        if call.method == "unlink":
            raise raised
        return await call_next(call)

    client.add_middleware(refuse)  # inside the audit trail: it sees what comes out
    with pytest.raises(OdooServerError) as caught:
        await client.unlink("res.partner", [1])
    assert caught.value is raised
    with pytest.raises(OdooServerError) as server_error:
        await client.write("res.partner", [1], {"no_such_field": 1})
    unlink, write = _calls(client)
    assert (unlink.outcome, unlink.error, unlink.ids) == (
        "error",
        "odoo.exceptions.UserError",
        (1,),
    )
    assert write.outcome == "error"
    assert write.error == server_error.value.name
    assert write.error
    assert write.fields == ("no_such_field",)


async def test_a_write_whose_outcome_is_unknown_is_recorded_as_unknown(
    make_client: ClientFactory, odoo_emulator: Emulator
) -> None:
    client = await _logged_in(make_client, {"sink": "memory"})
    odoo_emulator.faults.drop(after_call=True, method="create", times=1)
    with pytest.raises(OutcomeUnknownError):
        await client.create("res.partner", {"name": "Maybe"})
    (record,) = _calls(client)
    assert (record.method, record.outcome) == ("create", "unknown")
    assert record.error in ("OutcomeUnknownError", "OutcomeUnknownTimeout")
    assert record.ids == ()  # nothing came back, so no id is known


async def test_a_cancelled_call_is_recorded_as_unknown(
    make_client: ClientFactory, odoo_emulator: Emulator
) -> None:
    client = await _logged_in(make_client)
    sent = asyncio.Event()

    async def mark_sent(call: Call, call_next: Handler) -> Any:
        sent.set()
        return await call_next(call)

    client.add_middleware(mark_sent)
    odoo_emulator.faults.latency(30.0, method="write")
    task = asyncio.create_task(client.write("res.partner", [1], {"name": "Slow"}))
    await sent.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    (record,) = _calls(client)
    assert (record.method, record.outcome, record.error) == ("write", "unknown", "CancelledError")
    assert (record.ids, record.fields) == ((1,), ("name",))


async def test_calls_before_login_are_recorded_without_a_user(make_client: ClientFactory) -> None:
    client = make_client()
    with pytest.raises(NotAuthenticated):
        await client.search("res.partner", [])
    (record,) = get_audit_log(client)
    assert (record.db, record.uid, record.protocol) == (None, None, None)
    assert (record.outcome, record.error) == ("error", "NotAuthenticated")


async def test_logins_are_recorded_when_asked(make_client: ClientFactory) -> None:
    client = make_client({"record_logins": True})
    await client.login("demo", "demo2", "demo2")
    await client.login("demo", "admin", "admin")
    first, second = get_audit_log(client)
    assert (first.method, first.model, first.db, first.uid) == ("authenticate", None, "demo", 5)
    assert (second.uid, second.protocol, second.outcome) == (2, client.protocol, "ok")
    assert "audit.logins" in client.plugins.plugin_names()


async def test_by_default_only_calls_are_recorded_and_no_event_is_listened_to(
    make_client: ClientFactory,
) -> None:
    client = make_client()
    await client.login("demo", "admin", "admin")
    await client.search_count("res.partner", [])
    assert [r.method for r in get_audit_log(client)] == ["search_count"]
    # no listener: the client does not build call_started / call_finished events
    assert not client.has_listeners


async def test_views_share_the_trail_of_their_client(make_client: ClientFactory) -> None:
    client = await _logged_in(make_client)
    view = client.with_context(lang="en_US")
    await view.search_count("res.partner", [])
    await client.search_count("res.partner", [])
    assert audit_trail(view) is audit_trail(client)
    assert [r.method for r in _calls(view)] == ["search_count", "search_count"]


async def test_the_trail_is_the_plugins_middleware_for_the_client(
    make_client: ClientFactory,
) -> None:
    client = make_client()
    trail = audit_trail(client)
    assert isinstance(trail, AuditTrail)
    assert client.plugins.middleware_of("audit", client, client.config) is trail
    assert trail.get_audit_log() == get_audit_log(client) == []


async def test_get_audit_log_explains_what_is_missing(
    odoo_emulator: Emulator, make_client: ClientFactory, audit_path: Any
) -> None:
    async with ZenooClient(odoo_emulator.memory_url, plugins=[]) as plain:
        with pytest.raises(AuditError, match="not enabled"):
            get_audit_log(plain)
    file_only = make_client({"path": str(audit_path)})
    with pytest.raises(AuditError, match='add "memory"'):
        get_audit_log(file_only)


async def test_the_memory_sink_keeps_the_last_max_records(make_client: ClientFactory) -> None:
    client = await _logged_in(make_client, {"max_records": 3})
    for limit in range(1, 6):
        await client.search("res.partner", [], limit=limit)
    log = get_audit_log(client)
    assert len(log) == 3
    audit_trail(client).clear_audit_log()
    assert get_audit_log(client) == []


async def test_a_failing_sink_never_breaks_the_call(
    odoo_emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    class BrokenSink:
        durable = False

        def write(self, record: AuditRecord) -> None:
            raise OSError(28, "No space left on device")

        async def sync(self) -> None:
            pass

        def close(self) -> None:
            pass

    memory = MemorySink()
    async with ZenooClient(odoo_emulator.memory_url, plugins=[]) as client:
        trail = AuditTrail(client, sinks=[BrokenSink(), memory])
        client.add_middleware(trail)
        await client.login("demo", "admin", "admin")
        with caplog.at_level(logging.ERROR, logger="zenoo_rpc_audit"):
            assert await client.search_count("res.partner", []) > 0
    assert trail.sink_errors == 1
    assert [r.method for r in memory.records()] == ["search_count"]
    assert "No space left" in caplog.text


async def test_the_logging_sink_logs_one_line_per_call(
    make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    client = await _logged_in(make_client, {"sink": ["logging", "memory"], "logger": "acme.audit"})
    with caplog.at_level(logging.INFO, logger="acme.audit"):
        await client.write("res.partner", [1, 2], {"name": "Renamed"})
    (line,) = [r for r in caplog.records if r.name == "acme.audit"]
    assert line.levelno == logging.INFO
    assert line.getMessage().startswith("audit ok res.partner.write ids=[1, 2] fields=['name']")
    assert line.audit == get_audit_log(client)[-1]  # type: ignore[attr-defined]
