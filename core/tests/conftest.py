"""The emulator fixtures users get are the ones these tests use too."""

pytest_plugins = ["zenoo_rpc.testing.pytest_plugin", "pytester"]
