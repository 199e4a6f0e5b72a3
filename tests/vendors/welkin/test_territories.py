"""GET/PATCH /{tenant}/{instance}/users/{userId}/territories: regions and territories by name."""

import pytest

from .conftest import NOW, USER_NOT_FOUND, invalid

MARIA = "a3c9e2d4-7b16-4f58-9e0a-c4d2b8f16e37"
DOCS_CLIENT_ID = "3ed223c9-a61f-4f09-8e32-04dd656466c4"


def test_get_shows_the_path_instance_in_the_recorded_shape(welkin):
    response = welkin.get_territories(MARIA)
    assert response.status_code == 200
    body = response.get_json()
    assert list(body) == ["id", "createdAt", "updatedAt", "createdBy", "updatedBy", "userId", "territories"]
    assert body["userId"] == MARIA
    assert body["territories"] == [
        {"instanceName": "live", "name": "midwest", "territories": ["Illinois", "Ohio"]}
    ]


def test_patch_replaces_the_instance_regions_and_the_user_record_follows(welkin):
    body = {"territories": [{"name": "east-coast", "territories": ["New York", "Maryland"]}]}
    response = welkin.patch_territories(MARIA, body)
    assert response.status_code == 200
    assert response.get_json()["territories"] == [
        {"instanceName": "live", "name": "east-coast", "territories": ["New York", "Maryland"]}
    ]
    assert (response.get_json()["updatedAt"], response.get_json()["updatedBy"]) == (NOW, DOCS_CLIENT_ID)
    record = welkin.get_user(MARIA).get_json()["territories"]
    assert [(t["instanceName"], t["name"]) for t in record] == [
        ("staging", "east-coast"),
        ("live", "east-coast"),
    ]
    assert record[1] == {
        "createdAt": NOW,
        "updatedAt": NOW,
        "createdBy": DOCS_CLIENT_ID,
        "updatedBy": DOCS_CLIENT_ID,
        "name": "east-coast",
        "territories": ["New York", "Maryland"],
        "instanceName": "live",
    }


@pytest.mark.parametrize(
    ("user_id", "body", "status", "expected"),
    [
        (MARIA, {}, 400, [invalid("territories", "must not be null")]),
        (
            MARIA,
            {"territories": [{"territories": ["Ohio"]}, {"name": "midwest"}]},
            400,
            [
                invalid("territories[0].name", "must not be blank"),
                invalid("territories[1].territories", "must not be null"),
            ],
        ),
        (
            MARIA,
            {
                "territories": [
                    {"name": "south", "territories": []},
                    {"name": "midwest", "territories": ["Ohio", "Texas"]},
                ]
            },
            400,
            [
                invalid("territories[0].name", "Region doesn't exist: south"),
                invalid("territories[1].territories[1]", "Territory doesn't exist in region midwest: Texas"),
            ],
        ),
        ("nobody", {"territories": []}, 404, USER_NOT_FOUND),
    ],
)
def test_invalid_territory_updates(welkin, user_id, body, status, expected):
    response = welkin.patch_territories(user_id, body)
    assert (response.status_code, response.get_json()) == (status, expected)
    assert welkin.get_territories(MARIA).get_json()["territories"][0]["name"] == "midwest"
