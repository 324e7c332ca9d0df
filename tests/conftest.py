import pytest

from tests.factories import make_district


@pytest.fixture
def district(db):
    return make_district()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the local-memory cache outlives a test's rolled
    back database, so a snapshot or rate count stored in one test must not reach the next."""
    from django.core.cache import caches

    from heritage_site.memo import forget

    forget()
    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield
