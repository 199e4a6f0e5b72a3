"""GET /fhir/Practitioner?name=...: a searchset Bundle of the caller's Builder, paged by _count/_offset."""

import pytest

from .conftest import CARLA_PRACTITIONER, DANA_PRACTITIONER, FHIR, outcome

BASE = "http://localhost/zus/fhir/Practitioner"


def names(bundle):
    return [" ".join(e["resource"]["name"][0]["given"] + [e["resource"]["name"][0]["family"]]) for e in bundle["entry"]]


def test_search_by_name_returns_a_bundle(zus):
    response = zus.get("/fhir/Practitioner", name="car")
    assert response.status_code == 200
    assert response.mimetype == FHIR
    bundle = response.get_json()
    carla = zus.get(f"/fhir/Practitioner/{CARLA_PRACTITIONER}").get_json()
    assert bundle == {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": 1,
        "link": [{"relation": "self", "url": f"{BASE}?name=car&_count=20&_offset=0"}],
        "entry": [{"fullUrl": f"{BASE}/{CARLA_PRACTITIONER}", "resource": carla, "search": {"mode": "match"}}],
    }


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({}, ["Carla Care", "Dana Doctor"]),
        ({"name": "DOC"}, ["Dana Doctor"]),
        ({"name": "dana,carla"}, ["Carla Care", "Dana Doctor"]),
        ({"family": "care"}, ["Carla Care"]),
        ({"given": "dan"}, ["Dana Doctor"]),
        ({"given": "doc"}, []),
        ({"_id": DANA_PRACTITIONER}, ["Dana Doctor"]),
        ({"active": "false"}, []),
        ({"name": "sam"}, []),  # Sam Surgeon belongs to Riverside Care
        ({"_format": "json"}, ["Carla Care", "Dana Doctor"]),
    ],
)
def test_search_parameters(zus, query, found):
    assert names(zus.get("/fhir/Practitioner", **query).get_json()) == found


def test_created_practitioners_are_found_and_paged(zus):
    for given in ("Ann", "Bea", "Cy"):
        zus.create_practitioner({"resourceType": "Practitioner", "name": [{"family": "Zed", "given": [given]}]})
    first = zus.get("/fhir/Practitioner", family="zed", _count=2).get_json()
    assert (first["total"], names(first)) == (3, ["Ann Zed", "Bea Zed"])
    assert first["link"] == [{"relation": "self", "url": f"{BASE}?family=zed&_count=2&_offset=0"},
                             {"relation": "next", "url": f"{BASE}?family=zed&_count=2&_offset=2"}]
    second = zus.client.get(first["link"][1]["url"], headers=zus.headers).get_json()
    assert names(second) == ["Cy Zed"]
    assert [link["relation"] for link in second["link"]] == ["self", "previous"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"nam": "x"}, outcome("invalid", 'Unknown search parameter "nam" for resource type "Practitioner". Valid '
                                          "search parameters for this search are: [_count, _id, _offset, active, "
                                          "family, given, name]")),
        ({"_count": "x"}, outcome("invalid", "_count: Not a valid integer.", "_count")),
        ({"active": "yes"}, outcome("invalid", "active: Must be one of: true, false.", "active")),
    ],
)
def test_bad_searches(zus, query, expected):
    response = zus.get("/fhir/Practitioner", **query)
    assert (response.status_code, response.get_json()) == (400, expected)
