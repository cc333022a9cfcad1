"""Python source text for generated model modules, laid out as ``ruff format`` lays it out.

The model code generator must not need ruff at run time, yet its output has to
pass ``ruff format --check`` and ``ruff check`` unchanged (line length 100). It
writes only a few shapes of statement, and writes each in the one layout the
formatter keeps:

* a statement that fits on one line stays on one line;
* otherwise the call (or subscript, or list) is exploded one item per line with
  a trailing comma (the "magic trailing comma" makes the formatter keep it so);
* a string argument too long for its line is wrapped in parentheses, split at
  spaces into implicitly concatenated parts when it does not fit even there;
* string literals are written with the formatter's quote preference, and
  every character outside printable ASCII is escaped: no ambiguous-character
  lint (``RUF001``), no width surprises.
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "INDENT",
    "LINE_LENGTH",
    "Argument",
    "bracket_lines",
    "call_lines",
    "comment_lines",
    "docstring_lines",
    "exported_order",
    "string_literal",
    "string_parts",
]

#: The line length of the repository's ruff configuration (and ruff's default is 88: less).
LINE_LENGTH = 100
INDENT = "    "

_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_TOKENS = re.compile(r"\S+\s*|\s+")


def _escape(char: str, quote: str) -> str:
    if char == quote:
        return "\\" + quote
    escaped = _ESCAPES.get(char)
    if escaped is not None:
        return escaped
    if " " <= char <= "~":
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def string_literal(text: str) -> str:
    """``text`` as a string literal: double quotes unless that needs more escapes, ASCII only."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    return quote + "".join(_escape(char, quote) for char in text) + quote


def string_parts(text: str, width: int) -> list[str]:
    """``text`` as string literals, each at most ``width`` wide when a break at a space allows.

    Parts end after whitespace (and after each newline), so that the text reads
    naturally; a word longer than ``width`` gets a part of its own, the spaces
    after it moved to the next part, so that its line is one word (which the
    line-length lint allows).
    """
    parts: list[str] = []
    current = carry = ""
    for token in _TOKENS.findall(text):
        token, carry = carry + token, ""
        if current and len(string_literal(current + token)) > width:
            parts.append(current)
            current = ""
        if not current and len(string_literal(token)) > width and token.rstrip(" "):
            word = token.rstrip(" ")
            parts.append(word)
            carry = token[len(word) :]
            continue
        current += token
        if "\n" in token:
            parts.append(current)
            current = ""
    parts.extend(part for part in (current, carry) if part)
    return [string_literal(part) for part in parts]


@dataclass(frozen=True)
class Argument:
    """One argument of a call: its source text and, for strings, the text it spells."""

    value: str
    keyword: str | None = None
    #: The text of a string argument, which may be split over several lines.
    text: str | None = None

    @classmethod
    def string(cls, text: str, keyword: str | None = None) -> Argument:
        """A string argument (split over lines when too long)."""
        return cls(string_literal(text), keyword, text)

    @property
    def flat(self) -> str:
        return self.value if self.keyword is None else f"{self.keyword}={self.value}"

    def lines(self, indent: int) -> list[str]:
        """The argument on its own lines (a trailing comma included) at ``indent`` levels."""
        pad = INDENT * indent
        line = f"{pad}{self.flat},"
        if len(line) <= LINE_LENGTH or self.text is None:
            return [line]
        inner = INDENT * (indent + 1)
        if len(inner) + len(self.value) <= LINE_LENGTH:
            parts = [self.value]
        else:
            parts = string_parts(self.text, LINE_LENGTH - len(inner))
        opener = "(" if self.keyword is None else f"{self.keyword}=("
        return [f"{pad}{opener}", *(inner + part for part in parts), f"{pad}),"]


def call_lines(
    target: str,
    callee: str,
    arguments: Sequence[Argument],
    *,
    subscript: str | None = None,
    indent: int = 1,
) -> list[str]:
    """``target = callee[subscript](arguments...)``: one line when it fits, else exploded."""
    pad = INDENT * indent
    head = f"{pad}{target} = {callee}"
    generic = f"[{subscript}]" if subscript is not None else ""
    flat = f"{head}{generic}({', '.join(argument.flat for argument in arguments)})"
    if len(flat) <= LINE_LENGTH or not arguments:
        return [flat]
    if subscript is None or len(f"{head}{generic}(") <= LINE_LENGTH:
        lines = [f"{head}{generic}("]
    else:
        lines = [f"{head}[", f"{pad}{INDENT}{subscript}", f"{pad}]("]
    for argument in arguments:
        lines.extend(argument.lines(indent + 1))
    lines.append(f"{pad})")
    return lines


def bracket_lines(prefix: str, items: Sequence[str], opener: str, closer: str) -> list[str]:
    """``prefix[items...]`` at module level: one line when it fits, else one item per line."""
    flat = f"{prefix}{opener}{', '.join(items)}{closer}"
    if len(flat) <= LINE_LENGTH:
        return [flat]
    return [f"{prefix}{opener}", *(f"{INDENT}{item}," for item in items), closer]


def comment_lines(text: str, *, indent: int = 1) -> list[str]:
    """``text`` as ``#`` comment lines at ``indent`` levels, wrapped at the line length."""
    pad = INDENT * indent + "# "
    return textwrap.wrap(
        text,
        width=LINE_LENGTH,
        initial_indent=pad,
        subsequent_indent=pad,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _docstring_text(text: str) -> str:
    """``text`` on one line, escaped for a docstring (quotes too: one may end the text)."""
    return "".join('\\"' if char == '"' else _escape(char, "") for char in " ".join(text.split()))


def docstring_lines(summary: str, paragraphs: Iterable[str] = (), *, indent: int = 0) -> list[str]:
    """A docstring: the summary line, then each paragraph wrapped at the line length."""
    pad = INDENT * indent
    body = [_docstring_text(paragraph) for paragraph in paragraphs if paragraph.strip()]
    first = f'{pad}"""{_docstring_text(summary)}'
    if not body:
        return [first + '"""']
    lines = [first]
    for paragraph in body:
        lines.append("")
        lines.extend(
            textwrap.wrap(
                paragraph,
                width=LINE_LENGTH,
                initial_indent=pad,
                subsequent_indent=pad,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    lines.append(f'{pad}"""')
    return lines


def _natural_compare(left: str, right: str) -> int:
    """Compare like ruff's ``__all__`` sort: digit runs by value, other characters by code."""
    i = j = 0
    while i < len(left) and j < len(right):
        if left[i].isdigit() and right[j].isdigit():
            end_i, end_j = i, j
            while end_i < len(left) and left[end_i].isdigit():
                end_i += 1
            while end_j < len(right) and right[end_j].isdigit():
                end_j += 1
            a, b = int(left[i:end_i]), int(right[j:end_j])
            if a != b:
                return -1 if a < b else 1
            i, j = end_i, end_j
            continue
        if left[i] != right[j]:
            return -1 if left[i] < right[j] else 1
        i += 1
        j += 1
    return (len(left) - i > 0) - (len(right) - j > 0)


def _name_group(name: str) -> int:
    if len(name) > 1 and name.upper() == name and name.lower() != name:
        return 0  # SCREAMING_CASE
    return 1 if name[:1].isupper() else 2


def exported_order(names: Iterable[str]) -> list[str]:
    """``names`` in the order ruff wants ``__all__`` in (``RUF022``): constants, classes, rest."""
    key = functools.cmp_to_key(_natural_compare)
    return sorted(names, key=lambda name: (_name_group(name), key(name)))
