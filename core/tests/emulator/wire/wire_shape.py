"""Compare the *shape* of two decoded answers: keys, value types and list element shapes.

Values that change from one database to another (ids, names, dates, counts,
list lengths) are not compared. ``False`` and ``None`` match anything (Odoo's
empty value); ints and floats are one kind; a dict whose keys are all digits
(``currencies``, ``allowed_companies``) is keyed by ids, so only its values'
shape counts. With ``subset`` a dict may hold fewer keys
than the real one (the emulator does not have every field of every module)
but never a key the real one lacks.
"""

from __future__ import annotations

from typing import Any

__all__ = ["shape_differences"]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "dict"
    return type(value).__name__


def shape_differences(
    expected: Any, actual: Any, *, subset: bool = False, path: str = "$", depth: int = 0
) -> list[str]:
    """Every place where ``actual`` does not have ``expected``'s shape (empty: same shape)."""
    if expected is False or expected is None or actual is False or actual is None:
        return []
    kind, actual_kind = _kind(expected), _kind(actual)
    if kind != actual_kind:
        return [
            f"{path}: expected {kind} ({_short(expected)}), got {actual_kind} ({_short(actual)})"
        ]
    if kind == "dict":
        return _dict_differences(expected, actual, subset=subset, path=path, depth=depth)
    if kind == "list":
        return _list_differences(expected, actual, subset=subset, path=path, depth=depth)
    return []


def _dict_differences(
    expected: dict[str, Any], actual: dict[str, Any], *, subset: bool, path: str, depth: int
) -> list[str]:
    if (
        expected
        and actual
        and all(k.isdigit() for k in expected)
        and all(k.isdigit() for k in actual)
    ):
        return shape_differences(
            next(iter(expected.values())),
            next(iter(actual.values())),
            subset=subset,
            path=f"{path}.<id>",
            depth=depth + 1,
        )
    problems = []
    extra = sorted(set(actual) - set(expected))
    missing = sorted(set(expected) - set(actual))
    if extra:
        problems.append(f"{path}: unexpected keys {extra}")
    if missing and not (subset and actual):
        problems.append(f"{path}: missing keys {missing}")
    for key in set(expected) & set(actual):
        problems += shape_differences(
            expected[key], actual[key], subset=subset, path=f"{path}.{key}", depth=depth + 1
        )
    return problems


def _list_differences(
    expected: list[Any], actual: list[Any], *, subset: bool, path: str, depth: int
) -> list[str]:
    if not expected or not actual:
        return []
    dicts = [e for e in expected if isinstance(e, dict)]
    problems: list[str] = []
    for index, item in enumerate(actual[:20]):
        model = expected[min(index, len(expected) - 1)]
        if isinstance(item, dict) and dicts:
            # records may differ in keys (read_group's optional keys): take the closest one
            model = min(dicts, key=lambda e: len(set(e) ^ set(item)))
        problems += shape_differences(
            model, item, subset=subset, path=f"{path}[{index}]", depth=depth + 1
        )
        if problems:
            break
    return problems


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."
