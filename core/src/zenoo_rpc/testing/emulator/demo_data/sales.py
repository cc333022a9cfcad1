"""Products, sales orders with their lines, and the deliveries of the confirmed orders."""

from __future__ import annotations

import datetime as dt
import random

from zenoo_rpc.testing.emulator.orm.registry import Registry

from .common import stamp
from .fixed import FIXED_PARTNERS

__all__ = ["build_sales"]

#: States of the demo deliveries, in turn: shipped, ready, waiting for stock, chained.
_DELIVERY_STATES = ("done", "assigned", "confirmed", "waiting")

_PRODUCTS = (
    ("FURN_0001", "Office Chair", 70.0), ("FURN_0002", "Office Desk", 450.0),
    ("FURN_0003", "Drawer", 110.5), ("FURN_0004", "Large Cabinet", 320.0),
    ("FURN_0005", "Storage Box", 15.8), ("FURN_0006", "Corner Desk Right Sit", 147.0),
    ("FURN_0007", "Large Desk", 1799.0), ("FURN_0008", "Desk Combination", 450.0),
    ("FURN_0009", "Pedal Bin", 47.0), ("FURN_0010", "Cable Management Box", 100.0),
    ("FURN_0011", "Conference Chair", 33.0), ("FURN_0012", "Acoustic Bloc Screens", 295.0),
    ("FURN_0013", "Three-Seat Sofa", 1500.0), ("FURN_0014", "Flipover", 1950.0),
    ("FURN_0015", "Monitor Stand", 3.19), ("FURN_0016", "Whiteboard Pen", 1.2),
    ("SERV_0001", "Virtual Home Staging", 38.25), ("SERV_0002", "Customized Service", 50.0),
    ("E-COM01", "Warranty", 20.0), ("E-COM02", "Archived Lamp", 12.0),
)  # fmt: skip


def build_sales(registry: Registry, rng: random.Random, size: int) -> None:
    tables = registry.store.tables
    products = tables["product.product"]
    product_ids = [
        products.insert(
            stamp(
                {
                    "default_code": code,
                    "name": name,
                    "list_price": price,
                    "standard_price": price / 2,
                    "type": "service" if code.startswith("SERV") else "consu",
                    "sale_ok": True,
                    "active": code != "E-COM02",
                }
            )
        )
        for code, name, price in _PRODUCTS
    ]
    orders, lines = tables["sale.order"], tables["sale.order.line"]
    first_partner = len(FIXED_PARTNERS) + 1
    customers = [first_partner + i for i in range(0, size, 5)] or [1]
    start = dt.datetime(2024, 1, 3, 9, 0, 0)
    confirmed: list[tuple[int, str, int, dt.datetime]] = []
    for number in range(1, min(max(size // 2, 5), 2000) + 1):
        state = rng.choice(("draft", "draft", "sent", "sale", "sale", "sale", "cancel"))
        when = start + dt.timedelta(days=rng.randint(0, 540), minutes=rng.randint(0, 600))
        partner = rng.choice(customers)
        order = orders.insert(
            stamp(
                {
                    "name": f"S{number:05d}",
                    "partner_id": partner,
                    "state": state,
                    "date_order": when.isoformat(sep=" "),
                    "user_id": rng.choice((2, 4)),
                    "company_id": 1,
                    "currency_id": 1,
                },
                uid=2,
            )
        )
        untaxed = tax = 0.0
        for sequence in range(rng.randint(1, 4)):
            product = rng.choice(product_ids[:-1])
            qty = float(rng.randint(1, 10))
            price = products.get(product, "list_price")
            subtotal = round(qty * price, 2)
            line_tax = round(subtotal * 0.15, 2)
            lines.insert(
                stamp(
                    {
                        "order_id": order,
                        "sequence": 10 + sequence,
                        "product_id": product,
                        "name": products.get(product, "name"),
                        "product_uom_qty": qty,
                        "price_unit": price,
                        "discount": 0.0,
                        "price_subtotal": subtotal,
                        "price_tax": line_tax,
                        "price_total": round(subtotal + line_tax, 2),
                    },
                    uid=2,
                )
            )
            untaxed, tax = untaxed + subtotal, tax + line_tax
        orders.set(order, "amount_untaxed", round(untaxed, 2))
        orders.set(order, "amount_tax", round(tax, 2))
        orders.set(order, "amount_total", round(untaxed + tax, 2))
        if state == "sale":
            confirmed.append((order, f"S{number:05d}", partner, when))
    _deliveries(registry, confirmed)


def _deliveries(registry: Registry, confirmed: list[tuple[int, str, int, dt.datetime]]) -> None:
    """One delivery per confirmed order, its state cycling through a picking's life."""
    pickings = registry.store.tables["stock.picking"]
    for number, (order, origin, partner, when) in enumerate(confirmed, start=1):
        state = _DELIVERY_STATES[(number - 1) % len(_DELIVERY_STATES)]
        scheduled = (when + dt.timedelta(days=1)).isoformat(sep=" ")
        pickings.insert(
            stamp(
                {
                    "name": f"WH/OUT/{number:05d}",
                    "origin": origin,
                    "partner_id": partner,
                    "state": state,
                    "scheduled_date": scheduled,
                    "date_done": scheduled if state == "done" else None,
                    "picking_type_code": "outgoing",
                    "company_id": 1,
                    "sale_id": order,
                    "user_id": 2,
                },
                uid=2,
            )
        )
