"""``zenoo models generate``: a typed model module from the served emulator's models."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_support import Zenoo
from click.testing import Result

from zenoo_rpc.models import OdooModel, common


def test_generate_writes_a_module_that_imports(
    zenoo: Zenoo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = zenoo("models", "generate", "res.partner", "sale.order", "-o", "odoo_models.py")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == "wrote 2 model(s) to odoo_models.py\n"
    path = tmp_path / "odoo_models.py"
    source = path.read_text(encoding="utf-8")
    compile(source, str(path), "exec")
    spec = importlib.util.spec_from_file_location("odoo_models", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "odoo_models", module)
    spec.loader.exec_module(module)
    assert sorted(module.__all__) == sorted(
        ["ResPartner", "ResPartnerCompanyType", "ResPartnerType", "SaleOrder", "SaleOrderState"]
    )
    assert issubclass(module.ResPartner, OdooModel)
    assert module.ResPartner._odoo_model_name == "res.partner"
    assert module.SaleOrder._odoo_model_name == "sale.order"
    assert module.SaleOrder._fields["partner_id"].declared_model() is module.ResPartner
    assert module.SaleOrder._fields["order_line"].comodel == "sale.order.line"
    assert module.ResPartner._fields["country_id"].declared_model() is common.ResCountry
    docstring = " ".join((module.__doc__ or "").split())
    assert "``zenoo models generate res.partner sale.order``" in docstring
    assert "of Odoo 18.0." in docstring


def test_stdout_gets_the_same_module_whatever_the_order_of_the_models(
    zenoo: Zenoo, tmp_path: Path
) -> None:
    written = zenoo("models", "generate", "sale.order", "res.partner", "-o", "first.py")
    assert written.returncode == 0, written.stderr
    printed = zenoo("models", "generate", "res.partner", "sale.order")
    assert printed.returncode == 0, printed.stderr
    assert printed.stderr == ""
    assert printed.stdout == (tmp_path / "first.py").read_text(encoding="utf-8")


def test_an_unknown_model_fails_and_writes_nothing(zenoo: Zenoo, tmp_path: Path) -> None:
    result = zenoo("models", "generate", "res.partner", "no.such.model", "-o", "out.py")
    assert result.returncode == 1
    assert result.stderr.startswith("zenoo: error: ")
    assert "no.such.model" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.py").exists()


def test_include_related_generates_the_related_models(
    run_served: Callable[..., Result], isolated: Path
) -> None:
    result = run_served("models", "generate", "sale.order.line", "--include-related")
    assert result.exit_code == 0, result.output
    source = result.stdout
    for model in ("sale.order.line", "sale.order", "product.product", "res.currency"):
        assert f'model_name = "{model}"' in source
    assert "res.partner" not in {
        line.split('"')[1] for line in source.splitlines() if "model_name = " in line
    }  # two levels away: sale.order.line -> sale.order -> res.partner
    assert "``zenoo models generate sale.order.line --include-related``" in " ".join(source.split())


def test_a_malformed_model_name_is_a_usage_error(run_served: Callable[..., Result]) -> None:
    result = run_served("models", "generate", "res partner")
    assert result.exit_code == 2
    assert "'res partner' is not an Odoo model name" in result.stderr
