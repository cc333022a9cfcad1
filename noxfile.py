"""Every task of the zenoo-rpc repository: ``nox -l`` lists them.

Each package is tested in its own virtual environment holding only core and
that package (a shared environment would hide undeclared dependencies).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

ROOT = Path(__file__).parent
CORE = ROOT / "core"
PLUGINS = sorted(p for p in (ROOT / "plugins").glob("*") if (p / "pyproject.toml").exists())
PACKAGES = {"core": CORE} | {p.name: p for p in PLUGINS}

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "lint", "types", "build"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
@nox.parametrize("package", list(PACKAGES))
def tests(session: nox.Session, package: str) -> None:
    """Run one package's tests in a venv with only core and that package."""
    path = PACKAGES[package]
    session.install("-e", f"{CORE}[test]")
    if path != CORE:
        session.install("-e", f"{path}[test]")
    session.run("pytest", str(path / "tests"), *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def types(session: nox.Session) -> None:
    """mypy --strict over every package's source."""
    session.install("mypy>=1.11", "-e", f"{CORE}[test]", *(f"-e{p}" for p in PLUGINS))
    session.run("mypy", str(CORE / "src"), *(str(p / "src") for p in PLUGINS))


@nox.session
def build(session: nox.Session) -> None:
    """Build every wheel, then install each alone in a clean venv and import it."""
    dist = ROOT / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.install("build>=1.2")
    for path in PACKAGES.values():
        session.run("python", "-m", "build", "--wheel", "--outdir", str(dist), str(path))
    for name, path in PACKAGES.items():
        wheel = _wheel_for(dist, path)
        venv = ROOT / ".nox" / f"wheel-{name}"
        shutil.rmtree(venv, ignore_errors=True)
        session.run("python", "-m", "venv", str(venv))
        python = str(venv / "bin" / "python")
        session.run(
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "--find-links",
            str(dist),
            str(wheel),
            external=True,
        )
        module = _import_name(path)
        session.run(
            python, "-c", f"import {module}; print({module}.__name__, 'imports')", external=True
        )


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against the other Odoo clients (not tests): prints ratio tables."""
    session.install("-e", f"{CORE}[emulator]")
    session.run("python", str(ROOT / "bench" / "run.py"), *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """The guided tour against the built-in in-memory Odoo."""
    session.install("-e", str(CORE))
    session.run("python", "-m", "zenoo_rpc.demo", *session.posargs)


def _wheel_for(dist: Path, path: Path) -> Path:
    dist_name = _project_name(path).replace("-", "_")
    wheels = sorted(dist.glob(f"{dist_name}-*.whl"))
    if not wheels:
        raise RuntimeError(f"no wheel built for {path}")
    return wheels[-1]


def _project_name(path: Path) -> str:
    import tomllib

    return str(tomllib.loads((path / "pyproject.toml").read_text())["project"]["name"])


def _import_name(path: Path) -> str:
    return next(p.name for p in (path / "src").iterdir() if (p / "__init__.py").exists())
