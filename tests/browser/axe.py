"""axe-core in a Playwright page, for any browser test: admin screens or visitor pages.

axe-core comes from the npm registry (package.json devDependencies; `make install` runs npm ci)
and is read from node_modules, never served to visitors. Pages with a Content-Security-Policy
that refuses inline scripts still get axe: it is then evaluated through the DevTools protocol.

    from tests.browser.axe import assert_no_serious_violations
    assert_no_serious_violations(page)  # serious and critical violations fail the test
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def inject_axe(page) -> None:
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: run `make install` (npm ci) first")
    if page.evaluate("() => typeof window.axe === 'object'"):
        return
    page.add_script_tag(path=str(AXE_JS))
    if not page.evaluate("() => typeof window.axe === 'object'"):  # refused by the page's CSP
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))


def axe_violations(
    page, *, impacts: tuple[str, ...] = SERIOUS, context=None, options: dict | None = None
) -> list[dict]:
    """The page's axe violations of these impacts (all WCAG 2.x A/AA and best-practice rules)."""
    inject_axe(page)
    result = page.evaluate(
        "([context, options]) => axe.run(context || document, options || {})",
        [context, options],
    )
    return [v for v in result["violations"] if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """One line per violation and the first few elements it names, for an assertion message."""
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:4])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])}× {targets}")
    return "\n".join(lines)


def assert_no_serious_violations(page, **kwargs) -> None:
    violations = axe_violations(page, **kwargs)
    assert not violations, f"{page.url}\n{describe(violations)}"
