"""FHIR R4 validation of a resource body by two FHIR model libraries, not by rules of our own.

fhir.resources checks every datatype (each primitive's regex, lists, required elements, unknown
elements) and reports each problem's location; its R4 models need pydantic 1, so its R4B models
(the same Practitioner, Bundle, OperationOutcome and CapabilityStatement elements as R4) are used.
fhirclient's models are generated from R4 4.0.1 itself: they refuse what R4B has and R4 lacks, and
a JSON boolean that is a string (fhir.resources coerces "yes"). What neither checks, FHIR's JSON
rule that arrays and objects are never empty, is the one check we make (docs/fidelity.md).
"""

import importlib
import re
from functools import cache

from .errors import FhirInvalid, FhirNoResourceType, FhirWrongType

# fhirclient's module per resource type (its factory imports every model, ~1 s)
FHIRCLIENT_MODULES = {"Practitioner": "practitioner", "Bundle": "bundle", "OperationOutcome": "operationoutcome",
                      "CapabilityStatement": "capabilitystatement"}
_SUPERFLUOUS = re.compile(r'Superfluous entry "([^"]+)"')
_NON_OPTIONAL = re.compile(r'Non-optional property "([^"]+)"')


def check(resource_type, body):
    """Raise the OperationOutcome error for a body that is not a valid R4 `resource_type`."""
    if not isinstance(body, dict) or "resourceType" not in body:
        raise FhirNoResourceType(resource_type)
    if body["resourceType"] != resource_type:
        raise FhirWrongType(found=body["resourceType"])
    found = problems(resource_type, body)
    if found:
        raise FhirInvalid(found)


def problems(resource_type, body):
    """[(diagnostics, FHIRPath expression)] for `body` as an R4 `resource_type`; [] when valid.

    One problem per expression, the first library's that names it.
    """
    found = {}
    by_fhir_resources = _fhir_resources(resource_type, body)
    for diagnostics, expression in [*_empties(body, resource_type), *(by_fhir_resources or ()),
                                    *_fhirclient(resource_type, body)]:
        found.setdefault(expression, diagnostics)
    if not found and by_fhir_resources is None:
        found[resource_type] = f"{resource_type}: Not readable as an R4 {resource_type}"
    return sorted((diagnostics, expression) for expression, diagnostics in found.items())


@cache
def summary_elements(resource_type):
    """The elements R4 marks as part of the summary (_summary=true)."""
    model = _model(resource_type)
    return frozenset(f.alias or name for name, f in model.model_fields.items()
                     if (f.json_schema_extra or {}).get("summary_element_property"))


def _model(resource_type):
    # imported on first use: the models take ~0.5 s to import, which start-up need not pay
    from fhir.resources.R4B import get_fhir_model_class

    return get_fhir_model_class(resource_type)


def _empties(value, path):
    if isinstance(value, dict):
        if not value:
            yield f"{path}: Objects must have content (FHIR JSON)", path
        for key, nested in value.items():
            yield from _empties(nested, f"{path}.{key}")
    elif isinstance(value, list):
        if not value:
            yield f"{path}: Arrays must not be empty (FHIR JSON)", path
        for i, nested in enumerate(value):
            yield from _empties(nested, f"{path}[{i}]")
    elif value == "":
        yield f"{path}: Strings must have content (FHIR JSON)", path


def _fhir_resources(resource_type, body):
    import pydantic

    try:
        _model(resource_type).model_validate(body)
    except pydantic.ValidationError as error:
        return [(f"{expression}: {_message(e)}", expression)
                for e in error.errors() for expression in [_fhirpath(resource_type, e["loc"])]]
    except Exception:  # a value of the wrong JSON type deep down can trip the library itself: None
        return None
    return []


def _message(error):
    if error["type"] == "extra_forbidden":
        return "Unknown element"
    if error["type"] == "missing":
        return "Missing required element"
    return error["msg"].removeprefix("Value error, ")


def _fhirpath(resource_type, location):
    path = resource_type
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part not in ("__root__",):
            path += f".{part}"
    return path


def _fhirclient(resource_type, body):
    from fhirclient.models.fhirabstractbase import FHIRValidationError

    module = importlib.import_module(f"fhirclient.models.{FHIRCLIENT_MODULES[resource_type]}")
    try:
        getattr(module, resource_type)(body)
    except FHIRValidationError as error:
        return list(_fhirclient_problems(error, resource_type, FHIRValidationError))
    except Exception:  # fhirclient refuses a wrong resourceType this way; the other library reports it
        return []
    return []


def _fhirclient_problems(error, path, nested_type):
    for nested in error.errors:
        if isinstance(nested, nested_type):
            yield from _fhirclient_problems(nested, _join(path, nested.path), nested_type)
            continue
        text = str(nested)
        if match := _SUPERFLUOUS.search(text):
            expression, message = f"{path}.{match[1]}", "Unknown element"
        elif match := _NON_OPTIONAL.search(text):
            expression, message = f"{path}.{match[1]}", "Missing required element"
        elif isinstance(nested, TypeError):
            expression, message = path, "Wrong datatype for this element in R4"
        else:
            expression, message = path, "Does not match the R4 datatype's format"
        yield f"{expression}: {message}", expression


def _join(path, part):
    """fhirclient writes name.0.given; FHIRPath writes name[0].given."""
    for piece in (part or "").split("."):
        if piece:
            path += f"[{piece}]" if piece.isdigit() else f".{piece}"
    return path
