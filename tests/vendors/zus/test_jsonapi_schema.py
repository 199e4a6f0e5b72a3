"""Our JSON Schema of JSON:API 1.0's document rules catches what breaks them, and lets through only
the departures Zus's own documents and clients make (docs/fidelity.md)."""

import pytest

from .jsonapi_rules import SPEC, problems

ROLE = {"type": "roles", "id": "1", "attributes": {"name": "Admin"}}
USER = {"type": "users", "id": "2", "attributes": {"email": "a@b.c"},
        "relationships": {"role": {"data": {"type": "roles", "id": "1"}}}}


@pytest.mark.parametrize(("document", "why"), [
    ({}, "no data, errors or meta"),
    ({"data": None, "errors": []}, "data and errors together"),
    ({"included": [ROLE], "meta": {}}, "included without data"),
    ({"data": ROLE, "extra": 1}, "a top-level member the spec does not define"),
    ({"data": {"type": "roles", "attributes": {}}}, "a resource without id"),
    ({"data": {"type": "roles", "id": 1}}, "an id that is not a string"),
    ({"data": {**ROLE, "attributes": {"id": "x"}}}, "an attribute named id"),
    ({"data": {**ROLE, "name": "Admin"}}, "a field outside attributes"),
    ({"data": {**USER, "relationships": {"role": {}}}}, "a relationship with no links, data or meta"),
    ({"data": {**USER, "relationships": {"role": {"data": {"type": "roles", "id": "1", "x": 1}}}}},
     "an identifier with other members"),
    ({"data": {**ROLE, "type": "-roles"}}, "a type that is not a member name"),
    ({"data": {**ROLE, "attributes": {"first name ": "x"}}}, "a member name ending in a space"),
    ({"errors": [{"status": 400}]}, "a numeric error status"),
    ({"errors": [{"status": "400", "source": {"pointer": "data"}}]}, "a source.pointer that is no JSON Pointer"),
    ({"errors": [{"status": "400", "why": "x"}]}, "an error member the spec does not define"),
    ({"data": [], "links": {"next": "http://h/users?page[offset]=2"}}, "unencoded brackets in a link"),
    ({"data": [], "links": {"next": "http://h/users?q=a b"}}, "a space in a link"),
    ({"data": [], "links": {"self": None}}, "a null self link"),
    ({"data": [USER], "included": [ROLE, {**ROLE, "id": "9"}]}, "an included resource nothing links to"),
    ({"data": [USER], "included": [ROLE, ROLE]}, "the same resource twice"),
])
def test_broken_documents_are_caught(document, why):
    assert problems(document), why
    assert problems(document, SPEC), why


@pytest.mark.parametrize("document", [
    {"data": [USER], "included": [ROLE], "links": {"self": "http://h/users?page%5Boffset%5D=0", "prev": None}},
    {"data": None},
    {"meta": {"count": 0}},
    {"errors": [{"status": "404", "code": "missing", "title": "Not Found", "source": {"pointer": "/data/id"}}]},
    {"errors": [{"status": "400", "source": {"parameter": "include"}, "meta": {"x": 1}}], "jsonapi": {"version": "1.0"}},
    {"data": {"type": "users", "id": "3", "relationships": {"role": {"data": None}, "tags": {"data": []}}}},
])
def test_conforming_documents_pass(document):
    assert problems(document, SPEC) == []


@pytest.mark.parametrize("document", [
    {"data": {"type": "auth/roles", "id": "1"}},
    {"data": {"type": "users", "id": "1", "relationships": {"auth/roles": {"data": {"type": "auth/roles", "id": "1"}}}}},
    {"data": {"type": "clients", "id": "1", "attributes": {"type": "machine_to_machine"}}},
    {"errors": [{"status": "400", "code": 400, "detail": "x", "details": "x"}]},
])
def test_zus_departures_break_the_spec_and_pass_only_as_recorded_departures(document):
    assert list(SPEC.iter_errors(document))
    assert problems(document) == []
