"""Every seed-document example that uses models, queries, Q or the registry, run on the emulator.

The examples are the seeds' code, adapted only where they cannot run as
written; each adaptation says why in a comment:

- the seed's ``CustomPartner`` declares ``custom_field``, ``priority`` and
  ``is_vip``, which res.partner does not have. As written, its first query
  fails with an :class:`UnknownFieldError` naming the three (tested below);
  the working version declares real fields in their place (``ref``,
  ``color``, ``is_company``);
- ``ZenooClient("localhost")`` becomes the emulator's URL;
- the Redis cache of the microservice example is replaced by the memory one
  (no Redis server in tests);
- ``MockClient`` answers ``fields_get`` too: an unregistered model is built
  from the server's field list.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from orm_harness import Harness

from zenoo_rpc import ZenooClient
from zenoo_rpc.errors import UnknownFieldError
from zenoo_rpc.models.base import OdooModel
from zenoo_rpc.models.common import ResPartner
from zenoo_rpc.models.fields import BooleanField, CharField, IntegerField
from zenoo_rpc.models.registry import default_registry, register_model
from zenoo_rpc.query.filters import Q
from zenoo_rpc.testing import MockClient

# ------------------------------------------------------------------ seed 003: Custom Models


class SeedCustomPartner(OdooModel):
    """Custom partner model with additional functionality (the seed's class, unchanged)."""

    class Meta:
        model_name = "res.partner"

    # Custom fields
    custom_field = CharField(max_length=100)
    priority = IntegerField(default=1)
    is_vip = BooleanField(default=False)

    async def get_orders(self) -> list[OdooModel]:
        """Get all orders for this partner."""
        return await self.client.model("sale.order").filter(partner_id=self.id).all()

    async def mark_as_vip(self) -> None:
        """Mark partner as VIP."""
        await self.update(is_vip=True, priority=10)


class CustomPartner(OdooModel):
    """The seed's class with fields res.partner has (adapted: see the module docstring)."""

    class Meta:
        model_name = "res.partner"

    # Custom fields
    ref = CharField(max_length=100)  # seed: custom_field
    color = IntegerField(default=1)  # seed: priority
    is_company = BooleanField(default=False)  # seed: is_vip
    name = CharField()

    async def get_orders(self) -> list[OdooModel]:
        """Get all orders for this partner."""
        return await self.client.model("sale.order").filter(partner_id=self.id).all()

    async def mark_as_vip(self) -> None:
        """Mark partner as VIP."""
        await self.update(is_company=True, color=10)


@pytest.fixture
def seed_registry() -> Iterator[None]:
    before = dict(default_registry._classes)
    yield
    default_registry._classes.clear()
    default_registry._classes.update(before)


async def test_the_seeds_custom_partner_as_written_names_its_missing_fields(
    harness18: Harness,
) -> None:
    client = harness18.client
    with pytest.raises(UnknownFieldError) as caught:
        await client.model(SeedCustomPartner).all()
    assert caught.value.fields == ["custom_field", "priority", "is_vip"]
    assert "declared on SeedCustomPartner" in str(caught.value)
    with pytest.raises(UnknownFieldError) as on_create:
        await client.model(SeedCustomPartner).create(name="VIP Customer", is_vip=True)
    assert set(on_create.value.fields) == {"priority", "is_vip"}


@pytest.mark.usefixtures("seed_registry")
async def test_model_registry_and_custom_methods(harness18: Harness) -> None:
    # Register custom model
    register_model("res.partner", CustomPartner)

    # Use in client (the seed's "localhost" is the emulator here)
    async with ZenooClient(harness18.emulator.memory_url, plugins=[]) as client:
        await client.login("demo", "admin", "admin")

        # Will use CustomPartner class
        partner = await client.model("res.partner").create(
            name="VIP Customer",
            is_company=True,  # seed: is_vip=True
        )
        assert type(partner) is CustomPartner
        assert partner.color == 1  # the declared default was sent

        # Custom methods available
        orders = await partner.get_orders()
        assert orders == []
        await client.create("sale.order", {"partner_id": partner.id})
        orders = await partner.get_orders()
        assert [order["partner_id"].id for order in orders] == [partner.id]

        await partner.mark_as_vip()
        again = await client.model(CustomPartner).get(partner.id)
        assert (again.is_company, again.color) == (True, 10)


async def test_custom_test_fixture_with_mock_client() -> None:
    client = MockClient()
    # Setup mock responses (fields_get added: the model is built from the server's fields)
    client.mock_response("res.partner", "fields_get", {"name": {"type": "char", "store": True}})
    client.mock_response("res.partner", "search_read", [{"id": 1, "name": "Test Partner"}])

    partners = await client.model("res.partner").all()
    assert len(partners) == 1
    assert partners[0]["name"] == "Test Partner"
    assert partners[0].name == "Test Partner"  # type: ignore[attr-defined]
    client.assert_all_used()
    await client.close()


# ------------------------------------------------------------------ seed 000: Microservices


@dataclass
class ServiceConfig:
    """Configuration for Odoo-connected microservice."""

    odoo_host: str
    odoo_database: str
    odoo_username: str
    odoo_password: str
    service_name: str
    cache_backend: str = "memory"  # seed: "redis" (no Redis server in tests)
    cache_url: str = "redis://localhost:6379/0"


class OdooMicroservice:
    """Base class for Odoo-connected microservices."""

    def __init__(self, config: ServiceConfig):
        self.config = config
        self.client: ZenooClient | None = None
        self._health_status: dict[str, Any] = {"status": "starting"}

    async def startup(self) -> None:
        """Initialize service and Odoo connection."""
        self.client = ZenooClient(self.config.odoo_host, timeout=30.0, verify_ssl=True)
        await self.client.__aenter__()
        await self.client.login(
            self.config.odoo_database, self.config.odoo_username, self.config.odoo_password
        )
        if self.config.cache_backend == "redis":
            await self.client.cache_manager.setup_redis_cache(
                name=f"{self.config.service_name}_cache",
                url=self.config.cache_url,
                namespace=self.config.service_name,
            )
        self._health_status = {"status": "healthy", "odoo_connected": True}

    async def shutdown(self) -> None:
        """Cleanup service resources."""
        if self.client:
            await self.client.__aexit__(None, None, None)
        self._health_status = {"status": "shutdown"}


class CustomerService(OdooMicroservice):
    """Customer management microservice."""

    async def get_customer(self, customer_id: int) -> dict[str, Any] | None:
        """Get customer by ID with caching."""
        if not self.client:
            raise RuntimeError("Service not initialized")
        cache_key = f"customer:{customer_id}"
        cached = await self.client.cache_manager.get(cache_key)
        if cached:
            return cached  # type: ignore[no-any-return]
        partner = await self.client.model(ResPartner).filter(id=customer_id).first()
        if partner:
            customer_data = {
                "id": partner.id,
                "name": partner.name,
                "email": partner.email,
                "is_company": partner.is_company,
            }
            await self.client.cache_manager.set(cache_key, customer_data, ttl=300)
            return customer_data
        return None

    async def search_customers(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        """Search customers with intelligent caching."""
        if not self.client:
            raise RuntimeError("Service not initialized")
        cache_key = f"search:{hash(query)}:{limit}"
        cached = await self.client.cache_manager.get(cache_key)
        if cached:
            return cached  # type: ignore[no-any-return]
        partners = (
            await self.client.model(ResPartner)
            .filter(Q(name__ilike=f"%{query}%") | Q(email__ilike=f"%{query}%"))
            .limit(limit)
            .all()
        )
        results = [
            {"id": p.id, "name": p.name, "email": p.email, "is_company": p.is_company}
            for p in partners
        ]
        await self.client.cache_manager.set(cache_key, results, ttl=60)
        return results


async def test_customer_microservice(harness18: Harness) -> None:
    service = CustomerService(
        ServiceConfig(str(harness18.emulator.memory_url), "demo", "admin", "admin", "customers")
    )
    await service.startup()
    try:
        customer = await service.get_customer(7)
        [row] = await harness18.client.read("res.partner", [7], ["name", "email", "is_company"])
        assert customer == {**row, "email": row["email"] or None}  # Odoo's False reads as None
        assert await service.get_customer(10**6) is None
        found = await service.search_customers("azure")
        expected = await harness18.client.search(
            "res.partner", ["|", ("name", "ilike", "azure"), ("email", "ilike", "azure")]
        )
        assert sorted(row["id"] for row in found) == sorted(expected)
        assert found
        assert all(isinstance(row["name"], str) for row in found)
        assert await service.search_customers("azure") == found  # from the service's cache
    finally:
        await service.shutdown()


class ZenooConnectionPool:
    """Advanced connection pool for Zenoo RPC clients (the seed's, minus unused options)."""

    def __init__(self, host: str, database: str, username: str, password: str, size: int) -> None:
        self.host, self.database, self.username, self.password = host, database, username, password
        self.size = size
        self.clients: list[ZenooClient] = []

    async def initialize(self) -> None:
        for _ in range(self.size):
            client = ZenooClient(self.host, timeout=30.0)
            await client.__aenter__()
            await client.login(self.database, self.username, self.password)
            await client.cache_manager.setup_memory_cache(
                name="pool_cache", max_size=500, strategy="lru"
            )
            self.clients.append(client)

    @asynccontextmanager
    async def get_client(self) -> AsyncIterator[ZenooClient]:
        client = self.clients.pop()
        try:
            if not client.is_authenticated:
                await client.login(self.database, self.username, self.password)
            yield client
        finally:
            self.clients.append(client)

    async def close(self) -> None:
        while self.clients:
            await self.clients.pop().__aexit__(None, None, None)


async def test_connection_pool_usage(harness18: Harness) -> None:
    pool = ZenooConnectionPool(str(harness18.emulator.memory_url), "demo", "admin", "admin", 2)
    await pool.initialize()
    try:
        # Use pooled connections
        async with pool.get_client() as client:
            partners = await client.model(ResPartner).all()
        assert len(partners) == await harness18.client.search_count("res.partner")
        assert all(isinstance(p, ResPartner) for p in partners)
    finally:
        await pool.close()


class OptimizedQueryService:
    """Service with optimized query patterns (the seed's, and its model-layer equivalent)."""

    def __init__(self, client: ZenooClient):
        self.client = client

    async def get_partners_with_orders(self, limit: int = 100) -> list[dict[str, Any]]:
        """Efficiently load partners with their orders (the seed's code)."""
        partner_ids = await self.client.search(
            "res.partner", domain=[("sale_order_ids", "!=", False)], limit=limit
        )
        if not partner_ids:
            return []
        partners_data = await self.client.read(
            "res.partner", partner_ids, fields=["name", "email", "sale_order_ids"]
        )
        all_order_ids = []
        for partner in partners_data:
            all_order_ids.extend(partner.get("sale_order_ids", []))
        orders_data = {}
        if all_order_ids:
            orders = await self.client.read(
                "sale.order", all_order_ids, fields=["name", "amount_total", "state", "partner_id"]
            )
            orders_data = {order["id"]: order for order in orders}
        return [
            {
                "partner": partner["id"],
                "total_orders": len(partner["sale_order_ids"]),
                "total_amount": sum(
                    orders_data[i]["amount_total"] for i in partner["sale_order_ids"]
                ),
            }
            for partner in partners_data
        ]

    async def get_partners_with_orders_typed(self, limit: int = 100) -> list[dict[str, Any]]:
        """The same with the model layer: one query, the orders loaded with the partners."""
        partners = (
            await self.client.model("res.partner")
            .filter(sale_order_ids__ne=False)
            .only("name", "email", "sale_order_ids")
            .prefetch_related("sale_order_ids")
            .limit(limit)
            .all()
        )
        return [
            {
                "partner": partner.id,
                "total_orders": len(partner["sale_order_ids"]),
                "total_amount": sum(order["amount_total"] for order in partner["sale_order_ids"]),
            }
            for partner in partners
        ]


async def test_optimized_query_patterns_agree(harness18: Harness) -> None:
    service = OptimizedQueryService(harness18.client)
    expected = await service.get_partners_with_orders()
    assert expected, "the demo data has partners with orders"
    harness18.reset()
    typed = await service.get_partners_with_orders_typed()
    assert sorted(typed, key=lambda row: row["partner"]) == sorted(
        expected, key=lambda row: row["partner"]
    )
    # one query for partners and orders; fields_get once per generic model, then cached
    assert harness18.methods == [
        "res.partner.fields_get",
        "sale.order.fields_get",
        "res.partner.web_search_read",
    ]
