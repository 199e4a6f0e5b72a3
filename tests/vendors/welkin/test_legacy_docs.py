"""The legacy docs' examples (Welkin's API Reference, V8, tenant `gh`) answered as they show, and
the legacy user routes they document: full PUT, DELETE, application accesses."""

import json

import pytest

from .conftest import DOCS_CLIENT, DOCS_USER_RECORD, HEADERS, JOHN, NOW, USER_NOT_FOUND, invalid

FOO = "658f3b36-a12a-4bce-aad6-1e4930948b7d"  # the user of the recorded DELETE


def test_user_permissions_get_is_the_docs_response(gh):
    response = gh.admin("GET", f"user-permissions/{JOHN}")
    assert response.status_code == 200
    assert response.get_json() == {
        "id": "16c2c714-2b1b-447a-a612-4249bf832035",
        "createdAt": "2020-12-07T10:02:12.234Z",
        "updatedAt": "2021-05-06T06:26:55.656Z",
        "userId": JOHN,
        "permissions": [
            {"permissionName": "caregiver", "instanceName": "stage", "type": "SECURITY_ROLE", "primaryRole": True},
            {
                "permissionName": "cdt_management",
                "instanceName": "stage",
                "type": "SECURITY_POLICY",
                "effectiveDate": "2021-12-01T00:00:00.000Z",
            },
            {
                "permissionName": "assessments_management",
                "instanceName": "stage",
                "type": "SECURITY_POLICY",
                "effectiveDate": "2021-12-01T00:00:00.000Z",
            },
            {
                "permissionName": "assessments_management",
                "instanceName": "live",
                "type": "SECURITY_POLICY",
                "effectiveDate": "2021-12-01T00:00:00.000Z",
            },
        ],
    }


def test_user_permissions_put_example_answers_its_permissions(gh):
    """The docs' PUT body (its own id and dates too): roles `manager` and a `live` instance exist."""
    permissions = [
        {"permissionName": "caregiver", "instanceName": "stage", "type": "SECURITY_ROLE", "primaryRole": False},
        {"permissionName": "manager", "instanceName": "stage", "type": "SECURITY_ROLE", "primaryRole": True},
        {
            "permissionName": "cdt_management",
            "instanceName": "stage",
            "type": "SECURITY_POLICY",
            "effectiveDate": "2021-12-01T00:00:00.000Z",
        },
        {"permissionName": "manager", "instanceName": "live", "type": "SECURITY_ROLE", "primaryRole": True},
    ]
    body = {
        "id": "16c2c714-2b1b-447a-a612-4249bf832035",
        "createdAt": "2020-12-07T10:02:12.234Z",
        "updatedAt": "2021-05-06T06:26:55.656Z",
        "userId": JOHN,
        "permissions": permissions,
    }
    response = gh.admin("PUT", f"user-permissions/{JOHN}", json=body)
    assert response.status_code == 200
    assert response.get_json() == {**body, "updatedAt": NOW}


def test_user_territories_get_is_the_docs_response(gh):
    response = gh.admin("GET", f"user-territories/{JOHN}")
    assert response.status_code == 200
    assert response.get_json() == {
        "id": "88a2f19c-adac-4171-87af-405aec1dea69",
        "createdAt": "2021-01-19T10:46:00.832Z",
        "updatedAt": "2021-05-04T05:53:13.150Z",
        "createdBy": JOHN,
        "updatedBy": JOHN,
        "userId": JOHN,
        "territories": [
            {"instanceName": "live", "name": "california", "territories": ["los-angeles"]},
            {"instanceName": "stage", "name": "washington", "territories": ["seattle", "tacoma"]},
        ],
    }


def test_user_territories_put_example(gh):
    body = {"territories": [{"name": "washington", "territories": ["seattle", "tacoma"], "instanceName": "live"}]}
    response = gh.admin("PUT", f"user-territories/{JOHN}", json=body)
    assert response.status_code == 200
    assert response.get_json()["territories"] == [
        {"instanceName": "live", "name": "washington", "territories": ["seattle", "tacoma"]}
    ]


DOCS_ACCESS = {
    "id": "daa7948d-c52c-4129-b64b-848ecc7a5c93",
    "userId": JOHN,
    "adminAccessEnabled": True,
    "auditSecurityAccessEnabled": True,
    "instanceAccesses": [
        {
            "instanceId": "62378f09-e1e5-4fc6-a095-5fdb84f8b36b",
            "instanceName": "stage",
            "instanceDescription": "",
            "workshopAccessEnabled": True,
            "auditDataAccessEnabled": False,
        },
        {
            "instanceId": "51f7d7cd-f1ba-426f-971a-4305d7d6abe2",
            "instanceName": "live",
            "instanceDescription": "",
            "workshopAccessEnabled": True,
            "auditDataAccessEnabled": False,
        },
    ],
}


def test_application_access_get_is_the_docs_response(gh):
    response = gh.admin("GET", f"application-accesses/{JOHN}")
    assert (response.status_code, response.get_json()) == (200, DOCS_ACCESS)
    assert {k: v for k, v in response.headers.items() if k in HEADERS} == HEADERS


def test_application_access_put_example_replaces_it_and_the_user_shows_it(gh):
    instances = [
        {**DOCS_ACCESS["instanceAccesses"][0], "auditDataAccessEnabled": True},
        {**DOCS_ACCESS["instanceAccesses"][1], "workshopAccessEnabled": False},
    ]
    body = {"userId": JOHN, "adminAccessEnabled": True, "auditSecurityAccessEnabled": True,
            "instanceAccesses": instances}
    response = gh.admin("PUT", f"application-accesses/{JOHN}", json=body)
    assert response.status_code == 200
    # the document keeps its id (the docs' example answers another; we keep one per user)
    assert response.get_json() == {**DOCS_ACCESS, "instanceAccesses": instances}
    access = gh.get_user(JOHN).get_json()["applicationAccess"]
    assert access["updatedAt"] == NOW
    assert [(a["instanceName"], a["workshopAccessEnabled"], a["auditDataAccessEnabled"])
            for a in access["instanceAccesses"]] == [("stage", True, True), ("live", False, False)]


def test_application_access_put_validates_before_it_changes_anything(gh):
    response = gh.admin("PUT", f"application-accesses/{JOHN}", json={"instanceAccesses": [{"instanceName": ""}]})
    assert response.status_code == 400
    assert response.get_json() == [
        invalid("adminAccessEnabled", "must not be null"),
        invalid("auditSecurityAccessEnabled", "must not be null"),
        invalid("instanceAccesses[0].instanceName", "must not be blank"),
        invalid("instanceAccesses[0].workshopAccessEnabled", "must not be null"),
        invalid("instanceAccesses[0].auditDataAccessEnabled", "must not be null"),
    ]
    unknown = {"adminAccessEnabled": False, "auditSecurityAccessEnabled": False,
               "instanceAccesses": [{"instanceName": "mars", "workshopAccessEnabled": False,
                                     "auditDataAccessEnabled": False}]}
    response = gh.admin("PUT", f"application-accesses/{JOHN}", json=unknown)
    assert response.status_code == 400
    assert response.get_json() == [invalid("instanceAccesses[0].instanceName", "Instance doesn't exist: mars")]
    assert gh.admin("GET", f"application-accesses/{JOHN}").get_json() == DOCS_ACCESS


def test_application_access_of_an_unknown_user_is_404_and_writes_need_admin_access(gh, welkin_as):
    response = gh.admin("GET", "application-accesses/00000000-0000-4000-8000-000000000000")
    assert (response.status_code, response.get_json()) == (404, USER_NOT_FOUND)
    from .conftest import ATTRIBUTES_ONLY

    caller = welkin_as(ATTRIBUTES_ONLY)
    erin = "5d6addf9-e07c-499e-bc80-5995c84b67c1"
    assert caller.admin("GET", f"application-accesses/{erin}").status_code == 200
    body = {"adminAccessEnabled": True, "auditSecurityAccessEnabled": True, "instanceAccesses": []}
    response = caller.admin("PUT", f"application-accesses/{erin}", json=body)
    assert response.status_code == 403
    assert response.get_json()[0]["errorCode"] == "ACCESS_FOR_API_CLIENT_RESTRICTED"


def test_full_put_by_username_replaces_the_record(gh):
    """The docs' PUT body is the whole record; johndoe is ACTIVE, so only attributes may change."""
    response = gh.admin("PUT", "users/johndoe", json={**DOCS_USER_RECORD, "firstName": "Jon"})
    assert response.status_code == 400
    assert response.get_json() == [invalid("firstName", "can only be changed while the user is PROVISIONED")]
    response = gh.admin("PUT", "users/johndoe", json={**DOCS_USER_RECORD, "timezone": "America/New_York"})
    assert response.status_code == 200
    user = response.get_json()
    assert {k: user[k] for k in DOCS_USER_RECORD} == {**DOCS_USER_RECORD, "timezone": "America/New_York"}
    assert user["updatedAt"] == NOW and user["updatedByName"] == "VBOPNRYRWJIP"
    # an attribute the body leaves out is unset
    without = {k: v for k, v in DOCS_USER_RECORD.items() if k != "credentials"}
    assert "credentials" not in gh.admin("PUT", "users/johndoe", json=without).get_json()


def test_full_put_of_a_provisioned_user_by_id_unsets_what_it_leaves_out(welkin):
    from .conftest import DOCS_USER

    response = welkin.admin("PUT", f"users/{DOCS_USER}", query_string={"type": "ID"},
                            json={"username": "jordan.lee", "email": "jordan@acme-health.com"})
    assert response.status_code == 200
    user = response.get_json()
    assert user["email"] == "jordan@acme-health.com"
    assert not {"firstName", "lastName", "phone", "timezone", "credentials"} & set(user)
    assert welkin.get_user(DOCS_USER).get_json() == user


def test_full_put_validates_like_create(gh):
    response = gh.admin("PUT", "users/johndoe", json={"firstName": "John"})
    assert response.status_code == 400
    assert response.get_json() == [invalid("username", "must not be blank"), invalid("email", "must not be blank")]


def test_delete_without_the_admin_access_is_the_recorded_403(welkin):
    """Recorded: an API client that may create users still may not delete them."""
    response = welkin.admin("DELETE", f"users/{FOO}", query_string={"type": "ID"})
    assert response.status_code == 403
    assert response.get_json() == [
        {
            "errorCode": "ACCESS_FOR_API_CLIENT_RESTRICTED",
            "componentType": "AUTH",
            "message": "Access to this API is restricted for the APIClient",
            "details": {
                "clientId": "3ed223c9-a61f-4f09-8e32-04dd656466c4",
                "clientName": DOCS_CLIENT["apiClient"],
                "clientType": "API_CLIENT",
                "organizationName": "acme-health",
                "requestURI": f"/acme-health/admin/users/{FOO}",
            },
        }
    ]
    assert welkin.get_user(FOO).status_code == 200


def test_delete_by_username_is_204_without_a_body_and_the_user_is_gone(gh):
    """The legacy docs' DELETE example; 204 with no body and no Content-Type, as Welkin's recorded
    DELETEs answer."""
    response = gh.admin("DELETE", "users/johndoe")
    assert (response.status_code, response.data) == (204, b"")
    assert "Content-Type" not in response.headers
    assert {k: v for k, v in response.headers.items() if k in HEADERS} == HEADERS
    for lookup in (gh.get_user(JOHN), gh.admin("GET", "users/johndoe"), gh.admin("DELETE", "users/johndoe")):
        assert (lookup.status_code, lookup.get_json()) == (404, USER_NOT_FOUND)
    assert gh.admin("GET", "users").get_json()["data"] == []
    # its username and e-mail are free again
    again = gh.admin("POST", "users", data=json.dumps({"username": "johndoe", "email": "j.doe@email.com"}))
    assert again.status_code == 201


def test_delete_by_id_with_type_id(gh):
    assert gh.admin("DELETE", f"users/{JOHN}", query_string={"type": "ID"}).status_code == 204
    assert gh.admin("GET", f"users/{JOHN}", query_string={"type": "ID"}).status_code == 404


def test_updated_by_name_is_on_reads_of_the_recorded_user(welkin):
    """Recorded: Foo, edited by someone, carries `updatedByName` after `applicationAccess`."""
    response = welkin.get_user(FOO)
    keys = list(json.loads(response.data))
    assert keys[keys.index("applicationAccess") + 1 : keys.index("applicationAccess") + 3] == ["updatedByName", "id"]
    assert response.get_json()["updatedByName"] == "Sam Morgan"


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_the_docs_update_examples_send_johndoes_record_back(gh, method):
    """The legacy docs' PATCH and PUT bodies are johndoe's own record: nothing changes, 200."""
    response = gh.admin(method, "users/johndoe", json=DOCS_USER_RECORD)
    assert response.status_code == 200
    assert {k: response.get_json()[k] for k in DOCS_USER_RECORD} == DOCS_USER_RECORD


def test_the_docs_create_example_is_johndoe_who_exists(gh):
    response = gh.admin("POST", "users", json=DOCS_USER_RECORD)
    assert response.status_code == 400
    assert response.get_json()[0]["errorCode"] == "USER_ALREADY_EXISTS"
