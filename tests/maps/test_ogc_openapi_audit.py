"""The OpenAPI document tells the truth: schemathesis (every check) against the live server.

Bounded and repeatable: a fixed seed, deterministic generation, a few examples per operation.
``make audit-api`` runs this module. The rules OpenAPI 3.0 cannot express are in
tests/maps/ogc_audit_hooks.py, each with its reason.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.maps.factories import build_geo_district

ROOT = Path(__file__).resolve().parents[2]
ST = Path(sys.executable).with_name("st")

pytestmark = pytest.mark.django_db(transaction=True)

SCHEMATHESIS_ARGS = (
    "--checks=all",
    "--max-examples=5",
    "--seed=15",
    "--generation-deterministic",
    "--workers=2",
    "--request-timeout=20",
    "--no-color",
)


def test_schemathesis_finds_nothing_the_api_definition_does_not_say(live_server, tmp_path):
    build_geo_district()
    result = subprocess.run(
        [
            str(ST),
            "run",
            *SCHEMATHESIS_ARGS,
            f"{live_server.url}/api/ogc/api",
        ],
        cwd=tmp_path,  # schemathesis keeps its files in the working folder
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "SCHEMATHESIS_HOOKS": "tests.maps.ogc_audit_hooks",
        },
        capture_output=True,
        text=True,
        timeout=170,
        check=False,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "15 selected / 15 total" in report  # every operation of the three collections
