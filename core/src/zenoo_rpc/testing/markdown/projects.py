"""A page's files (``file=`` blocks), written to disk and, when they form a project, installed.

A block whose info string has ``file=PATH`` (```` ```toml file=pyproject.toml ````)
is a file the reader would create. Before a block runs, every ``file=`` block
above it on the page is written to the block's directory, so later examples
use them: a ``zenoo.toml`` the ``zenoo`` command reads, a module an in-house
hook lives in, a CSV to import.

When those files include a ``pyproject.toml`` with a ``[build-system]``, they
are a project: it is built into a wheel by its own build backend (PEP 517,
in a subprocess, without build isolation, so the backend must be installed:
``hatchling`` is in core's ``test`` extra) and the wheel is installed into a
directory put on ``sys.path``, as an installer would for a pure-Python wheel.
Its entry points are then visible to :mod:`importlib.metadata`, which is how a
plugin is found by name. Wheels are cached per process by the files' content.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from zenoo_rpc.errors import ZenooError
from zenoo_rpc.testing.markdown.blocks import CodeBlock
from zenoo_rpc.testing.markdown.sandbox import Sandbox

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["ProjectError", "build_wheel", "install_wheel", "page_files", "write_files"]

_BUILD = (
    "import importlib, sys; "
    "backend = importlib.import_module(sys.argv[1]); "
    "print(backend.build_wheel(sys.argv[2]))"
)
_wheels: dict[str, Path] = {}


class ProjectError(ZenooError, RuntimeError):
    """A page's files cannot be written, built or installed."""


def page_files(blocks: Sequence[CodeBlock], before: int) -> list[CodeBlock]:
    """The ``file=`` blocks of a page above position ``before`` (the block itself included)."""
    return [block for block in blocks[: before + 1] if block.attribute("file") is not None]


def write_files(files: Sequence[CodeBlock], sandbox: Sandbox) -> bool:
    """Write ``files`` into the sandbox's directory; install them if they are a project.

    :return: whether a project was built and installed.
    :raises ProjectError: a path leaves the directory, or the build fails.
    """
    for block in files:
        relative = PurePosixPath(block.attribute("file") or "")
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise ProjectError(f"{block.label}: file={relative} must be a relative path inside")
        target = sandbox.workdir.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(sandbox.substitute(block.source), encoding="utf-8")
    pyproject = sandbox.workdir / "pyproject.toml"
    if not any(block.attribute("file") == "pyproject.toml" for block in files):
        return False
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    if "build-system" not in data or not any(block.language in ("python", "py") for block in files):
        return False
    site = sandbox.workdir.parent / f"{sandbox.workdir.name}-site"
    install_wheel(build_wheel(sandbox.workdir, files[-1].label), site)
    sandbox.import_paths.append(site)
    sys.path.insert(0, str(site))
    importlib.invalidate_caches()
    return True


def build_wheel(directory: Path, label: str) -> Path:
    """Build the project in ``directory`` with its own PEP 517 backend; the wheel's path."""
    sources = sorted(p for p in directory.rglob("*") if p.is_file())
    digest = hashlib.sha256()
    for path in sources:
        digest.update(str(path.relative_to(directory)).encode() + b"\0" + path.read_bytes())
    key = digest.hexdigest()
    if key in _wheels and _wheels[key].exists():
        return _wheels[key]
    data = tomllib.loads((directory / "pyproject.toml").read_text(encoding="utf-8"))
    backend = str(data["build-system"].get("build-backend", "setuptools.build_meta:__legacy__"))
    backend = backend.split(":", 1)[0]
    if importlib.util.find_spec(backend.split(".", 1)[0]) is None:
        raise ProjectError(
            f"{label}: the example project's build backend {backend!r} is not installed in "
            "this environment (install it; core's test extra has hatchling)"
        )
    out = Path(tempfile.mkdtemp(prefix="zenoo-docs-wheel-"))
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-c", _BUILD, backend, str(out)],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise ProjectError(f"{label}: building the example project failed:\n{done.stderr}")
    wheel = out / done.stdout.strip().splitlines()[-1]
    _wheels[key] = wheel
    return wheel


def install_wheel(wheel: Path, site: Path) -> None:
    """Install a pure-Python wheel into ``site`` (unpacked, as installers do for purelib)."""
    with zipfile.ZipFile(wheel) as archive:
        metadata = [name for name in archive.namelist() if name.endswith(".dist-info/WHEEL")]
        text = archive.read(metadata[0]).decode() if metadata else ""
        if "Root-Is-Purelib: true" not in text:
            raise ProjectError(f"{wheel.name} is not a pure-Python wheel")
        archive.extractall(site)  # a wheel this process just built
