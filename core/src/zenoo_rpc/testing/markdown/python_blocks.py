"""Python blocks: each one a complete program, run in this process as ``__main__``.

The block is compiled with the page as its file name and its own line
numbers, so a traceback points at the line of the Markdown page. It runs as a
script would: ``__name__ == "__main__"``, its directory first on ``sys.path``,
``asyncio.run(main())`` for async code (so the caller must not be inside an
event loop). ``SystemExit`` with a non-zero code is a failure. A chain of
blocks joined by ``<!-- doctest: continue -->`` shares one namespace.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

from zenoo_rpc.errors import ZenooError
from zenoo_rpc.testing.markdown.blocks import CodeBlock
from zenoo_rpc.testing.markdown.sandbox import Sandbox

__all__ = ["PythonBlockError", "compile_block", "run_python"]


class PythonBlockError(ZenooError, AssertionError):
    """A Python block exited with a non-zero status."""


def compile_block(block: CodeBlock, source: str | None = None) -> Any:
    """The block's code object, with the page's file name and line numbers."""
    text = block.source if source is None else source
    return compile("\n" * block.line + text, str(block.path), "exec", dont_inherit=True)


def run_python(chain: Sequence[CodeBlock], sandbox: Sandbox) -> None:
    """Run ``chain`` (blocks continuing one another, the block under test last) as one program.

    :raises PythonBlockError: a block called ``sys.exit`` with a failure status.
    """
    namespace: dict[str, Any] = {
        "__name__": "__main__",
        "__builtins__": builtins,
        "__file__": str(sandbox.workdir / "example.py"),
    }
    for block in chain:
        code = compile_block(block, sandbox.substitute(block.source))
        try:
            exec(code, namespace)  # noqa: S102 - running the documentation's examples is the point
        except SystemExit as exc:
            if exc.code not in (None, 0):
                raise PythonBlockError(f"{block.label} exited with status {exc.code!r}") from exc
