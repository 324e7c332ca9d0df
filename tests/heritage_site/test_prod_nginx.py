"""`make prod`'s nginx configuration says what the README tells operators to write."""

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def prod_script():
    spec = importlib.util.spec_from_file_location("prod_script", ROOT / "scripts" / "prod.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def readme_nginx_lines() -> list[str]:
    """Every directive line of the README's nginx snippets (comments and blanks dropped)."""
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```nginx\n(.*?)```", text, re.S)
    lines = []
    for block in blocks:
        if "proxy_cache_bypass" in block:  # the optional cache in front: not part of make prod
            continue
        for line in block.splitlines():
            line = " ".join(line.split("#", 1)[0].split())
            if line:
                lines.append(line)
    return lines


def test_the_generated_config_holds_every_line_of_the_readme_snippets(tmp_path):
    media = Path("/var/lib/di-san-so/media")
    config = prod_script().render_nginx(tmp_path, 8080, 8000, media, tmp_path / "static")
    rendered = {" ".join(line.split("#", 1)[0].split()) for line in config.splitlines()}
    lines = readme_nginx_lines()
    assert "location /media/ { return 404; }" in lines and "client_max_body_size 512m;" in lines
    missing = [line for line in lines if line not in rendered]
    assert missing == []
    assert "{{" not in config


def test_nginx_never_compresses_what_django_sends(tmp_path):
    """Django leaves pages with a CSRF token uncompressed (BREACH); nginx must not undo that."""
    config = prod_script().render_nginx(
        tmp_path, 8080, 8000, tmp_path / "media", tmp_path / "static"
    )
    http_level = config.split("server {", 1)[0]
    assert "gzip off;" in http_level
    static = config.split("location /static/ {", 1)[1].split("location /media/", 1)[0]
    assert "gzip on;" in static
