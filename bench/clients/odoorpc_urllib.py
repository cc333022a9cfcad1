"""OdooRPC (sync, urllib): ``odoo.env['res.partner'].search_read(...)`` as its docs show."""

from __future__ import annotations

from urllib.parse import urlsplit

import odoorpc
from measure import measure_sync, parse_args, workload


def main() -> None:
    args = parse_args()
    url = urlsplit(args.url)
    odoo = odoorpc.ODOO(url.hostname, port=url.port)
    odoo.login(workload.DB, workload.USER, workload.PASSWORD)
    partner = odoo.env[workload.MODEL]

    def call() -> list[dict[str, object]]:
        return partner.search_read([], fields=workload.FIELDS, limit=workload.LIMIT)

    measure_sync(call, args.calls, args.warmup)


if __name__ == "__main__":
    main()
