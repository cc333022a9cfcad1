"""Countries (``res.country``), seeded from :mod:`.res_country_data`."""

from __future__ import annotations

from typing import ClassVar

from zenoo_rpc.testing.emulator.orm import fields
from zenoo_rpc.testing.emulator.orm.base import BaseModel

__all__ = ["ResCountry"]


class ResCountry(BaseModel):
    _name: ClassVar[str] = "res.country"
    _description: ClassVar[str] = "Country"
    _order: ClassVar[str] = "name, id"

    name = fields.Char("Country Name", required=True)
    code = fields.Char(
        "Country Code",
        size=2,
        help="The ISO country code in two chars. \nYou can use this field for quick search.",
    )
    phone_code = fields.Integer("Country Calling Code", default=0)
    currency_id = fields.Many2one("res.currency", "Currency")
