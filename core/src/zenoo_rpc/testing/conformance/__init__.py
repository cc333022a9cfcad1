"""Conformance suites a plugin runs on itself: ``conformance.transport``, ``conformance.cache``."""
