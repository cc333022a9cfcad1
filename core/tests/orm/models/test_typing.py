"""Generated-style model code passes ``mypy --strict``, and its records are typed precisely."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from mypy import api as mypy_api

GENERATED = """
from __future__ import annotations

from datetime import datetime
from typing import Literal

from typing_extensions import assert_type

from zenoo_rpc import ZenooClient
from zenoo_rpc.models import OdooModel, Ref, X2Many, fields
from zenoo_rpc.models.fields import CharField, Many2oneField


class ResCountry(OdooModel):
    class Meta:
        model_name = "res.country"

    name = fields.CharField(string="Country Name", required=True)
    code = fields.CharField(string="Country Code")


class ResPartner(OdooModel):
    class Meta:
        model_name = "res.partner"

    name = fields.CharField(string="Name")
    company_type = fields.SelectionField[Literal["person", "company"]](string="Company Type")
    country_id = fields.Many2oneField["ResCountry"]("res.country", string="Country")
    child_ids = fields.One2manyField["ResPartner"]("res.partner", inverse_name="parent_id")
    write_date = fields.DatetimeField(string="Last Updated on")
    color = fields.IntegerField(string="Color Index")
    lang = fields.SelectionField(string="Language")
    image_1920 = fields.BinaryField(string="Image")
    partner_latitude = fields.FloatField(string="Geo Latitude")
    is_company = fields.BooleanField(string="Is a Company")


async def use(client: ZenooClient) -> None:
    partners = await client.model(ResPartner).filter(name__ilike="a").limit(5).all()
    assert_type(partners, list[ResPartner])
    partner = partners[0]
    assert_type(partner.name, str | None)
    assert_type(partner.company_type, Literal["person", "company"] | None)
    assert_type(partner.country_id, Ref[ResCountry] | None)
    assert_type(partner.child_ids, X2Many[ResPartner])
    assert_type(partner.write_date, datetime | None)
    assert_type(partner.color, int)
    assert_type(partner.lang, str | None)
    assert_type(partner.image_1920, bytes | None)
    assert_type(partner.partner_latitude, float)
    assert_type(partner.is_company, bool)
    assert_type(ResPartner.name, CharField)
    assert_type(ResPartner.country_id, Many2oneField[ResCountry])
    if partner.country_id is not None:
        assert_type(await partner.country_id.get(), ResCountry)
    assert_type(await partner.child_ids.all(), list[ResPartner])
    assert_type(await client.model(ResPartner).get(7), ResPartner)
    assert_type(await client.model(ResPartner).first(), ResPartner | None)
    assert_type(await client.model(ResPartner).create(name="x"), ResPartner)
    assert_type(await client.model(ResPartner).create([{"name": "x"}]), list[ResPartner])
    assert_type(await client.model("res.partner").first(), OdooModel | None)
    async for record in client.model(ResPartner):
        assert_type(record, ResPartner)
    partner.name = "x"
    partner.company_type = "person"
    partner.country_id = 5
    partner.child_ids = [1, 2]
    partner.write_date = datetime.now()
"""

MISUSED = """
from __future__ import annotations

from generated import ResPartner


def misuse(partner: ResPartner) -> None:
    partner.company_type = "robot"  # error
    partner.name = 5  # error
    partner.color = "3"  # error
    partner.write_date = "2025-01-01"  # error
"""


def test_generated_models_pass_mypy_strict_and_type_their_records(tmp_path: Path) -> None:
    (tmp_path / "generated.py").write_text(textwrap.dedent(GENERATED))
    (tmp_path / "misused.py").write_text(textwrap.dedent(MISUSED))
    out, err, _status = mypy_api.run(
        [
            "--strict",
            "--python-version",
            "3.10",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "--no-error-summary",
            "--show-error-codes",
            str(tmp_path / "generated.py"),
            str(tmp_path / "misused.py"),
        ]
    )
    errors = [line for line in out.splitlines() if ": error:" in line]
    in_generated = [line for line in errors if "generated.py" in line]
    assert in_generated == [], out + err
    flagged = {int(m.group(1)) for line in errors if (m := re.search(r"misused\.py:(\d+):", line))}
    expected = {n for n, line in enumerate(MISUSED.splitlines(), 1) if line.endswith("# error")}
    assert flagged == expected, out
