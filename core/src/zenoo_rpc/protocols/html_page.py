"""What an HTML answer from Odoo says: its error message, and the inputs of its form.

Some Odoo routes answer pages, not JSON: the database manager
(``/web/database/*``) shows its errors in an ``alert-danger`` box, the 2FA
login (``/web/login/totp``) is a form with a CSRF token, and report or
download routes fail with Werkzeug's error pages (``<h1>`` and ``<p>``). This
module reads those with the standard library's tolerant parser; it never
raises on malformed HTML.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["HtmlPage", "page_message"]

#: How much text an error message quotes from a page at most.
MAX_MESSAGE_CHARS = 500

_SPACES = re.compile(r"\s+")
_VOID = frozenset({"br", "hr", "img", "input", "link", "meta", "source", "wbr"})
_SKIPPED = frozenset({"script", "style"})


class HtmlPage(HTMLParser):
    """One parsed page: ``alerts``, ``title``, ``heading``, ``paragraphs``, ``inputs``, ``text``.

    ``alerts`` holds the text of every element whose class has ``alert-danger``;
    ``inputs`` maps each named ``<input>`` to its value (the last one wins).
    """

    def __init__(self, content: bytes | str) -> None:
        super().__init__(convert_charrefs=True)
        self.alerts: list[str] = []
        self.title = ""
        self.heading = ""
        self.paragraphs: list[str] = []
        self.inputs: dict[str, str] = {}
        self._text: list[str] = []
        self._stack: list[str] = []
        #: Open elements collecting text: (tag, depth, target list, parts).
        self._collecting: list[tuple[str, int, str, list[str]]] = []
        self._skip = 0
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        self.feed(text)
        self.close()

    @property
    def text(self) -> str:
        """All visible text, whitespace collapsed."""
        return _clean("".join(self._text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "input":
            name = values.get("name")
            if name:
                self.inputs[name] = values.get("value", "")
            return
        if tag in _VOID:
            return
        if tag in _SKIPPED:
            self._skip += 1
        self._stack.append(tag)
        depth = len(self._stack)
        if "alert-danger" in values.get("class", "").split():
            self._collecting.append((tag, depth, "alert", []))
        elif tag in ("title", "h1", "p"):
            self._collecting.append((tag, depth, tag, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self._stack:
            return
        while self._stack:
            open_tag = self._stack.pop()
            depth = len(self._stack) + 1
            if open_tag in _SKIPPED:
                self._skip = max(0, self._skip - 1)
            while self._collecting and self._collecting[-1][1] == depth:
                _, _, target, parts = self._collecting.pop()
                self._store(target, _clean("".join(parts)))
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self._text.append(data)
        for _, _, _, parts in self._collecting:
            parts.append(data)

    def _store(self, target: str, text: str) -> None:
        if not text:
            return
        if target == "alert":
            self.alerts.append(text)
        elif target == "title" and not self.title:
            self.title = text
        elif target == "h1" and not self.heading:
            self.heading = text
        elif target == "p":
            self.paragraphs.append(text)

    def close(self) -> None:
        super().close()
        while self._collecting:  # unclosed elements at the end of the page
            _, _, target, parts = self._collecting.pop()
            self._store(target, _clean("".join(parts)))

    def message(self) -> str:
        """The page's error message: its alert, else Werkzeug's heading and text, else its title."""
        if self.alerts:
            return _shorten(" ".join(self.alerts))
        if self.heading and self.paragraphs:
            return _shorten(f"{self.heading}: {self.paragraphs[0]}")
        return _shorten(self.heading or self.title or self.text)


def page_message(content: bytes | str) -> str:
    """The error message an HTML page shows (see :meth:`HtmlPage.message`)."""
    return HtmlPage(content).message()


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _shorten(text: str) -> str:
    if len(text) <= MAX_MESSAGE_CHARS:
        return text
    return text[: MAX_MESSAGE_CHARS - 3].rstrip() + "..."
