import pytest

from tests.factories import make_district


@pytest.fixture
def district(db):
    return make_district()
