"""The database side of the inventory benchmark: a migrated SQLite file with a demo-like tree.

Run in its own process (Django is set up for `benchmarks.settings` on the given file).
"""

from __future__ import annotations

import os
import shutil
import time
from decimal import Decimal
from pathlib import Path
from typing import Any


def setup_django(db: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ["BENCH_DB"] = str(db)
    os.environ.setdefault("BENCH_DIR", str(db.parent))
    import django

    django.setup()


def build_tree(db: Path, relics: list[dict[str, Any]]) -> float:
    """Home → relic index → wards → live relics (from the benchmark's relic records)."""
    start = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    setup_django(db)
    from django.core.management import call_command
    from django.db import connection, transaction
    from wagtail.models import Site

    from content.demo import ensure_tree_roots
    from content.models import HomePage, RelicIndexPage, RelicPage, WardPage

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        root = ensure_tree_roots()
        home = root.add_child(instance=HomePage(title="Quận Đo Thử", slug="quan-do-thu"))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
        )
        index = home.add_child(instance=RelicIndexPage(title="Di tích", slug="di-tich"))
        wards: dict[str, WardPage] = {}
        for record in relics:
            name = record["phuong_xa"]
            if name not in wards:
                wards[name] = index.add_child(instance=WardPage(title=name))
            ward = wards[name]
            relic = RelicPage(
                title=record["ten"],
                slug=record["ma_di_tich"].lower(),
                relic_code=record["ma_di_tich"],
                relic_type=record["loai_hinh"],
                ranking=record["xep_hang"],
                latitude=Decimal(f"{record['vi_do']:.6f}"),
                longitude=Decimal(f"{record['kinh_do']:.6f}"),
                dating=record["nien_dai"].text,
                summary=record["tom_tat"],
            )
            ward.add_child(instance=relic)
            relic.save_revision().publish()
    # Index the tree now, so the import's measurement sees only the work the import queues.
    with open(os.devnull, "w") as sink:
        call_command(
            "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0, stdout=sink
        )
    connection.close()
    return time.perf_counter() - start


def copy_db(template: Path, target: Path) -> Path:
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return target
