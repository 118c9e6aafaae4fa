"""Shared test fixtures. Each fixture lives in tests/support/ and is exposed here."""

from tests.support.browser import browser, hub_server, hub_site, mobile_tab, tab  # noqa: F401
from tests.support.feedserver import feed_server  # noqa: F401
