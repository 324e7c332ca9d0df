import pytest
from django.core.cache import cache

from tests.factories import make_relic


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def relic(district):
    return make_relic(district["wards"][0], "Đình Đông Khê")
