"""The demo tour: login, a typed query, typed models, create / write, a typed error, a cache.

It writes a ``zenoo.toml`` into a temporary directory (the way a user
configures the client), selects an in-house plugin by dotted path, and talks
to ``memory://demo``, the in-memory Odoo that ships with zenoo-rpc.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

import msgspec

from zenoo_rpc import Q, ValidationError, ZenooClient
from zenoo_rpc.demo import call_log
from zenoo_rpc.models.common import SaleOrder

CONFIG = """\
# zenoo.toml: what a user writes to point zenoo-rpc at a server.
url = "memory://demo?version=18&size=200"
database = "demo"
username = "admin"
password = {env = "DEMO_ODOO_PASSWORD"}   # secrets come from the environment or a file

[cache]
enabled = true        # read calls are cached; writes invalidate the model's entries

[plugins]
enabled = ["zenoo_rpc.demo.call_log"]   # an in-house plugin, by dotted path
"""


class Partner(msgspec.Struct):
    """The rows we want, typed: Odoo's ``False`` for "empty" becomes ``None``."""

    id: int
    name: str
    email: str | None
    is_company: bool
    country_id: tuple[int, str] | None


def _say(title: str) -> None:
    print(f"\n== {title}")


async def tour() -> None:
    async with ZenooClient() as client:
        _say(f"Connected to {client.url}")
        session = await client.login()
        version = client.server_version
        print(
            f"Odoo {version.server_version if version else '?'}, database {session.db!r}, "
            f"uid {session.uid}, protocol {client.protocol}"
        )
        print(f"user context: {dict(session.context)}")
        print(f"plugins: {', '.join(client.plugins.plugin_names())}")

        _say("A typed query: the first five companies")
        partners = await client.search_read(
            "res.partner",
            [("is_company", "=", True)],
            fields=["name", "email", "is_company", "country_id"],
            limit=5,
            order="name",
            as_type=Partner,
        )
        for partner in partners:
            country = partner.country_id[1] if partner.country_id else "-"
            print(f"  #{partner.id:<4} {partner.name:<32} {partner.email or '-':<34} {country}")

        _say("Typed models: 3 sale orders, their customers and their lines' products")
        calls_before = len(call_log.CALLS)
        orders = await (
            client.model(SaleOrder)
            .filter(Q(state="sale") | Q(amount_total__gt=1000))
            .prefetch_related("order_line__product_id")
            .order_by("-amount_total")
            .limit(3)
            .all()
        )
        for order in orders:
            customer = order.partner_id.display_name if order.partner_id else None
            products = ", ".join(
                line.product_id.display_name or "" for line in order.order_line if line.product_id
            )
            print(
                f"  {order.name:<8} {order.amount_total:>10.2f}  {customer or '-':<28} "
                f"{products[:40]}"
            )
        print(f"  ({len(call_log.CALLS) - calls_before} call: web_search_read with a nested spec)")
        customer_ref = orders[0].partner_id
        assert customer_ref is not None
        record = await customer_ref.get()  # the whole record, typed: ResPartner
        record.phone = "+32 2 555 01 00"
        changed = sorted(record.dirty_fields)
        print(f"  changed on {record.name}: {changed}; save() writes only those")
        await record.save()

        _say("Create and write")
        new_id = await client.create(
            "res.partner",
            {"name": "Zenoo Demo Ltd", "is_company": True, "email": "hello@zenoo.example"},
        )
        await client.write("res.partner", new_id, {"phone": "+32 2 555 01 01"})
        [created] = await client.read("res.partner", new_id, ["name", "email", "phone"])
        print(f"  created #{new_id}: {created['name']} <{created['email']}> {created['phone']}")

        _say("An error, typed")
        try:
            await client.create("res.partner", {"email": "nameless@zenoo.example"})
        except ValidationError as exc:
            print(f"  {type(exc).__name__}: {exc.message}")
            print(f"  (Odoo's name: {exc.name}; the server traceback stays in exc.debug)")

        _say("A cached read")
        count = await client.search_count("res.partner", [("is_company", "=", True)])
        again = await client.search_count("res.partner", [("is_company", "=", True)])
        print(f"  companies: {count}, asked twice: the second answer came from the cache")
        await client.unlink("res.partner", new_id)
        after = await client.search_count("res.partner", [("is_company", "=", True)])
        print(f"  after deleting #{new_id}: {after} (the write invalidated the cached count)")
        assert again == count

    _say("Calls seen by the in-house plugin")
    for name, ms, outcome in call_log.CALLS:
        print(f"  {name:<28} {ms:7.2f} ms  {outcome}")


def main() -> int:
    with tempfile.TemporaryDirectory() as directory:
        Path(directory, "zenoo.toml").write_text(CONFIG)
        os.environ.setdefault("DEMO_ODOO_PASSWORD", "admin")
        previous = Path.cwd()
        os.chdir(directory)
        try:
            print(f"zenoo.toml:\n{CONFIG}")
            asyncio.run(tour())
        finally:
            os.chdir(previous)
    print(
        "\nDone. Next: `zenoo emulator` serves this Odoo over HTTP "
        '(pip install "zenoo-rpc[cli,emulator]"), and docs/ has the rest.'
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
