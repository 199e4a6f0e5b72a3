"""Every operation of every generated spec is documented completely: a summary, and each error
status the code can return, in that vendor's own error shape."""

import json
from pathlib import Path

import pytest

OPENAPI_DIR = Path(__file__).resolve().parents[2] / "openapi"
ERROR_SCHEMAS = {
    "hipp": [{"$ref": "#/components/schemas/HippError"}],
    "nabla": [{"$ref": "#/components/schemas/NablaError"}],
    "welkin": [{"type": "array", "items": {"$ref": "#/components/schemas/WelkinError"}}],
    "zus": [{"$ref": "#/components/schemas/ZusError"}, {"$ref": "#/components/schemas/OAuthError"},
            {"$ref": "#/components/schemas/OperationOutcome"}],
}
# path parameters that scope a request rather than name a record: a wrong one is 403 or 404 by route
SCOPES = {"tenant", "instance", "client"}


def operations(vendor):
    document = json.loads((OPENAPI_DIR / f"{vendor}.json").read_text(encoding="utf-8"))
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                parameters = item.get("parameters", []) + operation.get("parameters", [])
                yield pytest.param(document, path, method, operation, parameters,
                                   id=f"{method.upper()} {path}")


def resolve(document, response):
    if "$ref" in response:
        return document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


def expected_errors(document, operation, parameters):
    """The error statuses any such operation can answer, whatever its vendor."""
    statuses = {"default"}
    if operation.get("security", document.get("security")):
        statuses.add("401")
    if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
        statuses.add("400")
    if operation.get("security", document.get("security")) and any(
            p["in"] == "path" and p["name"] not in SCOPES for p in parameters):
        statuses.add("404")
    return statuses


@pytest.mark.parametrize("vendor", sorted(ERROR_SCHEMAS))
def test_every_operation_has_a_summary_and_its_error_responses(vendor):
    missing = {}
    for param in operations(vendor):
        document, path, method, operation, parameters = param.values
        problems = []
        if not operation.get("summary", "").strip():
            problems.append("no summary")
        absent = expected_errors(document, operation, parameters) - set(operation["responses"])
        if absent:
            problems.append(f"undocumented {sorted(absent)}")
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")) or status == "default":
                (content,) = resolve(document, response)["content"].values()
                if content["schema"] not in ERROR_SCHEMAS[vendor]:
                    problems.append(f"{status} is not in {vendor}'s error shape")
        if problems:
            missing[f"{method.upper()} {path}"] = problems
    assert missing == {}


@pytest.mark.parametrize("vendor", sorted(ERROR_SCHEMAS))
def test_every_path_parameter_has_an_example(vendor):
    lacking = [f"{p.values[2].upper()} {p.values[1]} {{{parameter['name']}}}"
               for p in operations(vendor) for parameter in p.values[4]
               if parameter["in"] == "path" and "example" not in parameter]
    assert lacking == []
