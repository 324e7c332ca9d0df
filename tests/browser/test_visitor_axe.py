"""axe-core over the visitor pages of the demo district, on a phone: zero violations.

axe-core comes from npm (package.json devDependencies, installed by `make install`) and is
injected into each page; the context bypasses our CSP only so that the injected script runs.
`make audit` runs this with -s and Lighthouse beside it.
"""

import json
from pathlib import Path

import pytest

from tests.browser.chromium import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# The pages a tourist goes through: home, a relic in Vietnamese and English, the map and its
# embed, the 360° gallery and the tourism directory.
PAGES = [
    "/",
    "/di-tich/dong-khe/dinh-dong-khe/",
    "/en/di-tich/dong-khe/dinh-dong-khe/",
    "/map/",
    "/map/embed/",
    "/360/",
    "/du-lich/",
    "/du-lich/?kind=product",
    "/search/?q=dinh",
    # In English, the relics not translated yet are listed with a "Vietnamese only" badge.
    "/en/",
    "/en/di-tich/",
]
SUMMARY = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))
  }));
}"""


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the loaded page: rule, impact and up to three elements."""
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: run `make install` (npm devDependencies)")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(SUMMARY)


def test_visitor_pages_have_no_axe_violations(browser, demo):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, bypass_csp=True
    )
    page = context.new_page()
    found = {}
    try:
        for path in PAGES:
            response = page.goto(demo + path, wait_until="load")
            assert response.status == 200, path
            violations = axe_violations(page)
            print(f"axe {path:<40} {len(violations)} violation(s)")  # noqa: T201
            if violations:
                found[path] = violations
    finally:
        context.close()
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
