"""A district with something to hide, built once per module, and the battery's case count.

Đông Khê is published with one public relic and one taken down ("Miếu Bản Nháp"); Lạch Tray is
taken down while its relic ("Đền Phường Đóng") is still marked live. Every relic has a
panorama with published tiles, so each visitor surface can be asked for what it must not show.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction

from content.models import RelicPage, TourismPlacePage, WardPage
from tests.security.district import build_hidden_district

_battery: Counter[str] = Counter()


@pytest.fixture(scope="module")
def _hidden_module(django_db_setup, django_db_blocker):
    # Built once per module inside a transaction; each test runs in a savepoint within it.
    with django_db_blocker.unblock(), transaction.atomic():
        data = build_hidden_district()
        yield data
        transaction.set_rollback(True)
    for pano in data["panoramas"].values():
        shutil.rmtree(pano.tiles_root, ignore_errors=True)
    cache.clear()


@pytest.fixture
def hidden_district(db, _hidden_module):
    """The module's district, with fresh page objects for each test."""
    d = dict(_hidden_module)
    d["wards"] = [WardPage.objects.get(pk=w.pk) for w in d["wards"]]
    d["relics"] = {t: RelicPage.objects.get(pk=r.pk) for t, r in d["relics"].items()}
    d["places"] = {t: TourismPlacePage.objects.get(pk=p.pk) for t, p in d["places"].items()}
    return d


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/security/test_hostile_" in item.nodeid:
            _battery[Path(item.nodeid.split("::")[0]).stem] += 1


def pytest_terminal_summary(terminalreporter):
    if _battery:
        parts = ", ".join(f"{name}: {n}" for name, n in sorted(_battery.items()))
        total = sum(_battery.values())
        terminalreporter.write_line(f"hostile-input battery: {total} cases ({parts})")
