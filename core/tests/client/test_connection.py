"""The server URL a client builds from what it was given, and what it shows of it."""

from __future__ import annotations

from typing import Any

import pytest

from zenoo_rpc import ZenooClient
from zenoo_rpc.config import ZenooConfig
from zenoo_rpc.connection import redact_url, server_url
from zenoo_rpc.errors import ConfigError


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ({"url": "localhost"}, "http://localhost:8069"),
        ({"url": "localhost", "port": 8070}, "http://localhost:8070"),
        ({"host": "odoo", "port": 443}, "https://odoo:443"),
        ({"url": "https://odoo.example.com"}, "https://odoo.example.com:443"),
        ({"url": "http://h:8069/odoo/"}, "http://h:8069/odoo"),
        ({"url": "http://[::1]", "port": 8069}, "http://[::1]:8069"),
        ({"url": "[::1]", "port": 9000}, "http://[::1]:9000"),
        ({"url": "memory://demo?version=19&size=5"}, "memory://demo?version=19&size=5"),
    ],
)
def test_server_url(given: dict[str, Any], url: str) -> None:
    assert server_url(ZenooConfig.from_mapping(given)) == url


def test_bad_urls_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="port"):
        server_url(ZenooConfig.from_mapping({"url": "http://odoo:notaport"}))
    with pytest.raises(ConfigError, match="No host"):
        server_url(ZenooConfig.from_mapping({"url": "http://"}))


def test_credentials_in_the_url_never_show() -> None:
    client = ZenooClient("http://bot:hunter2@odoo.example.com", plugins=[])
    assert "hunter2" not in repr(client)
    assert client.redacted_url == "http://***@odoo.example.com:8069"
    assert redact_url("http://odoo:8069") == "http://odoo:8069"


async def test_session_and_credentials_never_serialise_secrets() -> None:
    from zenoo_rpc.protocols.base import Credentials

    credentials = Credentials(db="d", login="u", password="hunter2")
    assert "hunter2" not in repr(credentials)
    assert "hunter2" not in repr(list(credentials.__rich_repr__()))
