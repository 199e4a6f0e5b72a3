"""GET /fhir/Practitioner?...: a searchset Bundle of the caller's Builder, as a HAPI server answers:
every parameter and modifier, _sort, paging (_count, _offset), _total, _summary, _elements."""

import pytest

from .conftest import CARLA_PRACTITIONER, DANA_PRACTITIONER, credentials, outcome
from .fhir_r4 import call, parsed

BASE = "http://localhost/zus/fhir/Practitioner"
NPI = "http://hl7.org/fhir/sid/us-npi"
OWNER = "https://zusapi.com/accesscontrol/owner|builder/5b0d6c1e-8a2f-4c7e-9f31-2e4a6b8c0d11"


def names(bundle):
    found = [e["resource"]["name"][0] for e in bundle.get("entry", [])]
    return [name.get("text") or " ".join(name["given"] + [name["family"]]) for name in found]


def search(zus, **query):
    response = zus.get("/fhir/Practitioner", **query)
    assert response.status_code == 200, response.get_json()
    return parsed(response)


def test_search_by_name_returns_a_bundle(zus):
    bundle = search(zus, name="car")
    carla = zus.get(f"/fhir/Practitioner/{CARLA_PRACTITIONER}").get_json()
    assert bundle == {
        "resourceType": "Bundle",
        "id": bundle["id"],
        "meta": {"lastUpdated": "2025-01-15T10:30:00.000+00:00"},
        "type": "searchset",
        "total": 1,
        "link": [{"relation": "self", "url": f"{BASE}?name=car"}],
        "entry": [{"fullUrl": f"{BASE}/{CARLA_PRACTITIONER}", "resource": carla, "search": {"mode": "match"}}],
    }
    assert len(bundle["id"]) == 36 and search(zus, name="car")["id"] != bundle["id"]


def test_an_empty_searchset_has_no_entry(zus):
    bundle = search(zus, name="nobody")
    assert bundle["total"] == 0 and "entry" not in bundle


@pytest.fixture
def acme(zus):
    """Acme Health's Carla Care and Dana Doctor, and four more created at known times."""
    clock = zus.client.application.extensions["vendor_sandbox.store"].clock
    made = {}
    for day, body in enumerate([
        {"name": [{"family": "Zed", "given": ["Ann"]}], "identifier": [{"system": NPI, "value": "1111111111"}]},
        {"name": [{"family": "Zedd", "given": ["Béa", "Maria"]}], "active": False,
         "identifier": [{"value": "local-7"}]},
        {"name": [{"family": "van Zed", "given": ["Cy"], "prefix": ["Dr."]}],
         "meta": {"tag": [{"system": "http://example.org/src", "code": "import"}]}},
        {"name": [{"text": "Dee Dee Ramone"}], "identifier": [{"system": "http://other", "value": "1111111111"}]},
    ], start=1):
        clock.set(f"2025-02-0{day}T12:00:00Z")
        zus.headers["Authorization"] = f"Bearer {credentials(zus.client)['Ada Admin']['token']}"  # valid now
        created = zus.create_practitioner({"resourceType": "Practitioner", **body}).get_json()
        made[created["name"][0].get("given", ["Dee"])[0]] = created["id"]
    return made


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({}, ["Carla Care", "Dana Doctor", "Ann Zed", "Béa Maria Zedd", "Cy van Zed", "Dee Dee Ramone"]),
        ({"name": "DOC"}, ["Dana Doctor"]),
        ({"name": "dana,carla"}, ["Carla Care", "Dana Doctor"]),
        ({"name": "bea"}, ["Béa Maria Zedd"]),  # accents do not matter
        ({"name": "ramone"}, []),  # a prefix of the whole text only
        ({"name": "dee"}, ["Dee Dee Ramone"]),
        ({"name": "dr."}, ["Cy van Zed"]),
        ({"name:contains": "amon"}, ["Dee Dee Ramone"]),
        ({"name:exact": "Zed"}, ["Ann Zed"]),
        ({"name:exact": "zed"}, []),
        ({"family": "zed"}, ["Ann Zed", "Béa Maria Zedd"]),
        ({"family:exact": "Zedd"}, ["Béa Maria Zedd"]),
        ({"family:contains": "ZED"}, ["Ann Zed", "Béa Maria Zedd", "Cy van Zed"]),
        ({"given": "mar"}, ["Béa Maria Zedd"]),
        ({"given:exact": "Béa"}, ["Béa Maria Zedd"]),
        ({"given:exact": "Bea"}, []),
        ({"given:contains": "ari"}, ["Béa Maria Zedd"]),
        ({"_id": DANA_PRACTITIONER}, ["Dana Doctor"]),
        ({"_id": f"{DANA_PRACTITIONER},{CARLA_PRACTITIONER}"}, ["Carla Care", "Dana Doctor"]),
        ({"active": "false"}, ["Béa Maria Zedd"]),
        ({"active": "true"}, ["Carla Care", "Dana Doctor"]),
        ({"identifier": f"{NPI}|1111111111"}, ["Ann Zed"]),
        ({"identifier": "1111111111"}, ["Ann Zed", "Dee Dee Ramone"]),
        ({"identifier": "|local-7"}, ["Béa Maria Zedd"]),
        ({"identifier": "http://other|"}, ["Dee Dee Ramone"]),
        ({"_tag": "http://example.org/src|import"}, ["Cy van Zed"]),
        ({"_tag": OWNER, "family": "zed"}, ["Ann Zed", "Béa Maria Zedd"]),
        ({"_tag:not": "http://example.org/src|import", "family:contains": "zed"}, ["Ann Zed", "Béa Maria Zedd"]),
        ({"_lastUpdated": "2025-02-02"}, ["Béa Maria Zedd"]),
        ({"_lastUpdated": "ge2025-02-03"}, ["Cy van Zed", "Dee Dee Ramone"]),
        ({"_lastUpdated": "gt2025-02-03"}, ["Dee Dee Ramone"]),
        ({"_lastUpdated": "lt2025-02"}, ["Carla Care", "Dana Doctor"]),
        ({"_lastUpdated": "le2025-02-01T12:00:00Z"}, ["Carla Care", "Dana Doctor", "Ann Zed"]),
        ({"_lastUpdated": "sa2025-02-03T12:00:00+00:00"}, ["Dee Dee Ramone"]),
        ({"_lastUpdated": "eb2024"}, []),
        ({"_lastUpdated": "ne2024"}, ["Ann Zed", "Béa Maria Zedd", "Cy van Zed", "Dee Dee Ramone"]),
        ({"name": "sam"}, []),  # Sam Surgeon belongs to Riverside Care
        ({"_format": "json"}, ["Carla Care", "Dana Doctor", "Ann Zed", "Béa Maria Zedd", "Cy van Zed",
                               "Dee Dee Ramone"]),
    ],
)
def test_search_parameters(zus, acme, query, found):
    assert names(search(zus, **query)) == found


def test_repeated_parameters_are_all_required(zus, acme):
    response = zus.client.get("/zus/fhir/Practitioner?_lastUpdated=ge2025-02-02&_lastUpdated=lt2025-02-04",
                              headers=zus.headers)
    assert names(parsed(response)) == ["Béa Maria Zedd", "Cy van Zed"]
    response = zus.client.get("/zus/fhir/Practitioner?_tag:not=http://example.org/src|import&_tag:not="
                              f"{OWNER}", headers=zus.headers)
    assert names(parsed(response)) == []


@pytest.mark.parametrize(("sort", "found"), [
    ("family", ["Dana Doctor", "Carla Care", "Cy van Zed", "Ann Zed", "Béa Maria Zedd", "Dee Dee Ramone"]),
    ("-_lastUpdated", ["Dee Dee Ramone", "Cy van Zed", "Béa Maria Zedd", "Ann Zed", "Carla Care", "Dana Doctor"]),
    ("_lastUpdated", ["Carla Care", "Dana Doctor", "Ann Zed", "Béa Maria Zedd", "Cy van Zed", "Dee Dee Ramone"]),
    ("given,-family", ["Ann Zed", "Béa Maria Zedd", "Carla Care", "Cy van Zed", "Dana Doctor", "Dee Dee Ramone"]),
])
def test_sort(zus, acme, sort, found):
    # family: Care < Doctor < van Zed < Zed < Zedd, then the one without a family name
    assert names(search(zus, _sort=sort)) == (found if sort != "family" else
                                              ["Carla Care", "Dana Doctor", "Cy van Zed", "Ann Zed",
                                               "Béa Maria Zedd", "Dee Dee Ramone"])


def test_paging_with_count_and_offset(zus, acme):
    first = search(zus, family="zed", _count=1, _sort="_lastUpdated")
    assert (first["total"], names(first)) == (2, ["Ann Zed"])
    assert first["link"] == [
        {"relation": "self", "url": f"{BASE}?_count=1&_sort=_lastUpdated&family=zed"},
        {"relation": "next", "url": f"{BASE}?_count=1&_offset=1&_sort=_lastUpdated&family=zed"}]
    second = parsed(zus.client.get(first["link"][1]["url"], headers=zus.headers))
    assert names(second) == ["Béa Maria Zedd"]
    assert second["link"] == [
        {"relation": "self", "url": f"{BASE}?_count=1&_offset=1&_sort=_lastUpdated&family=zed"},
        {"relation": "previous", "url": f"{BASE}?_count=1&_sort=_lastUpdated&family=zed"}]
    past = search(zus, family="zed", _offset=5)
    assert past["total"] == 2 and "entry" not in past


@pytest.mark.parametrize("query", [{"_count": "0"}, {"_summary": "count"}, {"_summary": "count", "_count": "2"}])
def test_count_zero_and_summary_count_give_the_total_only(zus, acme, query):
    bundle = search(zus, **query)
    assert bundle["total"] == 6 and "entry" not in bundle
    assert [link["relation"] for link in bundle["link"]] == ["self"]  # never a next that names itself


def test_total(zus, acme):
    assert "total" not in search(zus, _total="none")
    assert search(zus, _total="accurate", _count=1)["total"] == 6
    assert search(zus, _total="estimated")["total"] == 6


def test_elements_and_summary(zus, acme):
    subsetted = {"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "code": "SUBSETTED"}
    entry = search(zus, _elements="identifier", given="ann")["entry"][0]["resource"]
    assert sorted(entry) == ["id", "identifier", "meta", "resourceType"]
    assert entry["meta"]["tag"][-1] == subsetted
    zus.client.put(f"/zus/fhir/Practitioner/{acme['Ann']}", headers=zus.headers, json={
        "resourceType": "Practitioner", "id": acme["Ann"], "name": [{"family": "Zed"}],
        "text": {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">Ann</div>'},
        "qualification": [{"code": {"text": "MD"}}]})
    summary = search(zus, _summary="true", _id=acme["Ann"])["entry"][0]["resource"]
    assert sorted(summary) == ["id", "meta", "name", "resourceType"]  # qualification and text are not Σ
    data = search(zus, _summary="data", _id=acme["Ann"])["entry"][0]["resource"]
    assert sorted(data) == ["id", "meta", "name", "qualification", "resourceType"]
    text = search(zus, _summary="text", _id=acme["Ann"])["entry"][0]["resource"]
    assert sorted(text) == ["id", "meta", "resourceType", "text"]
    assert search(zus, _summary="false", _id=acme["Ann"])["entry"][0]["resource"]["meta"]["tag"][-1] != subsetted


UNKNOWN = ('Unknown search parameter "{}" for resource type "Practitioner". Valid search parameters for this '
           "search are: [_id, _lastUpdated, _tag, active, family, given, identifier, name]")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"nam": "x"}, outcome("invalid", UNKNOWN.format("nam"))),
        ({"birthdate": "1980"}, outcome("invalid", UNKNOWN.format("birthdate"))),
        ({"_count": "x"}, outcome("invalid", '_count: Invalid _count value "x": expected a non-negative integer',
                                  "_count")),
        ({"_offset": "-1"}, outcome("invalid", '_offset: Invalid _offset value "-1": expected a non-negative '
                                               "integer", "_offset")),
        ({"active": "yes"}, outcome("invalid", 'active: Invalid boolean "yes": expected true or false', "active")),
        ({"_lastUpdated": "gt2025-13"}, outcome("invalid", '_lastUpdated: Invalid date/time "gt2025-13"',
                                                "_lastUpdated")),
        ({"name:sounds": "x"}, outcome("invalid", 'name:sounds: Invalid modifier ":sounds" for search parameter '
                                                  '"name"', "name:sounds")),
        ({"_sort": "birthdate"}, outcome("invalid", '_sort: Unknown _sort parameter value "birthdate"; can sort by: '
                                                    "_id, _lastUpdated, family, given, name", "_sort")),
        ({"_total": "all"}, outcome("invalid", '_total: Invalid _total value "all": expected none, estimated or '
                                               "accurate", "_total")),
        ({"_summary": "yes"}, outcome("invalid", '_summary: Invalid _summary value "yes": expected true, false, '
                                                 "text, data or count", "_summary")),
    ],
)
def test_bad_searches(zus, query, expected):
    response = zus.get("/fhir/Practitioner", **query)
    assert (response.status_code, parsed(response)) == (400, expected)


def test_unknown_parameters_are_ignored_with_prefer_handling_lenient(zus):
    response = call(zus, "GET", "/fhir/Practitioner", query={"nam": "x", "family": "care"}, Prefer="handling=lenient")
    assert names(parsed(response)) == ["Carla Care"]


def test_a_large_count_is_cut_to_the_maximum_page(zus):
    bundle = search(zus, _count="5000")
    assert bundle["total"] == 2 and bundle["link"] == [{"relation": "self", "url": f"{BASE}?_count=5000"}]
