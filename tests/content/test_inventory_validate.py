"""Row checks: each bad cell gets a Vietnamese sentence naming the column and the value."""

import datetime as dt
from pathlib import Path

import pytest

from content.inventory import RecordKind, check_rows, open_inventory
from tests.content.inventory_factories import (
    ARTIFACT_HEADER,
    RELIC_HEADER,
    write_csv,
    write_xlsx,
)


def check(path: Path, known: set[str] | None = None, kind: RecordKind | None = None) -> list:
    with open_inventory(path, kind=kind) as inventory:
        return list(check_rows(inventory.tables[0], known))


def test_good_row_is_typed(tmp_path: Path) -> None:
    rows = [
        [*RELIC_HEADER, "Ngày quyết định", "Niên đại", "Ảnh"],
        ["DT001", "Đình Đông Khê", "Quốc gia", "20,8561", "106.6933", "15/04/2019",
         "thời Lê", "a.jpg; b.jpg"],
    ]  # fmt: skip
    (row,) = check(write_csv(tmp_path / "dt.csv", rows))
    assert row.ok, row.errors
    assert row.data["xep_hang"] == "quoc_gia"
    assert row.data["vi_do"] == pytest.approx(20.8561)
    assert row.data["ngay_quyet_dinh"] == dt.date(2019, 4, 15)
    assert row.data["nien_dai"].year_from == 1428
    assert row.data["anh"] == ("a.jpg", "b.jpg")


def test_xlsx_numbers_and_dates(tmp_path: Path) -> None:
    rows = [
        [
            "Mã di tích",
            "Tên di tích",
            "Ngày quyết định",
            "Niên đại",
            "Vĩ độ",
            "Kinh độ",
        ],
        ["DT001", "Đình", dt.datetime(2019, 4, 15), 1890, 20.85, 106.69],
    ]
    (row,) = check(write_xlsx(tmp_path / "dt.xlsx", {"Di tích": rows}))
    assert row.data["ngay_quyet_dinh"] == dt.date(2019, 4, 15)
    assert (row.data["nien_dai"].text, row.data["nien_dai"].year_from) == ("1890", 1890)


def test_inventory_number_typed_as_number_stays_plain(tmp_path: Path) -> None:
    rows = [ARTIFACT_HEADER, ["DT001", 12.0, "Bát", "Gốm", ""]]
    (row,) = check(write_xlsx(tmp_path / "hv.xlsx", {"Hiện vật": rows}))
    assert row.data["so_kiem_ke"] == "12"


def test_missing_required_value(tmp_path: Path) -> None:
    rows = [ARTIFACT_HEADER, ["DT001", "HV-001", "", "Gỗ", ""]]
    (row,) = check(write_csv(tmp_path / "hv.csv", rows))
    assert row.errors == ["Thiếu Tên hiện vật."]


def test_duplicate_inventory_number_names_the_first_row(tmp_path: Path) -> None:
    rows = [
        ARTIFACT_HEADER,
        ["DT001", "HV-001", "Bát", "Gốm", ""],
        ["DT002", "HV-001", "Đĩa", "Gốm", ""],  # same number, other relic: fine
        ["DT001", "HV-001", "Chén", "Gốm", ""],
    ]
    first, other, third = check(write_csv(tmp_path / "hv.csv", rows))
    assert first.ok and other.ok
    assert third.errors == ["Số kiểm kê “HV-001” của di tích DT001 trùng với dòng 2."]


def test_unknown_relic_code(tmp_path: Path) -> None:
    rows = [ARTIFACT_HEADER, ["DT999", "HV-001", "Bát", "Gốm", ""]]
    (row,) = check(write_csv(tmp_path / "hv.csv", rows), known={"DT001"})
    assert row.errors == [
        "Mã di tích “DT999” chưa có trong hệ thống, cũng không có ở trang Di tích của tệp này."
    ]


def test_formula_cells_are_rejected(tmp_path: Path) -> None:
    rows = [
        [*ARTIFACT_HEADER, "Kích thước"],
        ["DT001", "HV-001", "=A1&B1", "Gốm", "", "=SUM(1,2)"],
        ["DT001", "HV-002", "'=1+1", "Gốm", "", "2 cm"],  # guarded: literal text
    ]
    bad, good = check(write_xlsx(tmp_path / "hv.xlsx", {"Hiện vật": rows}))
    assert len(bad.errors) == 2
    assert bad.errors[0].startswith("Ô “Tên hiện vật” chứa công thức (=A1&B1)")
    assert good.ok and good.data["ten"] == "=1+1"


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        ("106.69", "20.85", "có lẽ bị đảo chỗ"),
        ("2306000", "588000", "có vẻ là mét (VN-2000)"),
        ("95", "106", "không hợp lệ"),
        ("20.85", "", "Cần ghi cả vĩ độ và kinh độ"),
        ("hai mươi", "106", "Vĩ độ “hai mươi” không phải số"),
    ],
)
def test_bad_coordinates(tmp_path: Path, lat: str, lon: str, message: str) -> None:
    rows = [RELIC_HEADER, ["DT001", "Đình", "", lat, lon]]
    (row,) = check(write_csv(tmp_path / "dt.csv", rows))
    assert any(message in e for e in row.errors), row.errors


def test_coordinates_abroad_are_a_warning(tmp_path: Path) -> None:
    rows = [RELIC_HEADER, ["DT001", "Đình", "", "48.85", "2.35"]]
    (row,) = check(write_csv(tmp_path / "dt.csv", rows))
    assert row.ok and row.warnings == ["Toạ độ (48.85, 2.35) nằm ngoài lãnh thổ Việt Nam."]


def test_degrees_minutes_seconds(tmp_path: Path) -> None:
    rows = [RELIC_HEADER, ["DT001", "Đình", "", "20°51'22\"N", "106°41'36\"E"]]
    (row,) = check(write_csv(tmp_path / "dt.csv", rows))
    assert row.data["vi_do"] == pytest.approx(20.85611, abs=1e-4)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "Xếp hạng",
            "Cấp huyện",
            "Xếp hạng “Cấp huyện” không hợp lệ; chọn một trong: Di tích quốc gia đặc biệt; ",
        ),
        ("Ngày quyết định", "32/13/2019", "không đúng dạng ngày/tháng/năm"),
    ],
)
def test_bad_relic_cells(tmp_path: Path, column: str, value: str, message: str) -> None:
    rows = [["Mã di tích", "Tên di tích", column], ["DT001", "Đình", value]]
    (row,) = check(write_csv(tmp_path / "dt.csv", rows))
    assert any(message in e for e in row.errors), row.errors


def test_condition_is_one_of_the_admin_choices(tmp_path: Path) -> None:
    rows = [
        [*ARTIFACT_HEADER, "Tình trạng"],
        ["DT001", "HV-1", "Bát", "", "", "Còn tốt"],
        ["DT001", "HV-2", "Đĩa", "", "", "Hư hỏng nặng"],
        ["DT001", "HV-3", "Lọ", "", "", "mất nắp"],
    ]
    good, worst, bad = check(write_csv(tmp_path / "hv.csv", rows))
    assert (good.data["tinh_trang"], worst.data["tinh_trang"]) == ("tot", "hu_hong")
    assert bad.errors == [
        "Tình trạng “mất nắp” không hợp lệ; chọn một trong: Tốt; Khá; Xuống cấp; Hư hỏng nặng."
    ]


def test_text_longer_than_the_database_field(tmp_path: Path) -> None:
    rows = [ARTIFACT_HEADER, ["DT001", "HV-" + "9" * 60, "Bát", "", ""]]
    (row,) = check(write_csv(tmp_path / "hv.csv", rows))
    assert row.errors == ["Số kiểm kê dài 63 ký tự, tối đa 50."]


def test_mixed_datings_never_fail(tmp_path: Path) -> None:
    datings = ["12/3/1890", "năm 1890", "thế kỷ XVIII", "thời Lê", "chưa rõ niên đại"]
    rows = [ARTIFACT_HEADER] + [["DT001", f"HV-{i}", "Bát", "", d] for i, d in enumerate(datings)]
    checked = check(write_csv(tmp_path / "hv.csv", rows))
    assert all(r.ok for r in checked)
    assert [r.data["nien_dai"].year_from for r in checked] == [
        1890,
        1890,
        1701,
        1428,
        None,
    ]


@pytest.mark.parametrize("force_streaming", [False, True])
def test_xlsx_text_starting_with_equals_is_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force_streaming: bool
) -> None:
    from openpyxl import Workbook

    from content.inventory import xlsx

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Hiện vật"
    sheet.append(ARTIFACT_HEADER)
    sheet.append(["DT001", "HV-001", "Bát", "", ""])
    sheet["C2"].value = "=chữ, không phải công thức"
    sheet["C2"].data_type = "s"  # what Excel stores for text typed as '=…
    path = tmp_path / "hv.xlsx"
    workbook.save(path)
    if force_streaming:
        monkeypatch.setattr(xlsx, "CALAMINE_MAX_XML", 0)
    (row,) = check(path)
    assert row.ok and row.data["ten"] == "=chữ, không phải công thức"


def test_csv_value_starting_with_equals_is_a_formula(tmp_path: Path) -> None:
    rows = [ARTIFACT_HEADER, ["DT001", "HV-001", '=HYPERLINK("http://x")', "", ""]]
    (row,) = check(write_csv(tmp_path / "hv.csv", rows))
    assert row.errors[0].startswith("Ô “Tên hiện vật” chứa công thức")
