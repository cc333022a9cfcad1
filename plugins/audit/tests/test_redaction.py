"""Passwords, API keys and session ids never reach a sink: the file, the log or memory."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec
import pytest
from audit_clients import ClientFactory, audit_config

from zenoo_rpc import ZenooClient
from zenoo_rpc.errors import NotAuthenticated, OdooServerError
from zenoo_rpc.testing.emulator.database import ADMIN_API_KEY
from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc_audit import Redactor, audit_trail, get_audit_log

EVERY_SINK = ["jsonl", "logging", "memory"]


def _settings(path: Path, **more: Any) -> dict[str, Any]:
    return {
        "sink": EVERY_SINK,
        "path": str(path),
        "include_values": ["*"],
        "record_logins": True,
        **more,
    }


def assert_nowhere(
    secrets: Iterable[str], path: Path, logs: list[logging.LogRecord], client: ZenooClient
) -> None:
    """No secret in the file's bytes, the audit log lines (text and record), or memory."""
    secrets = [s for s in secrets if s]
    memory = get_audit_log(client)
    lines = [r for r in logs if hasattr(r, "audit")]
    assert memory, "nothing was recorded"
    assert len(lines) == len(memory)
    places = {
        "file": path.read_bytes(),
        "log": "\n".join(r.getMessage() for r in lines).encode()
        + b"".join(msgspec.json.encode(r.audit) for r in lines),
        "memory": b"".join(msgspec.json.encode(r) for r in memory),
    }
    for secret in secrets:
        for where, content in places.items():
            assert secret.encode() not in content, f"{secret!r} reached the {where} sink"


async def test_passwords_in_writes_logins_and_error_messages(
    make_client: ClientFactory, audit_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    password, quoted, nested = "pw-7f3a9c-hunter2", "tok-51be-quoted", "pw-nested-0d41"
    client = make_client(_settings(audit_path))
    caplog.set_level(logging.DEBUG)
    await client.login("demo", "admin", "admin")
    await client.write("res.users", [5], {"password": password, "name": "Demo Two"})
    await client.create(
        "res.partner",
        {"name": "Parent", "child_ids": [(0, 0, {"name": "Kid", "comment": f"password={nested}"})]},
    )
    await client.login("demo", "demo2", password)
    with pytest.raises(OdooServerError) as failed:
        await client.search_read("res.partner", [("no_such_field", "=", quoted)])
    assert quoted in str(failed.value)  # the server quoted it: the audit trail must not
    methods = [r.method for r in get_audit_log(client)]
    assert methods == ["authenticate", "write", "create", "authenticate", "search_read"]
    assert get_audit_log(client)[1].values == ({"password": "***", "name": "Demo Two"},)
    assert_nowhere([password, quoted, nested], audit_path, caplog.records, client)


@pytest.mark.zenoo_emulator(version=19)
async def test_api_keys_never_reach_a_sink(
    make_client: ClientFactory, audit_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(_settings(audit_path), protocol="json2")
    caplog.set_level(logging.DEBUG)
    await client.login("demo", "admin", api_key=ADMIN_API_KEY)
    with pytest.raises(OdooServerError):  # no such field: the values are recorded all the same
        await client.write("res.partner", [1], {"api_key": ADMIN_API_KEY, "comment": "x"})
    await client.write("res.partner", [1], {"comment": f"key {ADMIN_API_KEY}"})
    await client.search_count("res.partner", [])
    with pytest.raises(OdooServerError):
        await client.read("res.partner", [1], ["no_such_field"])
    assert client.protocol == "json2"
    assert get_audit_log(client)[1].values == ({"api_key": "***", "comment": "x"},)
    assert_nowhere([ADMIN_API_KEY], audit_path, caplog.records, client)


async def test_web_session_ids_never_reach_a_sink(
    make_client: ClientFactory,
    audit_path: Path,
    odoo_emulator: Emulator,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sids: list[str] = []
    new_session = odoo_emulator.sessions.new

    def remember(*args: Any, **kwargs: Any) -> Any:
        session = new_session(*args, **kwargs)
        sids.append(session.sid)
        return session

    monkeypatch.setattr(odoo_emulator.sessions, "new", remember)
    client = make_client(_settings(audit_path), protocol="web")
    caplog.set_level(logging.DEBUG)
    await client.login("demo", "admin", "admin")
    await client.search_read("res.partner", [], fields=["name"], limit=2)
    with pytest.raises(OdooServerError):
        await client.write("res.partner", [1], {"session_id": sids[-1]})
    with pytest.raises(OdooServerError):
        await client.search("res.partner", [("no_such_field", "=", sids[-1])])
    assert client.protocol == "web"
    assert sids
    assert_nowhere(sids, audit_path, caplog.records, client)


async def test_credentials_in_the_server_url_never_reach_a_sink(
    audit_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = "http://bob:url-pw-93c1@127.0.0.1:9/odoo?token=url-token-7be2#frag"
    caplog.set_level(logging.DEBUG)
    async with ZenooClient(config=audit_config(url, _settings(audit_path))) as client:
        assert audit_trail(client).server == "http://127.0.0.1:9/odoo"
        with pytest.raises(NotAuthenticated):
            await client.search("res.partner", [])
        assert_nowhere(["url-pw-93c1", "url-token-7be2", "bob"], audit_path, caplog.records, client)


def test_field_patterns_are_case_insensitive_and_reach_every_depth() -> None:
    redactor = Redactor(redact_fields=["bank_acc_number", "x_*_pin"])
    values = {
        "Password": "a",
        "x_card_PIN": "b",
        "bank_acc_number": "c",
        "oauth_access_token": "d",
        "secret_note": "e",
        "name": "kept",
        "line_ids": [
            (0, 0, {"new_password": "f", "qty": 2, "bank_ids": [(0, 0, {"acc_api_key": "g"})]}),
            (4, 7),
        ],
        "note": "Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123 session_id=s3ss",
    }
    assert redactor.values(values) == {
        "Password": "***",
        "x_card_PIN": "***",
        "bank_acc_number": "***",
        "oauth_access_token": "***",
        "secret_note": "***",
        "name": "kept",
        "line_ids": [
            [0, 0, {"new_password": "***", "qty": 2, "bank_ids": [[0, 0, {"acc_api_key": "***"}]]}],
            [4, 7],
        ],
        "note": "Authorization: Bearer *** session_id=***",
    }
    assert not redactor.is_secret("tokens_count")
    assert not redactor.is_secret("name")


def test_models_whose_values_are_kept_match_patterns() -> None:
    redactor = Redactor(include_values=["res.partner", "sale.*"])
    assert redactor.keeps_values("res.partner")
    assert redactor.keeps_values("sale.order.line")
    assert not redactor.keeps_values("res.partner.bank")
    assert not Redactor().keeps_values("res.partner")
