"""Lighthouse (mobile) over the visitor pages of a fresh demo district; prints every score.

Run through `make audit`: a throwaway SQLite database gets the demo district, `runserver`
serves it on AUDIT_PORT (default 8680), and Lighthouse (npm, pinned in package.json) drives
Debian's chromium on each page. Exits 1 when accessibility or SEO is under 100 on a page, and
names the audits that cost the points. Performance is printed but not judged: runserver is
not the production server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
REQUIRED = {"accessibility": 100, "seo": 100}
PAGES = [
    ("home", "/"),
    ("relic (vi)", "/di-tich/dong-khe/dinh-dong-khe/"),
    ("relic (en)", "/en/di-tich/dong-khe/dinh-dong-khe/"),
    ("map", "/map/"),
    ("map embed", "/map/embed/"),
    ("360°", "/360/"),
    ("directory", "/du-lich/"),
]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def lighthouse(url: str, chrome: str) -> dict:
    """Lighthouse's report for one page (mobile form factor, Lighthouse's default)."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    env = {**os.environ, "CHROME_PATH": chrome}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def lost_points(report: dict, category: str) -> list[str]:
    """The audits of a category that did not pass, as `id: title`."""
    refs = report["categories"][category]["auditRefs"]
    audits = report["audits"]
    lost = []
    for ref in refs:
        audit = audits[ref["id"]]
        if not ref.get("weight") or audit.get("score") in (None, 1):
            continue
        items = (audit.get("details") or {}).get("items") or []
        where = [
            (item.get("node") or {}).get("selector") or item.get("source") or "" for item in items
        ]
        lost.append(f"{ref['id']}: {audit['title']} {[w for w in where if w][:4]}")
    return lost


def main() -> int:
    if not LIGHTHOUSE.exists():
        sys.stderr.write(f"{LIGHTHOUSE} missing: run `make install` (npm devDependencies)\n")
        return 2
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    port = os.environ.get("AUDIT_PORT", "8680")
    base = f"http://127.0.0.1:{port}"
    failed = False
    with tempfile.TemporaryDirectory(prefix="audit-") as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "heritage_site.settings.dev",
            "DATABASE_URL": f"sqlite:///{folder}/audit.sqlite3",
            "MEDIA_ROOT": f"{folder}/media",
        }
        manage = [PY, str(REPO / "manage.py")]
        sys.stdout.write("Preparing a demo district in a throwaway database…\n")
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
        subprocess.run([*manage, "load_demo_district"], env=env, check=True)
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(base + "/healthz")
            header = f"{'page':<12} {'path':<38}" + "".join(f"{c[:13]:>15}" for c in CATEGORIES)
            version = json.loads((REPO / "node_modules/lighthouse/package.json").read_text())
            sys.stdout.write(f"\nLighthouse {version['version']} (mobile), scores out of 100\n")
            sys.stdout.write(header + "\n")
            for name, path in PAGES:
                report = lighthouse(base + path, chrome)
                scores = {
                    c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES
                }
                line = f"{name:<12} {path:<38}" + "".join(f"{scores[c]:>15}" for c in CATEGORIES)
                sys.stdout.write(line + "\n")
                for category, wanted in REQUIRED.items():
                    if scores[category] < wanted:
                        failed = True
                        for lost in lost_points(report, category):
                            sys.stdout.write(f"    {category}: {lost}\n")
        finally:
            server.terminate()
            server.wait(timeout=30)
    sys.stdout.write(
        "\nAccessibility and SEO: "
        + ("under 100 on some page.\n" if failed else "100 everywhere.\n")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
