"""`manage.py import_inventory` / `export_inventory`, images from a ZIP, and bad input."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image as PILImage
from wagtail.images import get_image_model

from content.models import Artifact, Inscription, RelicPage
from tests.content.inventory_factories import write_csv, write_xlsx
from tests.factories import make_relic

HEADER = ["Mã di tích", "Số kiểm kê", "Tên hiện vật", "Niên đại", "Ảnh"]


@pytest.fixture
def relic(district):
    return make_relic(district["wards"][0], relic_code="DT001")


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def jpeg(color=(200, 30, 30), size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", size, color).save(buf, "JPEG")
    return buf.getvalue()


def images_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def test_dry_run_then_import_then_nothing_to_do(tmp_path, relic):
    rows = [HEADER, ["DT001", "HV-001", "Bát hương", "thế kỷ XVIII", ""]]
    path = write_csv(tmp_path / "hv.csv", rows)
    assert "Tạo mới: 1" in run("import_inventory", str(path), "--dry-run")
    assert not Artifact.objects.exists()
    assert "Đã nhập. Tạo mới: 1" in run("import_inventory", str(path))
    assert "Bỏ qua: 1" in run("import_inventory", str(path))
    assert Artifact.objects.count() == 1


def test_bad_rows_are_named_and_nothing_is_imported(tmp_path, relic):
    rows = [
        HEADER,
        ["DT001", "HV-001", "Bát hương", "thế kỷ XVIII", ""],
        ["DT001", "HV-001", "Bát hương", "năm 1890", ""],
        ["DT777", "HV-002", "Chuông", "", ""],
        ["", "", "", "", ""],  # empty rows are skipped silently
        ["DT001", "HV-003", "", "", ""],
    ]
    path = write_xlsx(tmp_path / "hv.xlsx", {"Hiện vật": [[*r, None, None] for r in rows]})
    out = io.StringIO()
    with pytest.raises(CommandError, match="Không nhập gì"):
        call_command("import_inventory", str(path), stdout=out)
    text = out.getvalue()
    assert (
        "dòng 3 (DT001 / HV-001): Lỗi — Số kiểm kê “HV-001” của di tích DT001 trùng với dòng 2"
        in text
    )
    assert "dòng 2 (DT001 / HV-001): Lỗi" in text  # the first of the two is named too
    assert "dòng 4 (DT777 / HV-002): Lỗi — Mã di tích “DT777” chưa có" in text
    assert "dòng 6 (DT001 / HV-003): Lỗi — Thiếu Tên hiện vật." in text
    assert "dòng 5" not in text
    assert not Artifact.objects.exists()


def test_missing_required_column_and_not_a_spreadsheet(tmp_path, relic):
    no_number = write_csv(tmp_path / "hv.csv", [["Mã di tích", "Tên hiện vật"], ["DT001", "Bia"]])
    with pytest.raises(CommandError, match="Số kiểm kê"):
        run("import_inventory", str(no_number), "--kind", "artifact")
    picture = tmp_path / "anh.xlsx"
    picture.write_bytes(jpeg())
    with pytest.raises(CommandError, match="Tệp này là ảnh JPEG, không phải bảng tính"):
        run("import_inventory", str(picture))


def test_mixed_date_forms_are_kept_with_their_years(tmp_path, relic):
    rows = [
        HEADER,
        ["DT001", "HV-1", "A", "12/3/1890", ""],
        ["DT001", "HV-2", "B", "cuối thế kỷ XIX", ""],
        ["DT001", "HV-3", "C", "Cảnh Hưng năm thứ 5", ""],
        ["DT001", "HV-4", "D", "khoảng đời ông nội", ""],
    ]
    run("import_inventory", str(write_csv(tmp_path / "hv.csv", rows)))
    years = {a.inventory_number: (a.dating, a.year_from, a.year_to) for a in Artifact.objects.all()}
    assert years == {
        "HV-1": ("12/3/1890", 1890, 1890),
        "HV-2": ("cuối thế kỷ XIX", 1871, 1900),
        "HV-3": ("Cảnh Hưng năm thứ 5", 1744, 1744),
        "HV-4": ("khoảng đời ông nội", None, None),
    }


def test_images_come_from_the_zip_once(tmp_path, relic):
    Image = get_image_model()
    zip_path = images_zip(
        tmp_path / "anh.zip",
        {"anh/HV-001.jpg": jpeg(), "anh/HV-001b.JPG": jpeg((0, 90, 0)), "hong.jpg": b"\xff\xd8no"},
    )
    rows = [
        HEADER,
        ["DT001", "HV-001", "Bát hương", "", "HV-001.jpg; hv-001b"],
        ["DT001", "HV-002", "Chuông", "", "hong.jpg"],
        ["DT001", "HV-003", "Khám thờ", "", "khong-co.jpg"],
    ]
    path = write_csv(tmp_path / "hv.csv", rows)
    before = Image.objects.count()
    text = run("import_inventory", str(path), "--images", str(zip_path))
    assert "Tệp “hong.jpg” trong ZIP không phải ảnh đọc được. Ảnh này được bỏ qua." in text
    assert "Không thấy ảnh “khong-co.jpg”" in text
    first = Artifact.objects.get(inventory_number="HV-001")
    assert first.image.title == "HV-001.jpg" and first.image.width == 40
    assert [Image.objects.get(pk=i).title for i in first.extra_image_ids()] == ["hv-001b"]
    assert Artifact.objects.get(inventory_number="HV-002").image is None
    assert Image.objects.count() == before + 2
    # The same file and ZIP again: nothing changes, no image is stored twice.
    again = run("import_inventory", str(path), "--images", str(zip_path))
    assert "Bỏ qua: 3" in again and Image.objects.count() == before + 2
    # Without the ZIP the names still resolve to the stored images.
    assert "Bỏ qua: 3" in run("import_inventory", str(path))
    # Another column changes: the images stay as they were.
    renamed = write_csv(tmp_path / "ten.csv", [HEADER[:3], ["DT001", "HV-001", "Bát hương cổ"]])
    assert "Cập nhật: 1" in run("import_inventory", str(renamed))
    first.refresh_from_db()
    assert first.name == "Bát hương cổ" and first.image.title == "HV-001.jpg"
    assert [Image.objects.get(pk=i).title for i in first.extra_image_ids()] == ["hv-001b"]


def test_too_many_pixels_is_refused_from_the_header(tmp_path, relic, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100
    zip_path = images_zip(tmp_path / "anh.zip", {"to.jpg": jpeg(size=(40, 30))})
    rows = [HEADER, ["DT001", "HV-001", "Bát hương", "", "to.jpg"]]
    text = run(
        "import_inventory", str(write_csv(tmp_path / "hv.csv", rows)), "--images", str(zip_path)
    )
    assert "Ảnh “to.jpg” quá nhiều điểm ảnh (40×30)" in text
    assert Artifact.objects.get().image is None


def test_export_command_round_trip(tmp_path, relic):
    ins = [
        ["Mã di tích", "Số kiểm kê", "Tên gọi", "Dịch nghĩa"],
        ["DT001", "VB-1", "Bia", "-1 dòng"],
    ]
    run("import_inventory", str(write_csv(tmp_path / "dv.csv", ins)))
    assert Inscription.objects.get().translation == "-1 dòng"
    out = tmp_path / "di-van.csv"
    assert "inscription: 1" in run(
        "export_inventory", "--kind", "inscription", "--format", "csv", "--out", str(out)
    )
    assert "'-1 dòng" in out.read_text(encoding="utf-8-sig")
    assert "Bỏ qua: 1" in run("import_inventory", str(out))
    with pytest.raises(CommandError, match="một loại"):
        run("export_inventory", "--format", "csv", "--out", str(tmp_path / "x.csv"))


def test_rows_are_checked_against_the_importers_rights(tmp_path, district):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from content.permissions import ward_group_name

    own, other = district["wards"]
    make_relic(own, "Đình Một", relic_code="DT001")
    make_relic(other, "Đình Hai", relic_code="DT002")
    editor = get_user_model().objects.create_user("bien_tap", password="x")
    editor.groups.add(Group.objects.get(name=ward_group_name(own)))
    rows = [
        ["Mã di tích", "Tên di tích", "Phường/xã", "Số quyết định"],
        ["DT001", "Đình Một", "Đông Khê", "5/QĐ"],
        ["DT002", "Đình Hai", "Lạch Tray", "6/QĐ"],
        ["DT003", "Miếu Mới", "Lạch Tray", ""],
    ]
    path = write_csv(tmp_path / "dt.csv", rows)
    text = run("import_inventory", str(path), "--user", "bien_tap", "--mode", "good_rows")
    assert "dòng 3 (DT002): Lỗi — Bạn không có quyền sửa di tích “DT002”." in text
    assert "dòng 4 (DT003): Lỗi — Bạn không có quyền thêm di tích ở Lạch Tray." in text
    # The closing line names what was written and what was left out, not just "imported".
    assert "Đã nhập. Tạo mới: 0, Cập nhật: 1, không nhập vì lỗi: 2" in text
    # An editor's change to a live relic waits for review as a draft.
    one = RelicPage.objects.get(relic_code="DT001")
    assert one.has_unpublished_changes and one.ranking_decision_number == ""
    assert one.get_latest_revision_as_object().ranking_decision_number == "5/QĐ"
    artifacts = [HEADER, ["DT001", "HV-1", "Bát hương", "", ""]]
    with pytest.raises(CommandError):
        run(
            "import_inventory", str(write_csv(tmp_path / "hv.csv", artifacts)), "--user", "bien_tap"
        )
    assert not Artifact.objects.exists()
