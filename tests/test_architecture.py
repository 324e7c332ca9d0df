"""The rooms' import rules (pyproject.toml, docs/architecture.md), checked by import-linter."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_import_contracts_hold():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_test_module_imports_another_test_module():
    """Shared test helpers live in fixtures or public helper modules, not inside test modules."""
    tests_dir = Path(settings.BASE_DIR) / "tests"
    offenders = []
    for path in tests_dir.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            words = line.split()
            if len(words) >= 2 and words[0] in ("from", "import"):
                last = words[1].rsplit(".", 1)[-1]
                if words[1].startswith("tests.") and (
                    last.startswith("test_") or last == "conftest"
                ):
                    offenders.append(f"{path.relative_to(tests_dir)}:{number}: {line.strip()}")
    assert offenders == []


def test_no_module_level_import_circle_anywhere():
    """Across all of the project's packages (rooms and the project itself), no module imports
    itself back through others; imports for type annotations only do not count."""
    import grimp

    packages = ("heritage_site", "content", "media_pipeline", "maps", "feedback", "benchmarks")
    graph = grimp.build_graph(*packages, cache_dir=None, exclude_type_checking_imports=True)
    circles = [
        (module, imported)
        for module in sorted(graph.modules)
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    ]
    assert circles == []
