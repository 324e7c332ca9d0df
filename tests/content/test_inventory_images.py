"""Images in an uploaded ZIP, found by the file names written in the sheet."""

import unicodedata
import zipfile
from pathlib import Path

import pytest

from content.inventory import ImageIndex, InventoryFileError

JPEG = b"\xff\xd8\xff\xe0fake"


def make_zip(path: Path, names: list[str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name in names:
            zf.writestr(name, JPEG)
    return path


def test_match_ignores_folders_case_and_extension(tmp_path: Path) -> None:
    index = ImageIndex.from_zip(make_zip(tmp_path / "a.zip", ["kiem ke/DT001/HV-001.JPG"]))
    assert index.find("hv-001.jpg") is not None
    assert index.find("HV-001") is not None
    with index:
        assert index.read("HV-001.jpg") == JPEG
    assert index.problems(("HV-001.jpg",)) == []


def test_vietnamese_names_from_a_mac_zip(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Bát hương.png")
    index = ImageIndex.from_zip(make_zip(tmp_path / "a.zip", [nfd]))
    assert index.find("Bát hương.png") is not None


@pytest.mark.parametrize("codec", ["utf-8", "cp1258"])
def test_windows_zip_without_utf8_flag(tmp_path: Path, codec: str) -> None:
    # Old Windows tools store names in the local code page and do not set the UTF-8 flag.
    name = "Chuông.jpg".encode(codec)
    placeholder = b"x" * (len(name) - 4) + b".jpg"
    path = make_zip(tmp_path / "a.zip", [placeholder.decode()])
    path.write_bytes(path.read_bytes().replace(placeholder, name))
    assert not zipfile.ZipFile(path).infolist()[0].flag_bits & 0x800
    assert ImageIndex.from_zip(path).find("Chuông.jpg") is not None


def test_non_images_and_mac_junk_are_ignored(tmp_path: Path) -> None:
    names = ["__MACOSX/._HV-001.jpg", ".DS_Store", "ghi chu.txt", "HV-001.jpg"]
    index = ImageIndex.from_zip(make_zip(tmp_path / "a.zip", names))
    assert list(index.by_name) == ["hv-001.jpg"]
    assert index.problems(("ghi chu.txt",)) == ["Không thấy ảnh “ghi chu.txt” trong tệp ZIP."]


def test_same_name_in_two_folders_is_ambiguous(tmp_path: Path) -> None:
    index = ImageIndex.from_zip(make_zip(tmp_path / "a.zip", ["DT001/1.jpg", "DT002/1.jpg"]))
    assert "nhiều ảnh tên" in index.problems(("1.jpg",))[0]


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    path.write_bytes(b"not a zip")
    with pytest.raises(InventoryFileError, match="không phải tệp ZIP"):
        ImageIndex.from_zip(path)
