"""Fenced code blocks of a Markdown page, with their info strings and doctest directives.

A block is what a reader sees between two fences (```` ``` ```` or ``~~~``,
CommonMark rules: up to three spaces of indentation, a closing fence at least
as long as the opening one). Its *info string* is the text after the opening
fence: the first word is the language, the other words are flags
(``python peer``) or ``key=value`` attributes (``toml file=zenoo.toml``).

Directives are HTML comments, invisible on GitHub, placed on the lines just
before a block (blank lines may separate them)::

    <!-- doctest: continue -->

``continue`` makes the block run after the previous runnable block of the
same language on the page, sharing its namespace (Python) or its directory
and servers (shell). Any other directive is an error, so a typo cannot
silently change how a block runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from zenoo_rpc.errors import ZenooError

__all__ = ["DIRECTIVES", "CodeBlock", "MarkdownError", "parse_page"]

#: Every directive a page may use, with what it does.
DIRECTIVES: dict[str, str] = {
    "continue": "run after the previous block of the same language, sharing its state",
}

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_DIRECTIVE = re.compile(r"^\s*<!--\s*doctest:\s*(?P<body>.*?)\s*-->\s*$")


class MarkdownError(ZenooError, ValueError):
    """A page cannot be read as blocks: an unclosed fence, an unknown directive."""


@dataclass(frozen=True)
class CodeBlock:
    """One fenced block of a page.

    :ivar path: the Markdown file.
    :ivar label: ``<path relative to the root>:<line of the opening fence>``,
        the id of the block's test (``README.md:42``).
    :ivar line: line number of the opening fence (from 1).
    :ivar language: first word of the info string, lower case (``""`` if none).
    :ivar flags: the other words of the info string without ``=``.
    :ivar attributes: the ``key=value`` words of the info string.
    :ivar source: the block's text, indentation of the fence removed.
    :ivar directives: the names of the ``<!-- doctest: ... -->`` comments before it.
    :ivar index: position of the block on its page (from 0).
    """

    path: Path
    label: str
    line: int
    language: str
    flags: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    source: str = ""
    directives: tuple[str, ...] = ()
    index: int = 0
    info: str = field(default="", compare=False)

    @property
    def first_source_line(self) -> int:
        """Line number, in the page, of the block's first line of code."""
        return self.line + 1

    def attribute(self, name: str) -> str | None:
        """The value of attribute ``name`` (``file`` for ``toml file=zenoo.toml``), or None."""
        return dict(self.attributes).get(name)

    @property
    def continues(self) -> bool:
        """Whether the block continues the previous one (``<!-- doctest: continue -->``)."""
        return "continue" in self.directives

    def __str__(self) -> str:
        return self.label


def parse_page(path: Path, root: Path | None = None) -> list[CodeBlock]:
    """Every fenced block of the Markdown file ``path``, in page order.

    :param root: labels are relative to it (default: the file's directory).
    :raises MarkdownError: an unclosed fence or an unknown ``doctest`` directive.
    """
    text = path.read_text(encoding="utf-8")
    base = root if root is not None else path.parent
    try:
        shown = path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    lines = text.splitlines()
    blocks: list[CodeBlock] = []
    pending: list[str] = []
    number = 0
    while number < len(lines):
        line = lines[number]
        directive = _DIRECTIVE.match(line)
        if directive:
            pending.extend(_directives(directive.group("body"), f"{shown}:{number + 1}"))
            number += 1
            continue
        opening = _FENCE.match(line)
        if opening is None or ("`" in opening.group("info") and opening.group("fence")[0] == "`"):
            if line.strip():
                pending = []
            number += 1
            continue
        fence, indent = opening.group("fence"), len(opening.group("indent"))
        start = number
        body: list[str] = []
        number += 1
        while number < len(lines):
            closing = _FENCE.match(lines[number])
            if (
                closing is not None
                and closing.group("fence")[0] == fence[0]
                and len(closing.group("fence")) >= len(fence)
                and not closing.group("info").strip()
            ):
                break
            body.append(_dedent(lines[number], indent))
            number += 1
        else:
            raise MarkdownError(f"{shown}:{start + 1}: the code block opened here is never closed")
        language, flags, attributes = _info(opening.group("info"))
        blocks.append(
            CodeBlock(
                path=path,
                label=f"{shown}:{start + 1}",
                line=start + 1,
                language=language,
                flags=flags,
                attributes=attributes,
                source="\n".join(body) + ("\n" if body else ""),
                directives=tuple(pending),
                index=len(blocks),
                info=opening.group("info").strip(),
            )
        )
        pending = []
        number += 1
    return blocks


def _directives(body: str, where: str) -> list[str]:
    names = body.split()
    unknown = [name for name in names if name not in DIRECTIVES]
    if unknown or not names:
        known = ", ".join(sorted(DIRECTIVES))
        raise MarkdownError(
            f"{where}: unknown doctest directive {body!r}; known directives: {known}"
        )
    return names


def _info(info: str) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]:
    words = info.strip().split()
    if not words:
        return "", (), ()
    language = words[0].lower()
    flags = tuple(word for word in words[1:] if "=" not in word)
    attributes = tuple(
        (key, value) for key, _, value in (word.partition("=") for word in words[1:] if "=" in word)
    )
    return language, flags, attributes


def _dedent(line: str, indent: int) -> str:
    removable = len(line) - len(line.lstrip(" "))
    return line[min(indent, removable) :]
