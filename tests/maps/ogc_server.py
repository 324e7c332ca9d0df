"""A tiny OGC API – Features server over the pure builders, for tests that run GDAL's ogrinfo."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from maps import features, ogc_openapi, ogcapi


def _handler(data: Mapping[str, Sequence[Mapping[str, Any]]], infos: list[ogcapi.CollectionInfo]):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            base = f"http://{self.headers['Host']}/ogc"
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query))
            path = parts.path.rstrip("/").split("/")[2:]  # after /ogc
            try:
                status, body, media = 200, *self.route(base, path, query)
            except features.FeedParamError as exc:
                status, body = 400, ogcapi.exception(400, str(exc))
                media = features.JSON_CONTENT_TYPE
            except KeyError:
                status, body, media = 404, ogcapi.exception(404, "not found"), "application/json"
            payload = features.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def route(self, base: str, path: list[str], query: dict[str, str]):
            json_type = features.JSON_CONTENT_TYPE
            if not path:
                return ogcapi.landing_page(base, title="Di sản số"), json_type
            if path == ["api"]:
                return ogc_openapi.openapi(
                    base, infos, title="Di sản số"
                ), ogcapi.OPENAPI_CONTENT_TYPE
            if path == ["conformance"]:
                return ogcapi.conformance(base), json_type
            if path == ["collections"]:
                return ogcapi.collections(base, infos), json_type
            info = next(i for i in infos if path[1] == i.id) if len(path) > 1 else None
            if info is None or path[0] != "collections":
                raise KeyError(self.path)
            if len(path) == 2:
                return ogcapi.collection(base, info), json_type
            rows = data[info.id]
            build = features.ward_feature if info.id == "wards" else features.relic_feature
            if len(path) == 4:
                row = next((r for r in rows if str(r["id"]) == path[3]), None)
                if row is None:
                    raise KeyError(self.path)
                return ogcapi.item(base, info.id, build(row)), features.GEOJSON_CONTENT_TYPE
            limit, offset = features.parse_paging(query.get("limit"), query.get("offset"))
            matched = features.parse_filters(query).apply(rows)
            page = [build(r) for r in matched[offset : offset + limit]]
            doc = ogcapi.items(
                base,
                info.id,
                page,
                number_matched=len(matched),
                limit=limit,
                offset=offset,
                query=query,
            )
            return doc, features.GEOJSON_CONTENT_TYPE

    return Handler


@contextmanager
def serve(
    data: Mapping[str, Sequence[Mapping[str, Any]]], infos: list[ogcapi.CollectionInfo]
) -> Iterator[str]:
    """Serve on 127.0.0.1 on a free port; yields the landing page URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(data, infos))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/ogc"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def dumps(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False)
