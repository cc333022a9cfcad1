"""Plugin discovery, selection and the typed hook calls of ``PluginHost``.

Installed plugins are simulated with a fake ``*.dist-info`` directory (with an
``entry_points.txt``) and real modules written into a temporary directory put
on ``sys.path``: exactly what pip leaves behind, without installing anything.
"""

from __future__ import annotations

import logging
import sys
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from zenoo_rpc.cache.base import CacheBackendSpec
from zenoo_rpc.call import Call
from zenoo_rpc.config import ZenooConfig
from zenoo_rpc.errors import PluginError, PluginImportError, UnknownPluginError
from zenoo_rpc.events import Event, deliver
from zenoo_rpc.hookspecs import hookimpl
from zenoo_rpc.plugins import BUILTIN_PLUGIN, PluginHost, available_plugins, plugins_from_env
from zenoo_rpc.retry import RetryStrategySpec
from zenoo_rpc.transports.base import Transport, TransportOptions, TransportSpec

BUILTIN = "zenoo_test_builtin"
FAKE = "zenoo_test_fake"
BROKEN = "zenoo_test_broken"
INHOUSE = "zenoo_test_inhouse"
TYPO = "zenoo_test_typo"
NEEDS_DEP = "zenoo_test_needs_dep"
MODULES = (BUILTIN, FAKE, BROKEN, INHOUSE, TYPO, NEEDS_DEP)

SOURCES = {
    BUILTIN: """
        from zenoo_rpc.cache.base import CacheBackendSpec
        from zenoo_rpc.hookspecs import hookimpl
        from zenoo_rpc.transports.base import TransportSpec

        @hookimpl
        def zenoo_register_transports():
            return [TransportSpec(name="builtin-http", schemes=("http",), factory=object)]

        @hookimpl
        def zenoo_register_cache_backends():
            return [CacheBackendSpec(name="memory", factory=dict)]

        @hookimpl
        def zenoo_middleware(client, config):
            async def builtin_mw(call, call_next):
                return await call_next(call)
            return builtin_mw
        """,
    FAKE: """
        from zenoo_rpc.cache.base import CacheBackendSpec
        from zenoo_rpc.hookspecs import hookimpl
        from zenoo_rpc.retry import RetryStrategySpec
        from zenoo_rpc.transports.base import TransportSpec

        seen = []

        @hookimpl
        def zenoo_register_transports():
            return [TransportSpec(name="fake", schemes=("fake",), factory=object)]

        @hookimpl
        def zenoo_register_cache_backends():
            return [CacheBackendSpec(name="fake-cache", factory=dict)]

        @hookimpl
        def zenoo_register_retry_strategies():
            return [RetryStrategySpec(name="fake-retry", factory=dict)]

        @hookimpl
        def zenoo_middleware(client, config):
            async def fake_mw(call, call_next):
                seen.append(("mw", call.method))
                return await call_next(call)
            return fake_mw

        @hookimpl
        def zenoo_event(event):
            seen.append(("event", event.name))
        """,
    BROKEN: """
        import zenoo_test_dependency_that_is_not_installed
        """,
    INHOUSE: """
        from zenoo_rpc.hookspecs import hookimpl

        events = []

        @hookimpl
        def zenoo_event(event):
            events.append(event.name)
        """,
    TYPO: """
        from zenoo_rpc.hookspecs import hookimpl

        @hookimpl
        def zenoo_evnt(event):
            pass
        """,
    NEEDS_DEP: """
        import zenoo_test_another_missing_dependency
        """,
}

ENTRY_POINTS = f"""
[zenoo_rpc]
fake = {FAKE}
broken = {BROKEN}
typo = {TYPO}
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory on sys.path holding a fake installed distribution and plugin modules."""
    dist_info = tmp_path / "zenoo_test_fake-1.2.3.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: zenoo-test-fake\nVersion: 1.2.3\n", encoding="utf-8"
    )
    (dist_info / "entry_points.txt").write_text(ENTRY_POINTS, encoding="utf-8")
    for module, source in SOURCES.items():
        (tmp_path / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for module in MODULES:
        sys.modules.pop(module, None)


@pytest.fixture
def host(site: Path) -> PluginHost:
    return PluginHost(builtins=[BUILTIN])


# --------------------------------------------------------------------------- discovery


def test_available_plugins_are_listed_without_importing(site: Path) -> None:
    plugins = available_plugins()
    assert {"fake", "broken", "typo"} <= set(plugins)
    fake = plugins["fake"]
    assert (fake.name, fake.value) == ("fake", FAKE)
    assert (fake.distribution, fake.version) == ("zenoo-test-fake", "1.2.3")
    assert FAKE not in sys.modules
    assert BROKEN not in sys.modules


def test_only_selected_plugins_are_imported_and_their_hooks_called(host: PluginHost) -> None:
    host.load(["fake"], env={})
    assert FAKE in sys.modules
    assert BROKEN not in sys.modules
    assert host.plugin_names() == [BUILTIN, "fake"]
    assert set(host.transports()) == {"builtin-http", "fake"}
    assert isinstance(host.transports()["fake"], TransportSpec)
    assert set(host.cache_backends()) == {"memory", "fake-cache"}
    assert isinstance(host.cache_backends()["fake-cache"], CacheBackendSpec)
    assert set(host.retry_strategies()) == {"fake-retry"}
    assert isinstance(host.retry_strategies()["fake-retry"], RetryStrategySpec)


def test_describe_names_distribution_version_and_hooks(host: PluginHost) -> None:
    host.load(["fake"], env={})
    fake = host.describe()[1]
    assert fake["name"] == "fake"
    assert fake["value"] == FAKE
    assert (fake["distribution"], fake["version"]) == ("zenoo-test-fake", "1.2.3")
    assert fake["hooks"] == [
        "zenoo_event",
        "zenoo_middleware",
        "zenoo_register_cache_backends",
        "zenoo_register_retry_strategies",
        "zenoo_register_transports",
    ]


async def test_middlewares_in_registration_order_and_events(host: PluginHost) -> None:
    host.load(["fake"], env={})
    middlewares = host.middlewares(object(), ZenooConfig())
    assert [mw.__name__ for mw in middlewares] == ["builtin_mw", "fake_mw"]  # type: ignore[attr-defined]

    async def innermost(call: Call) -> str:
        return "result"

    call = Call(model="res.partner", method="read")
    assert await middlewares[1](call, innermost) == "result"
    await deliver(host.event_listeners(), Event(name="call_finished"))
    assert sys.modules[FAKE].seen == [("mw", "read"), ("event", "call_finished")]


def test_in_house_plugin_by_dotted_module_path(host: PluginHost) -> None:
    host.load([INHOUSE], env={})
    assert host.plugin_names() == [BUILTIN, INHOUSE]
    assert host.describe()[1]["hooks"] == ["zenoo_event"]


def test_names_are_deduplicated(host: PluginHost) -> None:
    host.load(["fake", " fake", "fake", FAKE], env={})
    host.load(["fake"], env={})
    assert host.plugin_names() == [BUILTIN, "fake"]
    assert len(host.event_listeners()) == 1


def test_default_builtin_plugin_is_zenoo_rpc_builtin() -> None:
    host = PluginHost()
    host.load(None, env={})
    assert host.plugin_names() == [BUILTIN_PLUGIN]
    assert "httpx" in host.transports()
    assert host.describe()[0]["distribution"] == "zenoo-rpc"


def test_each_host_has_its_own_manager(host: PluginHost, site: Path) -> None:
    other = PluginHost(builtins=[BUILTIN])
    host.load(["fake"], env={})
    other.load(None, env={})
    assert "fake" not in other.transports()
    assert host.manager is not other.manager


# --------------------------------------------------------------------------- ZENOO_PLUGINS


def test_zenoo_plugins_empty_loads_only_builtins(host: PluginHost) -> None:
    host.load(["fake", INHOUSE], env={"ZENOO_PLUGINS": ""})
    assert host.plugin_names() == [BUILTIN]
    assert FAKE not in sys.modules


def test_zenoo_plugins_names_replace_the_config(host: PluginHost) -> None:
    host.load(["broken"], env={"ZENOO_PLUGINS": "fake, "})
    assert host.plugin_names() == [BUILTIN, "fake"]


def test_plugins_from_env() -> None:
    assert plugins_from_env(["a", "b", "a"], {}) == ["a", "b"]
    assert plugins_from_env(None, {}) == []
    assert plugins_from_env(["a"], {"ZENOO_PLUGINS": " b ,c,b"}) == ["b", "c"]


# --------------------------------------------------------------------------- errors


def test_unknown_name_lists_installed_plugins(host: PluginHost) -> None:
    with pytest.raises(UnknownPluginError) as info:
        host.load(["fak"], env={})
    message = str(info.value)
    assert message.startswith("Unknown zenoo-rpc plugin 'fak'. Did you mean 'fake'?")
    listed = message.split("Installed plugins: ", 1)[1].split(". A dotted module path", 1)[0]
    installed = listed.split(", ")
    # Other installed distributions (the published plugins) may be listed too.
    assert {"broken", "fake", "typo"} <= set(installed)
    assert installed == sorted(installed)
    assert "A dotted module path also works for in-house hooks." in message


@pytest.mark.parametrize("name", ["no-such-plugin", "no_such_package.hooks"])
def test_unknown_name_that_is_not_a_module(host: PluginHost, name: str) -> None:
    with pytest.raises(UnknownPluginError, match=f"Unknown zenoo-rpc plugin '{name}'"):
        host.load([name], env={})


def test_broken_entry_point_names_plugin_module_and_distribution(host: PluginHost) -> None:
    with pytest.raises(PluginImportError) as info:
        host.load(["broken"], env={})
    message = str(info.value)
    assert "zenoo-rpc plugin 'broken'" in message
    assert f"entry point '{BROKEN}' from distribution zenoo-test-fake 1.2.3" in message
    assert "zenoo_test_dependency_that_is_not_installed" in message
    assert isinstance(info.value.__cause__, ModuleNotFoundError)


def test_module_path_with_a_missing_dependency_is_an_import_error(host: PluginHost) -> None:
    with pytest.raises(PluginImportError, match=f"'{NEEDS_DEP}' \\(module {NEEDS_DEP}\\)"):
        host.load([NEEDS_DEP], env={})


def test_misspelled_hook_names_plugin_and_hook(host: PluginHost) -> None:
    with pytest.raises(
        PluginError, match="plugin 'typo' implements unknown hook 'zenoo_evnt'"
    ) as info:
        host.load(["typo"], env={})
    assert "did you mean 'zenoo_event'?" in str(info.value)
    assert "typo" not in host.plugin_names()


def test_registering_a_class_is_a_friendly_error(host: PluginHost) -> None:
    class AuditPlugin:
        @hookimpl
        def zenoo_event(self, event: Event) -> None:
            pass

    with pytest.raises(PluginError, match=r"is a class .*register an instance \(AuditPlugin\(\)\)"):
        host.register(AuditPlugin)
    assert host.register(AuditPlugin()) == "AuditPlugin"
    assert host.register(AuditPlugin()) == "AuditPlugin#2"


def test_hook_wrappers_are_rejected(host: PluginHost) -> None:
    class Wrapper:
        @hookimpl(wrapper=True)
        def zenoo_register_transports(self) -> Iterator[None]:
            return (yield)

    with pytest.raises(PluginError, match="hook wrapper"):
        host.register(Wrapper(), "wrapper")


# --------------------------------------------------------------------------- typed hook results


def no_transport(options: TransportOptions) -> Transport:
    raise NotImplementedError


class Transports:
    def __init__(self, *names: str) -> None:
        self.names = names

    @hookimpl
    def zenoo_register_transports(self) -> Iterable[TransportSpec]:
        return [TransportSpec(name=n, schemes=("http",), factory=no_transport) for n in self.names]


def test_duplicate_transport_names_name_both_plugins(host: PluginHost) -> None:
    host.load(None, env={})
    host.register(Transports("h2"), "first")
    host.register(Transports("h2"), "second")
    with pytest.raises(
        PluginError,
        match="Transport 'h2' is registered twice: by plugin 'first' and by plugin 'second'",
    ):
        host.transports()


def test_a_single_spec_is_accepted_and_a_wrong_type_is_an_error(host: PluginHost) -> None:
    class Single:
        @hookimpl
        def zenoo_register_cache_backends(self) -> Any:
            return CacheBackendSpec(name="single", factory=dict)

    class Wrong:
        @hookimpl
        def zenoo_register_cache_backends(self) -> Any:
            return ["memory"]

    host.register(Single(), "single")
    assert set(host.cache_backends()) == {"single"}
    host.register(Wrong(), "wrong")
    with pytest.raises(PluginError, match=r"plugin 'wrong': .* expected CacheBackendSpec"):
        host.cache_backends()


def test_hook_exception_names_the_plugin(host: PluginHost) -> None:
    class Failing:
        @hookimpl
        def zenoo_register_retry_strategies(self) -> Any:
            raise RuntimeError("boom")

    host.register(Failing(), "failing")
    with pytest.raises(
        PluginError,
        match="plugin 'failing' failed in zenoo_register_retry_strategies: RuntimeError: boom",
    ) as info:
        host.retry_strategies()
    assert isinstance(info.value.__cause__, RuntimeError)


def test_middleware_none_is_skipped_and_non_callable_rejected(host: PluginHost) -> None:
    class NoMiddleware:
        @hookimpl
        def zenoo_middleware(self, config: ZenooConfig) -> None:
            assert config.database == "demo"  # implementations may take fewer arguments

    class NotCallable:
        @hookimpl
        def zenoo_middleware(self, client: Any, config: ZenooConfig) -> Any:
            return 42

    host.register(NoMiddleware(), "none")
    assert host.middlewares(object(), ZenooConfig(database="demo")) == []
    host.register(NotCallable(), "not-callable")
    with pytest.raises(PluginError, match="'not-callable': zenoo_middleware returned int"):
        host.middlewares(object(), ZenooConfig(database="demo"))


def test_tryfirst_middleware_comes_first(host: PluginHost) -> None:
    async def late(call: Call, call_next: Any) -> Any:
        return await call_next(call)

    async def early(call: Call, call_next: Any) -> Any:
        return await call_next(call)

    class Late:
        @hookimpl
        def zenoo_middleware(self) -> Any:
            return late

    class Early:
        @hookimpl(tryfirst=True)
        def zenoo_middleware(self) -> Any:
            return early

    host.register(Late(), "late")
    host.register(Early(), "early")
    assert host.middlewares(None, ZenooConfig()) == [early, late]


async def test_event_listeners_are_isolated(
    host: PluginHost, caplog: pytest.LogCaptureFixture
) -> None:
    received: list[str] = []

    class Failing:
        @hookimpl
        def zenoo_event(self, event: Event) -> None:
            raise RuntimeError("listener bug")

    class Recording:
        @hookimpl
        def zenoo_event(self, event: Event) -> Any:
            async def record() -> None:
                received.append(event.name)

            return record()

    class NoArgument:
        @hookimpl
        def zenoo_event(self) -> None:
            received.append("no-argument")

    host.register(Failing(), "failing")
    host.register(Recording(), "recording")
    host.register(NoArgument(), "no-argument")
    listeners = host.event_listeners()
    assert len(listeners) == 3
    with caplog.at_level(logging.ERROR, logger="zenoo_rpc.events"):
        await deliver(listeners, Event(name="cache_hit"))
    assert received == ["cache_hit", "no-argument"]
    assert "listener bug" in caplog.text
