"""Export: CSV and XLSX in the import layout, safe in a spreadsheet, and back unchanged."""

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from content.inventory import (
    LAYOUTS,
    RecordKind,
    check_rows,
    escape_formula,
    open_inventory,
    parse_dating,
    save_csv,
    save_rejects,
    save_template,
    save_xlsx,
    unescape_formula,
)

TRICKY = [
    "=1+1",
    "-5 cm",
    "@home",
    "+84 912",
    "\tindent",
    "'=quoted",
    "''=twice",
    "'plain",
]


def record(kind: RecordKind, **values) -> dict:
    """A record as import returns it: every column, empty ones as "", None or ()."""
    empty = {"text": "", "images": ()}
    full = {c.key: empty.get(c.type) for c in LAYOUTS[kind].columns}
    return {**full, **values}


RELICS = [
    record(
        RecordKind.RELIC,
        ma_di_tich="DT001",
        ten="Đình Đông Khê",
        ten_khac="Đình làng, Đình Cả",
        loai_hinh="dinh",
        xep_hang="quoc_gia_dac_biet",
        so_quyet_dinh='=HYPERLINK("http://x")',
        ngay_quyet_dinh=dt.date(2019, 4, 15),
        phuong_xa="Phường Đông Khê",
        dia_chi="-",
        vi_do=20.856123,
        kinh_do=106.693301,
        nien_dai=parse_dating("thời Lê"),
        nhan_vat_tho="+ Thành hoàng",
        le_hoi="Mùng 10 tháng Giêng âm lịch",
        tom_tat="Hai dòng\ntóm tắt",
        anh=("a.jpg", "b.jpg"),
    ),
    record(RecordKind.RELIC, ma_di_tich="DT002", ten="Chùa Vẽ"),
]
ARTIFACTS = [
    record(
        RecordKind.ARTIFACT,
        ma_di_tich="DT001",
        so_kiem_ke=f"HV-{i:03d}",
        ten=text,
        chat_lieu="+ Đồng",
        kich_thuoc="-5 cm",
        nien_dai=parse_dating("=cuối thế kỷ XIX" if i == 0 else "cuối thế kỷ XIX"),
        tinh_trang="tot" if i % 2 else None,
        mo_ta="@mention",
    )
    for i, text in enumerate(TRICKY)
]
INSCRIPTIONS = [
    record(
        RecordKind.INSCRIPTION,
        ma_di_tich="DT001",
        so_kiem_ke="VB-01",
        loai="sac_phong",
        ten="Sắc phong",
        nguyen_van="敕旨",
        phien_am="Sắc chỉ",
        dich_nghia="Sắc của vua",
        nien_dai=parse_dating("Cảnh Hưng năm thứ 5"),
        vi_tri="Hậu cung",
        anh_ban_dap=("ban-dap.png",),
    )
]
DATA = {
    RecordKind.RELIC: RELICS,
    RecordKind.ARTIFACT: ARTIFACTS,
    RecordKind.INSCRIPTION: INSCRIPTIONS,
}


@pytest.mark.parametrize("text", TRICKY)
def test_escape_is_undone_exactly(text: str) -> None:
    assert unescape_formula(escape_formula(text)) == text


@pytest.mark.parametrize("text", ["=1+1", "-5 cm", "@home", "+84 912", "\tx", "\rx"])
def test_dangerous_text_is_neutralised(text: str) -> None:
    assert escape_formula(text) == "'" + text


def test_csv_has_bom_and_no_live_formula(tmp_path: Path) -> None:
    path = tmp_path / "hv.csv"
    save_csv(path, LAYOUTS[RecordKind.ARTIFACT], ARTIFACTS)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    cells = [c for row in rows[1:] for c in row]
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert "'=1+1" in cells and "'-5 cm" in cells


def test_streamed_csv_is_the_same_file(tmp_path: Path) -> None:
    from content.inventory.export import iter_csv

    path = tmp_path / "hv.csv"
    save_csv(path, LAYOUTS[RecordKind.ARTIFACT], ARTIFACTS)
    chunks = list(iter_csv(LAYOUTS[RecordKind.ARTIFACT], ARTIFACTS, rows_per_chunk=2))
    assert len(chunks) > 1 and b"".join(chunks) == path.read_bytes()


def test_xlsx_has_no_formula_cells(tmp_path: Path) -> None:
    path = tmp_path / "all.xlsx"
    save_xlsx(path, DATA.items())
    workbook = load_workbook(path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    assert workbook["Hiện vật"]["C2"].value == "'=1+1"


def _reimport(path: Path) -> dict[RecordKind, list[dict]]:
    found: dict[RecordKind, list[dict]] = {}
    with open_inventory(path) as inventory:
        for table in inventory.tables:
            rows = list(check_rows(table))
            assert all(r.ok for r in rows), [r.errors for r in rows if not r.ok]
            found[table.kind] = [r.data for r in rows]
    return found


def test_xlsx_export_imports_back_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "all.xlsx"
    save_xlsx(path, DATA.items())
    assert _reimport(path) == DATA


@pytest.mark.parametrize("kind", list(RecordKind))
def test_csv_export_imports_back_unchanged(tmp_path: Path, kind: RecordKind) -> None:
    path = tmp_path / f"{kind}.csv"
    save_csv(path, LAYOUTS[kind], DATA[kind])
    assert _reimport(path) == {kind: DATA[kind]}


def test_failed_export_leaves_no_file(tmp_path: Path) -> None:
    def records():
        yield ARTIFACTS[0]
        raise RuntimeError("database went away")

    path = tmp_path / "hv.csv"
    with pytest.raises(RuntimeError):
        save_csv(path, LAYOUTS[RecordKind.ARTIFACT], records())
    assert list(tmp_path.iterdir()) == []


def test_template_has_every_column_an_example_and_a_guide(tmp_path: Path) -> None:
    path = tmp_path / "mau.xlsx"
    save_template(path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Di tích", "Hiện vật", "Di văn", "Hướng dẫn"]
    for layout in LAYOUTS.values():
        header = [c.value for c in workbook[layout.label][1]]
        assert header == [c.label for c in layout.columns]
    guide = [[c.value for c in row] for row in workbook["Hướng dẫn"].iter_rows()]
    documented = {(row[0], row[1]) for row in guide[1:] if row and row[1]}
    for layout in LAYOUTS.values():
        for column in layout.columns:
            assert (layout.label, column.label) in documented
    imported = _reimport(path)
    assert imported[RecordKind.ARTIFACT][0]["ten"] == "Bát hương gốm men lam"


def test_rejected_rows_file_can_be_fixed_and_imported(tmp_path: Path) -> None:
    raw = {"ma_di_tich": "DT001", "so_kiem_ke": "HV-9", "ten": "Bát", "tinh_trang": "mất nắp"}
    message = (
        "Tình trạng “mất nắp” không hợp lệ; chọn một trong: Tốt; Khá; Xuống cấp; Hư hỏng nặng."
    )
    path = tmp_path / "loi.xlsx"
    save_rejects(path, [(RecordKind.ARTIFACT, raw, [message])])
    sheet = load_workbook(path)["Hiện vật"]
    header = [c.value for c in sheet[1]]
    assert header[-1] == "Lỗi"
    assert sheet.cell(2, len(header)).value == message
    with open_inventory(path) as inventory:  # the "Lỗi" column is ignored on import
        (row,) = list(check_rows(inventory.tables[0]))
    assert row.errors == [message]
    assert inventory.tables[0].header.unknown == ()


def test_documented_layout_matches_the_code() -> None:
    from content.inventory.columns import layout_markdown

    doc = Path(__file__).resolve().parents[2] / "docs" / "inventory.md"
    assert layout_markdown() in doc.read_text(encoding="utf-8")
