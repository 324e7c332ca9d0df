"""Inventory import into the database: pages, rows, revisions, re-import, all-or-nothing."""

from pathlib import Path

import pytest
from wagtail.models import Revision

from content.inventory import Action, RecordKind
from content.inventory.service import export_csv, export_xlsx, import_file, preview_file
from content.models import Artifact, Inscription, RelicPage
from tests.content.inventory_factories import write_csv, write_xlsx
from tests.factories import make_relic

RELICS = [
    ["Mã di tích", "Tên di tích", "Phường/xã", "Xếp hạng", "Niên đại", "Vĩ độ", "Kinh độ"],
    ["DT001", "Đình Đông Khê", "Phường Đông Khê", "Di tích quốc gia", "thế kỷ XVIII", "", ""],
    ["DT900", "Miếu Mới", "Lạch Tray", "", "thời Nguyễn", 20.85, 106.68],
]
ARTIFACTS = [
    ["Mã di tích", "Số kiểm kê", "Tên hiện vật", "Chất liệu", "Niên đại", "Tình trạng"],
    ["DT001", "HV-001", "Bát hương", "Gốm", "thế kỷ XVIII", "Tốt"],
    ["DT001", "HV-002", "Chuông", "Đồng", "12/3/1890", ""],
    ["DT900", "HV-001", "Long ngai", "Gỗ", "", "Khá"],
]
INSCRIPTIONS = [
    ["Mã di tích", "Số kiểm kê", "Loại", "Tên gọi", "Nguyên văn Hán Nôm", "Niên đại"],
    ["DT001", "VB-01", "Văn bia", "Hậu thần bi ký", "後神碑記", "Cảnh Hưng năm thứ 5"],
]


@pytest.fixture
def relic(district):
    return make_relic(district["wards"][0], relic_code="DT001")


def workbook(tmp_path: Path, **sheets) -> Path:
    sheets = {"Di tích": RELICS, "Hiện vật": ARTIFACTS, "Di văn": INSCRIPTIONS, **sheets}
    return write_xlsx(tmp_path / "kiem-ke.xlsx", {k: v for k, v in sheets.items() if v})


def revisions(page) -> int:
    return Revision.objects.for_instance(page).count()


def test_import_creates_rows_and_a_draft_relic_then_reimport_changes_nothing(tmp_path, relic):
    path = workbook(tmp_path)
    before = revisions(relic)
    outcome = import_file(path)
    assert outcome.result.written == {Action.CREATE: 5, Action.UPDATE: 1}
    # The existing live relic: artifacts on the live page, one new published revision.
    relic.refresh_from_db()
    assert relic.live and not relic.has_unpublished_changes
    assert revisions(relic) == before + 1
    assert relic.ranking == "quoc_gia" and (relic.year_from, relic.year_to) == (1701, 1800)
    bat_huong = relic.artifacts.get(inventory_number="HV-001")
    assert (bat_huong.material, bat_huong.condition) == ("Gốm", "tot")
    assert bat_huong.search_key == "hv-001 bat huong gom"
    chuong = relic.artifacts.get(inventory_number="HV-002")
    assert (chuong.year_from, chuong.year_to) == (1890, 1890)
    stele = relic.inscriptions.get(inventory_number="VB-01")
    assert stele.original_text == "後神碑記" and stele.year_from == 1744
    # The new relic: a draft under the named ward, waiting for review.
    new = RelicPage.objects.get(relic_code="DT900")
    assert not new.live and new.get_parent().title == "Lạch Tray"
    assert new.artifacts.get().name == "Long ngai" and revisions(new) == 1
    assert new.get_latest_revision_as_object().artifacts.all()[0].name == "Long ngai"

    again = import_file(path)
    assert again.result.preview.counts == {Action.SKIP: 6}
    assert not again.result.written
    assert revisions(relic) == before + 1 and revisions(new) == 1


def test_changed_cell_updates_the_row_and_names_the_column(tmp_path, relic):
    import_file(workbook(tmp_path))
    changed = [ARTIFACTS[0], ["DT001", "HV-002", "Chuông", "Đồng", "12/3/1890", "Xuống cấp"]]
    path = write_csv(tmp_path / "hv.csv", changed)
    preview = preview_file(path)
    (item,) = preview.items
    assert (item.action, item.reason) == (Action.UPDATE, "Thay đổi: Tình trạng.")
    assert relic.artifacts.get(inventory_number="HV-002").condition == ""
    import_file(path)
    assert relic.artifacts.get(inventory_number="HV-002").condition == "xuong_cap"
    assert Artifact.objects.filter(relic=relic).count() == 2


def test_one_bad_row_writes_nothing_by_default(tmp_path, relic):
    bad = [*ARTIFACTS, ["DT404", "HV-009", "Đỉnh đồng", "Đồng", "", ""]]
    outcome = import_file(workbook(tmp_path, **{"Hiện vật": bad}))
    (error,) = [i for i in outcome.preview.items if i.action == Action.ERROR]
    assert error.row == 5 and "DT404" in error.reason and "chưa có trong hệ thống" in error.reason
    assert not outcome.result.written
    assert not Artifact.objects.exists() and not RelicPage.objects.filter(relic_code="DT900")


def test_good_rows_mode_imports_the_rest_and_returns_the_bad(tmp_path, relic):
    bad = [*ARTIFACTS, ["DT001", "HV-001", "Trùng số", "Đồng", "", ""]]
    outcome = import_file(workbook(tmp_path, **{"Hiện vật": bad}), mode="good_rows")
    rejected = {(kind, raw["so_kiem_ke"]) for kind, raw, _errors in outcome.result.rejected}
    assert rejected == {(RecordKind.ARTIFACT, "HV-001")}
    assert sorted(relic.artifacts.values_list("inventory_number", flat=True)) == ["HV-002"]
    assert RelicPage.objects.get(relic_code="DT900").artifacts.count() == 1


def test_new_relic_needs_a_known_ward(tmp_path, relic):
    rows = [RELICS[0], ["DT901", "Chùa Xa", "Phường Không Có", "", "", "", ""]]
    preview = preview_file(write_csv(tmp_path / "dt.csv", rows))
    (item,) = preview.items
    assert item.action == Action.ERROR
    assert "Không có phường/xã “Phường Không Có”" in item.reason and "Đông Khê" in item.reason


def test_relic_with_a_waiting_draft_keeps_it(tmp_path, relic):
    relic.summary = "Bản nháp của biên tập viên."
    relic.save_revision()
    import_file(workbook(tmp_path, **{"Di văn": None}))
    relic.refresh_from_db()
    assert relic.has_unpublished_changes and relic.summary != "Bản nháp của biên tập viên."
    draft = relic.get_latest_revision_as_object()
    assert draft.summary == "Bản nháp của biên tập viên." and draft.ranking == "quoc_gia"
    assert {a.inventory_number for a in draft.artifacts.all()} == {"HV-001", "HV-002"}
    assert import_file(workbook(tmp_path, **{"Di văn": None})).preview.counts == {Action.SKIP: 5}


@pytest.mark.parametrize("kind", [RecordKind.ARTIFACT, RecordKind.INSCRIPTION, RecordKind.RELIC])
def test_csv_export_imports_back_unchanged(tmp_path, relic, kind):
    import_file(workbook(tmp_path))
    out = tmp_path / f"{kind}.csv"
    with out.open("wb") as fh:
        assert export_csv(kind, fh) >= 1
    preview = preview_file(out)
    assert preview.items and preview.counts == {Action.SKIP: len(preview.items)}


def test_xlsx_export_of_everything_imports_back_unchanged(tmp_path, district):
    import datetime as dt

    for n, ward in enumerate(district["wards"]):
        relic = make_relic(
            ward,
            f"Đình số {n}",
            relic_code=f"DT{n}",
            artifacts=3,
            with_images=True,
            ranking="cap_tinh",
            ranking_decision_number="12/QĐ-UBND",
            ranking_decision_date=dt.date(2019, 4, 15),
            dating="Cảnh Hưng năm thứ 5",
            other_names="Đình làng, đình cả",
        )
        Inscription.objects.create(
            relic=relic,
            inventory_number="VB-1",
            title="Bia",
            original_text="後神碑記",
            dimensions="120 × 80 cm",
        )
    out = tmp_path / "all.xlsx"
    counts = export_xlsx(out, list(RecordKind))
    assert counts == {RecordKind.RELIC: 2, RecordKind.ARTIFACT: 6, RecordKind.INSCRIPTION: 2}
    preview = preview_file(out)
    assert not preview.file_errors
    assert preview.counts == {Action.SKIP: 10}, [
        i for i in preview.items if i.action != Action.SKIP
    ][:3]


def test_relic_update_is_published_with_one_revision(tmp_path, relic):
    rows = [
        ["Mã di tích", "Tên di tích", "Vĩ độ", "Kinh độ", "Tóm tắt"],
        ["DT001", "Đình làng Đông Khê", "20,8571", "106.6833", "Đình thờ Thành hoàng."],
    ]
    before = revisions(relic)
    outcome = import_file(write_csv(tmp_path / "dt.csv", rows))
    assert outcome.preview.items[0].reason == "Thay đổi: Tên di tích, Vĩ độ, Kinh độ, Tóm tắt."
    relic.refresh_from_db()
    assert (relic.title, relic.draft_title, relic.slug) == (
        "Đình làng Đông Khê",
        "Đình làng Đông Khê",
        "dinh-dong-khe",
    )
    assert str(relic.latitude) == "20.857100" and relic.live and not relic.has_unpublished_changes
    assert revisions(relic) == before + 1 and relic.live_revision_id == relic.latest_revision_id
    assert relic.get_latest_revision_as_object().summary == "Đình thờ Thành hoàng."


def test_a_file_jumping_between_relics_is_compared_right_with_a_small_cache(
    tmp_path, district, monkeypatch
):
    from content.inventory import django_store

    for n in range(3):
        make_relic(district["wards"][0], f"Đình {n}", relic_code=f"DT{n}", artifacts=2)
    rows = [ARTIFACTS[0]] + [
        [f"DT{n}", f"HV-{a:03d}", f"Hiện vật {a}", "Đồng", "", ""]
        for a in range(2)
        for n in range(3)
    ]
    rows[4][3] = "Gỗ"  # one change, in the middle of the jumps
    monkeypatch.setattr(django_store, "CACHE_ROWS", 1)
    outcome = import_file(write_csv(tmp_path / "hv.csv", rows))
    assert outcome.preview.counts == {Action.SKIP: 5, Action.UPDATE: 1}
    changed = Artifact.objects.get(relic__relic_code=rows[4][0], inventory_number=rows[4][1])
    assert changed.material == "Gỗ"
