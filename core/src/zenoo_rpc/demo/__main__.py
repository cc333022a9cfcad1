from zenoo_rpc.demo.tour import main

raise SystemExit(main())
