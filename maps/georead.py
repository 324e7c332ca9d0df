"""Reading GeoJSON, zipped Shapefile and CSV into records in their source CRS (no conversion).

Each record keeps its row or feature number and the problems found while reading, in Vietnamese.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from maps.crs import WGS84, identify_crs, parse_crs
from maps.geoattrs import clean_text, column_for
from maps.geocheck import raw_geometry_problems

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

Kind = Literal["points", "boundaries"]
Source = str | os.PathLike[str] | IO[bytes]

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf")


class GeoImportError(Exception):
    """A problem with the whole file; the message is for staff (Vietnamese)."""


@dataclass
class Record:
    number: int
    label: str
    geometry: BaseGeometry | None
    properties: dict[str, Any]
    row_crs: str = ""
    problems: list[str] = field(default_factory=list)
    blank: bool = False


@dataclass
class Declared:
    """The CRS a file states (.prj, GeoJSON 'crs' member) and whether a CRS column exists."""

    code: int | None = None
    unknown: str | None = None
    note: str | None = None
    default: int | None = None
    has_column: bool = False


def source_name(source: Source) -> str:
    """The file name staff uploaded, for messages."""
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    return Path(getattr(source, "name", "") or "tep-tai-len").name


def read_bytes(source: Source) -> bytes:
    """The whole file (path or uploaded file object), refusing files over MAX_FILE_BYTES."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise GeoImportError(_too_big())
            return path.read_bytes()
        except OSError as exc:
            raise GeoImportError(f"Không mở được tệp {path.name}: {exc.strerror}.") from exc
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise GeoImportError(_too_big())
    return data


def _too_big() -> str:
    return f"Tệp lớn hơn {MAX_FILE_BYTES // (1024 * 1024)} MB: hãy chia nhỏ tệp."


def parse_source(data: bytes, name: str, kind: Kind) -> tuple[str, list[Record], Declared]:
    """Pick the reader by extension (or content) and return (format name, records, CRS)."""
    suffix = Path(name).suffix.lower()
    if suffix in (".geojson", ".json") or (not suffix and data.lstrip()[:1] == b"{"):
        records, declared = _read_geojson(data)
        return "GeoJSON", records, declared
    if suffix == ".zip" or (not suffix and data[:2] == b"PK"):
        records, declared = _read_shapefile_zip(data)
        return "Shapefile", records, declared
    if suffix in (".csv", ".txt") or not suffix:
        records, declared = _read_csv(data, kind)
        return "CSV", records, declared
    if suffix in _SHAPEFILE_PARTS + (".prj",):
        raise GeoImportError(
            "Shapefile gồm nhiều tệp: hãy nén các tệp .shp, .shx, .dbf và .prj vào một tệp .zip."
        )
    raise GeoImportError(
        f"Không hỗ trợ định dạng «{suffix}»: hãy dùng GeoJSON (.geojson), Shapefile nén (.zip) "
        "hoặc CSV (.csv)."
    )


# --- GeoJSON -------------------------------------------------------------------------------


def _read_geojson(data: bytes) -> tuple[list[Record], Declared]:
    from shapely.errors import GEOSException
    from shapely.geometry import shape

    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise GeoImportError("Tệp GeoJSON phải dùng mã UTF-8.") from exc
    except json.JSONDecodeError as exc:
        raise GeoImportError(
            f"Tệp GeoJSON sai cú pháp JSON ở dòng {exc.lineno}, cột {exc.colno}."
        ) from exc
    if not isinstance(document, dict):
        raise GeoImportError("Tệp GeoJSON phải là một đối tượng FeatureCollection.")
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise GeoImportError("FeatureCollection thiếu danh sách «features».")
    elif kind == "Feature":
        features = [document]
    elif kind in ("Point", "MultiPoint", "Polygon", "MultiPolygon"):
        features = [{"type": "Feature", "geometry": document, "properties": {}}]
    else:
        raise GeoImportError(f"Kiểu GeoJSON «{kind}» không hợp lệ: cần FeatureCollection.")
    declared = Declared(default=WGS84)  # RFC 7946: coordinates are WGS84 unless stated
    member = document.get("crs")
    if member is not None:
        text = member.get("properties", {}).get("name") if isinstance(member, dict) else None
        declared.code = parse_crs(text)
    records = []
    for index, feature in enumerate(features, start=1):
        label = f"đối tượng số {index}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            records.append(Record(index, label, None, {}, problems=["không phải một Feature"]))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        record = Record(index, label, None, dict(properties))
        raw = feature.get("geometry")
        record.problems = raw_geometry_problems(raw)
        if not record.problems:
            try:
                record.geometry = shape(raw)
            except (GEOSException, ValueError, TypeError, IndexError) as exc:
                record.problems.append(f"hình học không đọc được ({exc})")
        records.append(record)
    return records, declared


# --- Shapefile -----------------------------------------------------------------------------


def _read_shapefile_zip(data: bytes) -> tuple[list[Record], Declared]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise GeoImportError("Tệp .zip bị hỏng hoặc không phải tệp zip.") from exc
    with archive, tempfile.TemporaryDirectory(prefix="geoimport-") as tmp:
        shp = _extract_shapefile(archive, Path(tmp))
        return _read_shapefile(shp)


def _extract_shapefile(archive: zipfile.ZipFile, folder: Path) -> Path:
    members = [info for info in archive.infolist() if not info.is_dir()]
    members = [info for info in members if not Path(info.filename).name.startswith(("._", "."))]
    stems: dict[str, dict[str, zipfile.ZipInfo]] = {}
    for info in members:
        path = Path(info.filename)
        stems.setdefault(str(path.with_suffix("")), {})[path.suffix.lower()] = info
    shapefiles = [stem for stem, parts in stems.items() if ".shp" in parts]
    if not shapefiles:
        raise GeoImportError("Tệp .zip không chứa tệp .shp nào.")
    if len(shapefiles) > 1:
        names = ", ".join(sorted(Path(stem).name + ".shp" for stem in shapefiles))
        raise GeoImportError(f"Tệp .zip chứa nhiều lớp ({names}): mỗi lần chỉ nhập một lớp.")
    parts = stems[shapefiles[0]]
    base = Path(shapefiles[0]).name
    missing = [suffix for suffix in _SHAPEFILE_PARTS if suffix not in parts]
    if missing:
        raise GeoImportError(
            f"Shapefile «{base}» thiếu tệp {', '.join(base + s for s in missing)}: hãy nén đủ "
            "các tệp .shp, .shx, .dbf (và .prj) cùng tên."
        )
    if sum(info.file_size for info in parts.values()) > MAX_UNZIPPED_BYTES:
        raise GeoImportError(_too_big())
    for suffix, info in parts.items():
        # Written under a fixed name: no path from the archive reaches the file system.
        try:
            (folder / f"layer{suffix}").write_bytes(archive.read(info))
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise GeoImportError(f"Không giải nén được {info.filename}: tệp zip bị hỏng.") from exc
    return folder / "layer.shp"


def _read_shapefile(shp: Path) -> tuple[list[Record], Declared]:
    import geopandas as gpd
    import pyogrio.errors
    from shapely.errors import GEOSException

    has_cpg = shp.with_suffix(".cpg").exists()
    options: dict[str, Any] = {} if has_cpg else {"encoding": "utf-8"}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                frame = gpd.read_file(shp, engine="pyogrio", on_invalid="ignore", **options)
            except UnicodeDecodeError:
                frame = gpd.read_file(shp, engine="pyogrio", on_invalid="ignore", encoding="cp1258")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise GeoImportError(_broken_shapefile(exc)) from exc
    except (pyogrio.errors.FieldError, pyogrio.errors.GeometryError, GEOSException) as exc:
        raise GeoImportError(_broken_shapefile(exc)) from exc
    code, note = identify_crs(frame.crs)
    declared = Declared(code=code, note=note)
    if frame.crs is not None and code is None:
        declared.unknown = f"{frame.crs.name} (tệp .prj)"
    broken = _unreadable_geometries(shp, frame) if frame.geometry.isna().any() else {}
    records = []
    columns = [column for column in frame.columns if column != frame.geometry.name]
    for index, (geom, values) in enumerate(
        zip(frame.geometry, frame[columns].itertuples(index=False), strict=True)
    ):
        label = f"đối tượng số {index + 1} (FID {index})"
        properties = dict(zip(columns, values, strict=True))
        record = Record(index + 1, label, None if geom is None else geom, properties)
        if geom is None:
            record.problems.append(broken.get(index, "thiếu hình học (geometry rỗng)"))
        records.append(record)
    return records, declared


def _broken_shapefile(exc: Exception) -> str:
    detail = str(exc).split(";")[0].strip()
    return f"Shapefile bị hỏng hoặc không đọc được ({detail})."


def _unreadable_geometries(shp: Path, frame: Any) -> dict[int, str]:
    """Why features came back without geometry (e.g. a ring that is not closed)."""
    import pyogrio
    import shapely
    from shapely.errors import GEOSException

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        _meta, _fids, wkbs, _fields = pyogrio.raw.read(shp, columns=[])
    reasons = {}
    for index in frame.index[frame.geometry.isna()]:
        wkb = wkbs[index]
        if wkb is None:
            continue
        try:
            shapely.from_wkb(wkb)
        except GEOSException as exc:
            text = str(exc)
            reasons[int(index)] = (
                "hình học không hợp lệ: vòng ranh giới chưa khép kín"
                if "closed" in text
                else f"hình học không hợp lệ ({text})"
            )
    return reasons


# --- CSV -----------------------------------------------------------------------------------


def _read_csv(data: bytes, kind: Kind) -> tuple[list[Record], Declared]:
    import shapely
    from shapely.errors import GEOSException
    from shapely.geometry import Point

    text = _decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    headers = [h for h in (reader.fieldnames or []) if h is not None]
    if not headers:
        raise GeoImportError("Tệp CSV trống hoặc không có dòng tiêu đề.")
    x_col, y_col = column_for(headers, "x"), column_for(headers, "y")
    wkt_col = column_for(headers, "wkt")
    crs_col = column_for(headers, "crs")
    if not (x_col and y_col) and not wkt_col:
        needed = "x/y, lon/lat hoặc kinh_do/vi_do" if kind == "points" else "wkt (hình học)"
        raise GeoImportError(
            f"Tệp CSV thiếu cột tọa độ: cần cột {needed}. Các cột hiện có: {', '.join(headers)}."
        )
    records = []
    try:
        for index, row in enumerate(reader, start=2):
            row.pop(None, None)  # values beyond the header row
            label = f"dòng {index}"
            record = Record(index, label, None, {k: v for k, v in row.items() if k})
            record.row_crs = clean_text(row.get(crs_col)) if crs_col else ""
            if not any(clean_text(value) for value in row.values()):
                record.blank = True
            elif x_col and y_col and (clean_text(row.get(x_col)) or not wkt_col):
                try:
                    x = parse_number(row.get(x_col), x_col)
                    y = parse_number(row.get(y_col), y_col)
                    record.geometry = Point(x, y)
                except ValueError as exc:
                    record.problems.append(str(exc))
            else:
                value = clean_text(row.get(wkt_col))
                if not value:
                    record.problems.append(f"thiếu hình học ở cột «{wkt_col}»")
                else:
                    try:
                        record.geometry = shapely.from_wkt(value)
                    except GEOSException as exc:
                        record.problems.append(_wkt_problem(str(exc)))
            records.append(record)
    except csv.Error as exc:
        raise GeoImportError(f"Tệp CSV sai định dạng ở dòng {reader.line_num}: {exc}.") from exc
    return records, Declared(has_column=crs_col is not None)


def _decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Vietnamese Windows saves CSV in Windows-1258.
        return data.decode("cp1258", errors="replace")


def _wkt_problem(text: str) -> str:
    if "closed" in text:
        return "hình học không hợp lệ: vòng ranh giới chưa khép kín"
    return f"hình học WKT không đọc được ({text.split(':', 1)[-1].strip()})"


_DMS = re.compile(
    r"^\s*(?P<deg>-?\d+(?:[.,]\d+)?)\s*[°º]\s*(?:(?P<min>\d+(?:[.,]\d+)?)\s*['′’])?"
    r"\s*(?:(?P<sec>\d+(?:[.,]\d+)?)\s*(?:\"|″|''|”))?\s*(?P<hem>[NSEWBĐ]?)\s*$",
    re.IGNORECASE,
)


def parse_number(value: Any, column: str = "") -> float:
    """A coordinate as staff type it: '106.68', '106,68', '20°51'30\"' or '2 301 234,5'."""
    text = clean_text(value)
    where = f" ở cột «{column}»" if column else ""
    if not text:
        raise ValueError(f"thiếu tọa độ{where}")
    match = _DMS.match(text)
    if match:
        parts = [float((match.group(g) or "0").replace(",", ".")) for g in ("deg", "min", "sec")]
        sign = -1.0 if parts[0] < 0 or match.group("hem").upper() in ("S", "W") else 1.0
        return sign * (abs(parts[0]) + parts[1] / 60 + parts[2] / 3600)
    compact = text.replace(" ", "").replace("\u00a0", "")
    if "," in compact and "." not in compact and compact.count(",") == 1:
        compact = compact.replace(",", ".")
    try:
        number = float(compact)
    except ValueError:
        raise ValueError(f"tọa độ «{text}»{where} không phải là số") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"tọa độ «{text}»{where} không phải là số")
    return number
