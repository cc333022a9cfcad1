"""The pytest plugin, as a user's test suite sees it (run in a separate pytest with pytester)."""

from __future__ import annotations

import pytest

CONFTEST = """
pytest_plugins = ["zenoo_rpc.testing.pytest_plugin"]
"""

INI = """
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
"""


def _run(pytester: pytest.Pytester, source: str) -> pytest.RunResult:
    pytester.makeconftest(CONFTEST)
    pytester.makeini(INI)
    pytester.makepyfile(source)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")


def test_connected_client_and_marker(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
import pytest

async def test_admin_client(zenoo_client):
    assert zenoo_client.uid == 2
    assert await zenoo_client.search_count("res.partner", []) > 0

@pytest.mark.zenoo_emulator(version=19, size=3)
async def test_marker_sets_version(zenoo_client, odoo_emulator):
    assert zenoo_client.server_version.major == 19
    assert odoo_emulator.version == 19

async def test_each_test_gets_a_fresh_database(zenoo_client):
    assert await zenoo_client.search_count("res.partner", [("name", "=", "Leak")]) == 0
    await zenoo_client.create("res.partner", {"name": "Leak"})

async def test_each_test_gets_a_fresh_database_again(zenoo_client):
    assert await zenoo_client.search_count("res.partner", [("name", "=", "Leak")]) == 0
    await zenoo_client.create("res.partner", {"name": "Leak"})
""",
    )
    result.assert_outcomes(passed=4)


def test_server_url_fixture_serves_http(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
import httpx

async def test_served(odoo_server_url):
    assert odoo_server_url.startswith("http://127.0.0.1:")
    async with httpx.AsyncClient() as http:
        answer = await http.post(f"{odoo_server_url}/web/webclient/version_info",
                                 json={"jsonrpc": "2.0", "method": "call", "params": {}, "id": 1})
    assert answer.json()["result"]["server_version_info"][0] == 18
""",
    )
    result.assert_outcomes(passed=1)


def test_mock_fixture_fails_at_teardown_on_unused_responses(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
async def test_forgets_a_response(zenoo_mock):
    zenoo_mock.mock_response("res.partner", "search_read", [{"id": 1, "name": "Test Partner"}])
    zenoo_mock.mock_response("res.partner", "unlink", True)
    assert (await zenoo_mock.search_read("res.partner"))[0]["name"] == "Test Partner"
""",
    )
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*Mocked responses never used*", "*res.partner.unlink*"])


def test_fixtures_work_in_pytest_asyncio_strict_mode(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makeini(
        "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"
    )
    pytester.makepyfile("""
import pytest

@pytest.mark.asyncio
async def test_strict(zenoo_client, zenoo_mock):
    assert await zenoo_client.search_count("res.partner", []) > 0
    zenoo_mock.mock_response("res.partner", "search_count", 7)
    assert await zenoo_mock.search_count("res.partner", []) == 7
""")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=1)
