"""Reading inventory files: formats, encodings, delimiters, headers, and files that are not ours."""

import zipfile
from pathlib import Path

import pytest

from content.inventory import InventoryFileError, RecordKind, open_inventory
from content.inventory.readers import sniff_delimiter
from tests.content.inventory_factories import ARTIFACT_HEADER, write_csv, write_xlsx

ROWS = [
    ARTIFACT_HEADER,
    ["DT001", "HV-001", "Bia đá hậu thần", "Đá xanh", "thế kỷ XVIII"],
    ["DT001", "HV-002", "Chuông đồng", "Đồng", "thời Nguyễn"],
]


def read_values(path: Path, **kwargs) -> list[dict]:
    with open_inventory(path, **kwargs) as inventory:
        assert len(inventory.tables) == 1
        return [row.values for row in inventory.tables[0].rows()]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("utf-8", ","),
        ("utf-8-sig", ";"),
        ("utf-16", "\t"),  # Excel "Unicode Text"
        ("cp1258", ","),
        ("tcvn3", ";"),
    ],
)
def test_csv_in_every_encoding(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = write_csv(tmp_path / "hv.csv", ROWS, encoding=encoding, delimiter=delimiter)
    values = read_values(path)
    assert [v["ten"] for v in values] == ["Bia đá hậu thần", "Chuông đồng"]
    assert values[1]["chat_lieu"] == "Đồng"


def test_tcvn3_csv_mentions_the_encoding(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "hv.csv", ROWS, encoding="tcvn3")
    with open_inventory(path) as inventory:
        assert any("TCVN3" in note for note in inventory.tables[0].notes)


def test_xlsx_with_tcvn3_mojibake_cells_is_fixed(tmp_path: Path) -> None:
    # A sheet typed in .VnTime: Excel stored the ANSI characters the font displayed.
    mojibake = [[_vntime(c) for c in row] for row in ROWS]
    path = write_xlsx(tmp_path / "hv.xlsx", {"Sheet1": mojibake})
    values = read_values(path)
    assert [v["ten"] for v in values] == ["Bia đá hậu thần", "Chuông đồng"]


def _vntime(text: str) -> str:
    from content.inventory import encode_tcvn3

    return encode_tcvn3(text).decode("cp1252")


def test_xlsx_unicode_sheet_is_not_touched(tmp_path: Path) -> None:
    rows = [*ROWS, ["DT002", "HV-003", "Bát hương", "Gốm", "thế kỷ XIX"]]
    path = write_xlsx(tmp_path / "hv.xlsx", {"Hiện vật": rows})
    assert [v["ten"] for v in read_values(path)][-1] == "Bát hương"


def test_nfd_cells_come_out_nfc(tmp_path: Path) -> None:
    import unicodedata

    rows = [[unicodedata.normalize("NFD", c) for c in row] for row in ROWS]
    path = write_xlsx(tmp_path / "hv.xlsx", {"Hiện vật": rows})
    assert read_values(path)[0]["ten"] == "Bia đá hậu thần"
    assert unicodedata.is_normalized("NFC", read_values(path)[0]["ten"])


def test_title_rows_stt_trailing_blank_columns_and_empty_rows(tmp_path: Path) -> None:
    rows = [
        ["DANH MỤC HIỆN VẬT ĐÌNH ĐÔNG KHÊ"],
        [],
        ["STT", *ARTIFACT_HEADER, None, None, ""],
        [1, "DT001", "HV-001", "Bia đá", "Đá", "1890", None, None, ""],
        [None, None, None, None, None, None, None, None, None],
        [2, "DT001", "HV-002", "Chuông", "Đồng", "", "", None, "  "],
        [],
    ]
    path = write_xlsx(tmp_path / "hv.xlsx", {"Hiện vật": rows})
    with open_inventory(path) as inventory:
        table = inventory.tables[0]
        assert table.header_row == 3
        assert table.header.unknown == ()
        rows_read = list(table.rows())
    assert [r.number for r in rows_read] == [4, 6]
    assert rows_read[1].values["nien_dai"] is None


def test_workbook_sheets_come_in_import_order(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "all.xlsx",
        {
            "Hiện vật": ROWS,
            "Di tích": [["Mã di tích", "Tên di tích"], ["DT001", "Đình Đông Khê"]],
            "Ghi chú": [["chỉ là ghi chú"]],
        },
    )
    with open_inventory(path) as inventory:
        assert [t.kind for t in inventory.tables] == [
            RecordKind.RELIC,
            RecordKind.ARTIFACT,
        ]
        assert any("Ghi chú" in note for note in inventory.notes)


def test_kind_from_columns_when_sheet_name_says_nothing(tmp_path: Path) -> None:
    rows = [
        ["Mã di tích", "Số kiểm kê", "Loại", "Phiên âm"],
        ["DT001", "VB-01", "Văn bia", "x"],
    ]
    path = write_xlsx(tmp_path / "x.xlsx", {"Sheet1": rows})
    with open_inventory(path) as inventory:
        assert inventory.tables[0].kind == RecordKind.INSCRIPTION


def test_missing_required_columns_are_named(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "hv.csv", [["Mã di tích", "Chất liệu"], ["DT001", "Gỗ"]])
    with open_inventory(path, kind=RecordKind.ARTIFACT) as inventory:
        assert inventory.errors == ["Trang “hv.csv”: thiếu cột bắt buộc: Số kiểm kê, Tên hiện vật."]


def test_no_header_at_all(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["a", "b"], ["1", "2"]])
    with pytest.raises(InventoryFileError, match="Không tìm thấy dòng tiêu đề"):
        open_inventory(path)


def test_unknown_columns_are_reported_once(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "hv.csv", [[*ARTIFACT_HEADER, "Người kiểm kê"], ROWS[1]])
    with open_inventory(path) as inventory:
        assert any("Người kiểm kê" in n for n in inventory.tables[0].notes)


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # a sparse 50 MB file, written in no time
    with pytest.raises(InventoryFileError, match=r"Tệp quá lớn: 50,0 MB, giới hạn là 25,0 MB"):
        open_inventory(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 ...", "PDF"),
        (b"\x89PNG\r\n\x1a\n....", "ảnh PNG"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, r"hỏng, hoặc là tệp Word \(.doc\)"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "trang web"),
        (bytes(range(256)) * 20, "tệp nhị phân"),
        (b"", "Tệp rỗng"),
    ],
)
def test_not_a_spreadsheet(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    with pytest.raises(InventoryFileError, match=message):
        open_inventory(path)


def test_zip_of_images_uploaded_as_inventory(tmp_path: Path) -> None:
    path = tmp_path / "anh.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("HV-001.jpg", b"\xff\xd8\xff")
    with pytest.raises(InventoryFileError, match="tệp nén ZIP"):
        open_inventory(path)


def test_broken_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "hv.xlsx", {"Hiện vật": ROWS})
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(InventoryFileError, match="hỏng"):
        open_inventory(path)


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2,5;3\n", ";"),
        ("a\tb\tc\n1\t2, 3\t4\n", "\t"),
        ('"a,b";c\n"1,2";3\n', ";"),
    ],
)
def test_delimiter_sniffing(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter


def test_multiline_cell_keeps_its_line_break(tmp_path: Path) -> None:
    rows = [ARTIFACT_HEADER, ["DT001", "HV-001", "Bia đá\nmặt trước", "Đá", ""]]
    path = write_csv(tmp_path / "hv.csv", rows)
    assert read_values(path)[0]["ten"] == "Bia đá\nmặt trước"


def test_xlsx_engines_read_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from content.inventory import xlsx

    rows = [
        ["Mã di tích", "Tên di tích", "Ngày quyết định", "Vĩ độ", "Kinh độ", "Niên đại"],
        ["DT001", "Đình Đông Khê", dt.datetime(2019, 4, 15), 20.85, 106.69, 1890],
        ["DT002", "Chùa Vẽ", None, None, None, "thời Lê"],
    ]
    path = write_xlsx(tmp_path / "dt.xlsx", {"Di tích": rows})
    fast = read_values(path)
    monkeypatch.setattr(xlsx, "CALAMINE_MAX_XML", 0)  # force the streaming reader
    assert read_values(path) == fast
    assert fast[0]["ten"] == "Đình Đông Khê"


def test_sheet_with_a_formula_is_streamed_and_sheet_without_is_fast(tmp_path: Path) -> None:
    from content.inventory.xlsx import XlsxBook

    path = write_xlsx(
        tmp_path / "x.xlsx",
        {"Hiện vật": [*ROWS, ["DT001", "HV-3", "=B2", "", ""]], "Di tích": [["Mã di tích"]]},
    )
    book = XlsxBook(path)
    assert book.engine("Hiện vật") == "openpyxl"
    assert book.engine("Di tích") == "calamine"
    book.close()


def test_table_not_starting_at_a1(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for r, row in enumerate(ROWS, start=3):
        for c, value in enumerate(row, start=3):
            sheet.cell(r, c, value)
    path = tmp_path / "offset.xlsx"
    workbook.save(path)
    with open_inventory(path) as inventory:
        table = inventory.tables[0]
        rows = list(table.rows())
    assert table.header_row == 3
    assert [(r.number, r.values["so_kiem_ke"]) for r in rows] == [(4, "HV-001"), (5, "HV-002")]


def test_wrong_encoding_chosen_for_a_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "hv.csv", ROWS, encoding="cp1258")
    with pytest.raises(InventoryFileError, match="không đọc được bằng bảng mã UTF-8"):
        with open_inventory(path, encoding="utf-8") as inventory:
            list(inventory.tables[0].rows())


def test_xlsx_that_inflates_too_much(tmp_path: Path) -> None:
    from content.inventory import Limits

    path = write_xlsx(tmp_path / "hv.xlsx", {"Hiện vật": ROWS})
    with pytest.raises(InventoryFileError, match="giải nén ra"):
        open_inventory(path, limits=Limits(max_uncompressed_bytes=1000))


def test_column_given_twice(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "hv.csv", [[*ARTIFACT_HEADER, "Tên"], [*ROWS[1], "x"]])
    with open_inventory(path) as inventory:
        assert inventory.errors == ["Trang “hv.csv”: cột bị lặp lại: Tên hiện vật."]


LEGACY_XLS = Path(__file__).resolve().parents[1] / "files" / "kiem-ke-1998.xls"


def test_excel_97_workbook_with_a_vntime_sheet() -> None:
    # Made by tests/files/make_kiem_ke_xls.py: one sheet typed in .VnTime, one in Unicode.
    with open_inventory(LEGACY_XLS) as inventory:
        relics, artifacts = inventory.tables
        assert (relics.kind, relics.legacy_tcvn3) == (RecordKind.RELIC, True)
        assert [r.values["ten"] for r in relics.rows()] == ["Đình Đông Khê", "Chùa Vẽ"]
        assert (artifacts.kind, artifacts.header_row) == (RecordKind.ARTIFACT, 3)
        rows = [r.values for r in artifacts.rows()]
    assert [(v["ma_di_tich"], v["ten"], v["nien_dai"]) for v in rows] == [
        ("DT001", "Bát hương gốm men lam", 1890),
        ("DT002", "Chuông đồng", "thời Nguyễn"),
    ]
