"""Preview and import through a store: create / update / skip, all-or-nothing, good rows only."""

import zipfile
from pathlib import Path

from content.inventory import (
    Action,
    ImageIndex,
    ImportOptions,
    RecordKind,
    preview_import,
    run_import,
    save_rejects,
)
from tests.content.inventory_factories import (
    ARTIFACT_HEADER,
    MemoryStore,
    write_csv,
    write_xlsx,
)

RELIC_ROWS = [["Mã di tích", "Tên di tích"], ["DT001", "Đình Đông Khê"]]
ARTIFACT_ROWS = [
    ARTIFACT_HEADER,
    ["DT001", "HV-001", "Bát hương", "Gốm", "thế kỷ XVIII"],
    ["DT001", "HV-002", "Chuông", "Đồng", "thời Nguyễn"],
]


def workbook(tmp_path: Path, artifacts=ARTIFACT_ROWS) -> Path:
    return write_xlsx(tmp_path / "kk.xlsx", {"Di tích": RELIC_ROWS, "Hiện vật": artifacts})


def test_first_import_creates_and_second_changes_nothing(tmp_path: Path) -> None:
    path, store = workbook(tmp_path), MemoryStore()
    first = run_import(path, store, ImportOptions())
    assert first.written == {Action.CREATE: 3}
    assert store.of_kind(RecordKind.ARTIFACT)[("DT001", "HV-002")]["chat_lieu"] == "Đồng"
    saves = len(store.saves)
    again = run_import(path, store, ImportOptions())
    assert again.preview.counts == {Action.SKIP: 3}
    assert {i.reason for i in again.preview.items} == {"Không thay đổi."}
    assert not again.written and len(store.saves) == saves


def test_changed_cell_is_an_update_naming_the_column(tmp_path: Path) -> None:
    store = MemoryStore()
    run_import(workbook(tmp_path), store, ImportOptions())
    changed = [ARTIFACT_HEADER, ["DT001", "HV-001", "Bát hương", "Sứ", "thế kỷ XVIII"]]
    path = write_csv(tmp_path / "hv.csv", changed)
    result = run_import(path, store, ImportOptions())
    (item,) = result.preview.items
    assert (item.action, item.reason) == (Action.UPDATE, "Thay đổi: Chất liệu.")
    assert store.of_kind(RecordKind.ARTIFACT)[("DT001", "HV-001")]["chat_lieu"] == "Sứ"


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    store = MemoryStore()
    result = run_import(workbook(tmp_path), store, ImportOptions(), dry_run=True)
    assert result.preview.counts == {Action.CREATE: 3}
    assert store.saves == []


def bad_file(tmp_path: Path) -> Path:
    return workbook(
        tmp_path,
        [
            *ARTIFACT_ROWS,
            ["DT001", "HV-003", "Đĩa", "Gốm", ""],
            ["DT404", "HV-001", "Lọ", "Gốm", ""],  # unknown relic
            ["DT001", "HV-003", "Đĩa khác", "Gốm", ""],  # duplicate of row 4
        ],
    )


def test_one_bad_row_stops_everything_by_default(tmp_path: Path) -> None:
    store = MemoryStore()
    result = run_import(bad_file(tmp_path), store, ImportOptions())
    assert not result.preview.ok
    assert store.saves == [] and not result.applied


def test_duplicate_names_both_rows_in_the_preview(tmp_path: Path) -> None:
    preview = preview_import(bad_file(tmp_path), MemoryStore(), ImportOptions())
    errors = {i.row: i.reason for i in preview.items if i.action == Action.ERROR}
    assert errors[4] == "Số kiểm kê “HV-003” của di tích DT001 trùng với dòng 6."
    assert errors[6] == "Số kiểm kê “HV-003” của di tích DT001 trùng với dòng 4."
    assert "DT404" in errors[5]


def test_good_rows_mode_imports_the_rest_and_returns_the_bad(tmp_path: Path) -> None:
    store = MemoryStore()
    result = run_import(bad_file(tmp_path), store, ImportOptions(mode="good_rows"))
    assert result.written == {Action.CREATE: 3}  # the relic and HV-001, HV-002
    assert sorted(raw["so_kiem_ke"] for _, raw, _ in result.rejected) == [
        "HV-001",
        "HV-003",
        "HV-003",
    ]
    rejects = tmp_path / "loi.xlsx"
    assert save_rejects(rejects, result.rejected) == 3


def test_file_level_error_writes_nothing_even_for_good_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "hv.csv", [["Mã di tích", "Tên hiện vật"], ["DT001", "Bát"]])
    store = MemoryStore({"DT001"})
    options = ImportOptions(kind=RecordKind.ARTIFACT, mode="good_rows")
    result = run_import(path, store, options)
    assert result.preview.file_errors == ["Trang “hv.csv”: thiếu cột bắt buộc: Số kiểm kê."]
    assert store.saves == []


def test_relic_known_from_the_database(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "hv.csv", ARTIFACT_ROWS)
    result = run_import(path, MemoryStore({"DT001"}), ImportOptions())
    assert result.written == {Action.CREATE: 2}


def test_missing_images_are_warnings(tmp_path: Path) -> None:
    archive = tmp_path / "anh.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Ảnh/HV-001.JPG", b"\xff\xd8\xff")
    rows = [
        [*ARTIFACT_HEADER, "Ảnh"],
        ["DT001", "HV-001", "Bát", "", "", "hv-001.jpg; HV-009.jpg"],
    ]
    path = write_csv(tmp_path / "hv.csv", rows)
    options = ImportOptions(images=ImageIndex.from_zip(archive))
    (item,) = preview_import(path, MemoryStore({"DT001"}), options).items
    assert item.action == Action.CREATE
    assert item.warnings == ("Không thấy ảnh “HV-009.jpg” trong tệp ZIP.",)


def test_artifacts_of_a_relic_row_in_error_say_so(tmp_path: Path) -> None:
    relics = [["Mã di tích", "Tên di tích", "Xếp hạng"], ["DT001", "Đình", "Cấp huyện"]]
    path = write_xlsx(tmp_path / "kk.xlsx", {"Di tích": relics, "Hiện vật": ARTIFACT_ROWS})
    store = MemoryStore()
    result = run_import(path, store, ImportOptions(mode="good_rows"))
    assert store.saves == []
    artifact_errors = [e for kind, _, e in result.rejected if kind == RecordKind.ARTIFACT]
    assert (
        artifact_errors
        == [["Di tích “DT001” ở trang Di tích của tệp này có lỗi, nên dòng này chưa nhập được."]]
        * 2
    )


def test_coordinates_stored_as_decimals_are_unchanged_on_reimport(tmp_path: Path) -> None:
    from decimal import Decimal

    rows = [
        ["Mã di tích", "Tên di tích", "Vĩ độ", "Kinh độ"],
        ["DT001", "Đình", "20.85612345", "106.6933"],
    ]
    path = write_csv(tmp_path / "dt.csv", rows)
    store = MemoryStore()
    run_import(path, store, ImportOptions())
    stored = store.records[(RecordKind.RELIC, ("DT001",))]
    assert stored["vi_do"] == 20.856123  # six decimals, as the DecimalField keeps them
    stored.update(vi_do=Decimal("20.856123"), kinh_do=Decimal("106.693300"))  # as read from the DB
    assert run_import(path, store, ImportOptions()).preview.counts == {Action.SKIP: 1}


def test_legacy_xls_imports_relics_then_their_artifacts() -> None:
    path = Path(__file__).resolve().parents[1] / "files" / "kiem-ke-1998.xls"
    store = MemoryStore()
    result = run_import(path, store, ImportOptions())
    assert result.written == {Action.CREATE: 4}
    assert store.of_kind(RecordKind.RELIC)[("DT001",)]["ten"] == "Đình Đông Khê"
    assert store.of_kind(RecordKind.ARTIFACT)[("DT001", "HV-001")]["nien_dai"].year_from == 1890
