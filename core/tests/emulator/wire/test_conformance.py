"""Conformance: every real Odoo capture, replayed against the emulator, answers the same shape.

Each capture's request is rewritten for a fresh emulator of the capture's
version (database, demo2 uid, records, secrets: see ``wire_replay``) and sent
through the ``memory://`` transport. The answer must have the captured HTTP
status, content type, cookie / auth / nosniff headers, and body shape: the
JSON-RPC envelope and error (code, message, ``data`` keys in order, ``name``),
the JSON-2 error body (keys in order, ``name``), the XML-RPC fault code, Odoo's
exact text for plain-text and HTML error pages, and for results the shape of
the value (see ``wire_shape``) - not ids, names, dates or counts.
"""

from __future__ import annotations

import json
import xmlrpc.client
from typing import Any

import pytest
from wire_replay import SKIPPED, Case, load_cases, prepare
from wire_shape import shape_differences

from zenoo_rpc.testing.emulator.server import Emulator
from zenoo_rpc.testing.transport import MemoryTransport
from zenoo_rpc.transports.base import HttpResponse

#: Answers listing every field of a model: the emulator has fewer fields than a
#: real database with mail, sale and stock installed, but must not invent any.
ALL_FIELDS = {
    "jsonrpc_fields_get_res_partner_attrs",
    "jsonrpc_fields_get_res_partner_full",
    "jsonrpc_search_read_res_partner_limit80_allfields",
    "xmlrpc_object_fields_get_res_partner",
    "json2_fields_get_attrs",
    "json2_fields_get_full",
    "json2_fields_get_some",
    "json2_read_no_fields",
    "json2_search_read_no_fields_limit2",
    "json2_body_json_list_ignored",
    "get_doc_bearer_res_partner",
    "get_doc_bearer_index",
}
#: Headers whose presence must match the capture.
PRESENCE_HEADERS = ("set-cookie", "www-authenticate", "x-content-type-options")


def _replayed(case: Case) -> bool:
    return case.name not in SKIPPED and "steps" not in case.capture and "response" in case.capture


def _params() -> list[Any]:
    return [
        pytest.param(case, id=f"{case.version}-{case.name}")
        for case in load_cases()
        if _replayed(case)
    ]


def test_every_capture_is_replayed_or_has_a_reason() -> None:
    """Nothing is left out silently: a capture not replayed here is listed with the reason."""
    left_out = {case.name for case in load_cases() if not _replayed(case)}
    assert left_out == set(SKIPPED)
    assert len(load_cases()) - len(left_out) >= 185


def _header(headers: list[list[str]] | list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


@pytest.mark.parametrize("case", _params())
async def test_replay(case: Case) -> None:
    emulator = Emulator(version=case.version)
    request = prepare(case, emulator)
    response = await MemoryTransport(emulator).request(request)
    expected = case.response
    body = response.content.decode()
    assert response.status == expected["status"], body[:500]
    expected_headers = expected["headers"]
    assert response.header("content-type") == _header(expected_headers, "content-type")
    for name in PRESENCE_HEADERS:
        present = _header(expected_headers, name) is not None
        assert bool(response.header(name)) == present, f"header {name}"
    content_type = response.content_type
    if content_type == "application/json":
        try:
            sent = json.loads(request.content or b"null")
        except ValueError:  # the capture sent a malformed body on purpose
            sent = None
        _compare_json(case, sent, expected, response)
    elif content_type == "text/xml":
        _compare_xml(case, expected["body"], body)
    elif len(expected["body"] or "") < 2000:
        assert body == expected["body"]


def _compare_json(case: Case, sent: Any, expected: dict[str, Any], response: HttpResponse) -> None:
    actual = json.loads(response.content)
    reference = expected.get("json")
    if reference is None:  # the capture cut a big body: it parsed, that is all we can say
        return
    subset = case.name in ALL_FIELDS
    if isinstance(reference, dict) and reference.get("jsonrpc") == "2.0":
        assert list(actual) == list(reference)
        sent_id = sent.get("id") if isinstance(sent, dict) else None
        assert actual["id"] == (None if reference["id"] is None else sent_id)
        if "error" in reference:
            error, real = actual["error"], reference["error"]
            assert (error["code"], error["message"]) == (real["code"], real["message"])
            assert list(error["data"]) == list(real["data"])
            assert error["data"]["name"] == real["data"]["name"], error["data"]["message"]
            assert len(error["data"]["arguments"]) == len(real["data"]["arguments"])
            return
        problems = shape_differences(reference["result"], actual["result"], subset=subset)
    elif response.status != 200:
        assert list(actual) == list(reference)
        assert actual["name"] == reference["name"], actual["message"]
        assert len(actual["arguments"]) == len(reference["arguments"])
        return
    else:
        problems = shape_differences(reference, actual, subset=subset)
    assert not problems, "\n".join(problems)


def _compare_xml(case: Case, expected: str, actual: str) -> None:
    def load(text: str) -> tuple[Any, int | None]:
        try:
            return xmlrpc.client.loads(text)[0][0], None
        except xmlrpc.client.Fault as fault:
            return fault.faultString, fault.faultCode

    # the scrubbed traceback left a bare "<server frames omitted>" in the XML
    reference, real_code = load(expected.replace("<server frames omitted>", "server frames"))
    value, code = load(actual)
    assert code == real_code, value
    if code is None:
        problems = shape_differences(reference, value, subset=case.name in ALL_FIELDS)
        assert not problems, "\n".join(problems)
