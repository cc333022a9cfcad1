"""Exceptions the emulated Odoo raises, carrying the name real Odoo reports.

The ORM raises these; the wire layer turns them into each protocol's error
shape (JSON-RPC ``error.data``, JSON-2 status + body, XML-RPC fault), using
``odoo_name`` and ``message`` exactly as real Odoo would report them.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "AccessDenied",
    "AccessError",
    "EmulatedError",
    "MissingError",
    "ModelNotFound",
    "PythonError",
    "SignatureError",
    "UnknownMethod",
    "UserError",
    "ValidationError",
]


class EmulatedError(Exception):
    """An error as Odoo reports it: ``odoo_name`` is the Python class path Odoo sends."""

    odoo_name: ClassVar[str] = "builtins.Exception"
    #: HTTP status JSON-2 answers with for this error.
    json2_status: ClassVar[int] = 500
    #: XML-RPC fault code (1 generic, 2 UserError family, 3 AccessDenied, 4 AccessError).
    xmlrpc_fault: ClassVar[int] = 1

    def __init__(self, message: str, *arguments: Any) -> None:
        self.message = message
        self.arguments: tuple[Any, ...] = arguments or (message,)
        super().__init__(message)

    @property
    def name(self) -> str:
        return self.odoo_name


class UserError(EmulatedError):
    odoo_name = "odoo.exceptions.UserError"
    json2_status = 422
    xmlrpc_fault = 2


class ValidationError(UserError):
    odoo_name = "odoo.exceptions.ValidationError"


class MissingError(UserError):
    odoo_name = "odoo.exceptions.MissingError"
    json2_status = 404


class AccessError(UserError):
    odoo_name = "odoo.exceptions.AccessError"
    json2_status = 403
    xmlrpc_fault = 4


class AccessDenied(UserError):
    odoo_name = "odoo.exceptions.AccessDenied"
    json2_status = 403
    xmlrpc_fault = 3

    def __init__(self, message: str = "Access Denied", *arguments: Any) -> None:
        super().__init__(message, *arguments)


class PythonError(EmulatedError):
    """A plain Python exception inside Odoo (``builtins.ValueError``, ``builtins.TypeError``...)."""

    def __init__(self, python_name: str, message: str, *arguments: Any) -> None:
        self._python_name = python_name
        super().__init__(message, *arguments)

    @property
    def name(self) -> str:
        return self._python_name


class ModelNotFound(EmulatedError):
    """The model does not exist.

    Odoo <= 18 reports it as ``odoo.exceptions.UserError: Object x doesn't exist``
    over JSON-RPC; JSON-2 answers 404 ``the model 'x' does not exist``.
    """

    odoo_name = "odoo.exceptions.UserError"
    json2_status = 404
    xmlrpc_fault = 2

    def __init__(self, model: str) -> None:
        self.model = model
        super().__init__(f"Object {model} doesn't exist")


class UnknownMethod(EmulatedError):
    """The method does not exist on the model (``builtins.AttributeError`` on JSON-RPC)."""

    odoo_name = "builtins.AttributeError"
    json2_status = 404

    def __init__(self, model: str, method: str) -> None:
        self.model = model
        self.method = method
        super().__init__(f"The method '{method}' does not exist on the model '{model}'")


class SignatureError(EmulatedError):
    """Arguments do not fit the method's signature.

    JSON-RPC reports ``builtins.TypeError`` with Python's message; JSON-2 answers
    422 ``werkzeug.exceptions.UnprocessableEntity`` with the ``inspect`` message
    (``missing a required argument: 'domain'``).
    """

    odoo_name = "builtins.TypeError"
    json2_status = 422
