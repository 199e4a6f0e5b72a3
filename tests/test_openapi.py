"""The committed openapi/*.json are exactly what the code generates."""

import json
from pathlib import Path

import pytest

from vendor_sandbox.cli import spec_documents
from vendor_sandbox.vendors import VENDORS

OPENAPI_DIR = Path(__file__).resolve().parents[1] / "openapi"


@pytest.mark.parametrize("vendor", [v.NAME for v in VENDORS])
def test_committed_spec_matches_the_code(app, vendor):
    committed = json.loads((OPENAPI_DIR / f"{vendor}.json").read_text(encoding="utf-8"))
    generated = json.loads(json.dumps(spec_documents(app)[vendor]))
    assert committed == generated, f"openapi/{vendor}.json drifted: run `vendor-sandbox openapi`"


def test_openapi_command_writes_every_vendor(tmp_path):
    from vendor_sandbox.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["openapi", "--output", str(tmp_path)])
    assert exit_info.value.code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{v.NAME}.json" for v in VENDORS)
    for path in tmp_path.iterdir():
        assert path.read_text(encoding="utf-8") == (OPENAPI_DIR / path.name).read_text(encoding="utf-8")


def test_spec_paths_are_relative_to_the_vendor_base_url(app):
    hipp = spec_documents(app)["hipp"]
    assert hipp["servers"] == [{"url": "/hipp/api", "description": "vendor-sandbox"}]
    assert sorted(hipp["paths"]) == ["/v1/users", "/v1/users/{publicId}"]
    assert hipp["components"]["securitySchemes"]["BearerAuth"]["scheme"] == "bearer"


def test_documents_are_built_on_first_use_once_even_by_concurrent_requests(app, client):
    from concurrent.futures import ThreadPoolExecutor

    committed = json.loads((OPENAPI_DIR / "zus.json").read_text(encoding="utf-8"))
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: client.get("/_sandbox/openapi/zus.json"), range(4)))
    assert [a.status_code for a in answers] == [200] * 4
    assert all(a.get_json() == committed for a in answers)
