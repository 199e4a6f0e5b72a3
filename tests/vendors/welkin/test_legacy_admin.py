"""The legacy admin aliases (/{tenant}/admin/...) act on the same state as the new paths."""


from .conftest import DOCS_USER_RECORD, JOHN, NOW, USER_NOT_FOUND, invalid


def test_legacy_docs_read_example_by_username(gh):
    response = gh.admin("GET", "users/johndoe")
    assert response.status_code == 200
    user = response.get_json()
    assert {k: user[k] for k in DOCS_USER_RECORD} == DOCS_USER_RECORD


def test_read_by_id_with_type_id_and_unknown_is_the_recorded_404(gh):
    assert gh.admin("GET", f"users/{JOHN}", query_string={"type": "ID"}).get_json()["username"] == "johndoe"
    response = gh.admin("GET", "users/me")
    assert (response.status_code, response.get_json()) == (404, USER_NOT_FOUND)
    assert gh.admin("GET", f"users/{JOHN}").status_code == 404


def test_recorded_create_with_username_and_email_only(gh):
    response = gh.admin("POST", "users", json={"username": "bar", "email": "bar@foo.com"})
    assert response.status_code == 201
    user = response.get_json()
    assert "firstName" not in user and user["applicationAccess"]["instanceAccesses"] == []
    assert gh.get_user(user["id"]).get_json() == user


def test_create_validates_username_and_email(gh):
    response = gh.admin("POST", "users", json={"email": "x"})
    assert response.status_code == 400
    assert response.get_json() == [
        invalid("username", "must not be blank"),
        invalid("email", "must be a well-formed email address"),
    ]


def test_list_is_the_tenant(gh):
    body = gh.admin("GET", "users", query_string={"page": 0}).get_json()
    assert [u["username"] for u in body["data"]] == ["johndoe"] and body["metaInfo"]["totalElements"] == 1


def test_patch_by_username_reaches_the_new_paths(gh):
    response = gh.admin("PATCH", "users/johndoe", json={"credentials": "DO", "id": "ignored", "roles": []})
    assert response.status_code == 200
    assert gh.get_user(JOHN).get_json()["credentials"] == "DO"


def test_user_permissions_get_and_put(gh):
    new = [
        {
            "permissionName": "physician",
            "instanceName": "sb-demo",
            "type": "SECURITY_ROLE",
            "primaryRole": True,
        },
        {
            "permissionName": "cdt_management",
            "instanceName": "stage",
            "type": "SECURITY_POLICY",
            "effectiveDate": "2021-12-01T00:00:00.000Z",
        },
    ]
    response = gh.admin("PUT", f"user-permissions/{JOHN}", json={"permissions": new})
    assert response.status_code == 200
    assert response.get_json()["permissions"] == new and response.get_json()["updatedAt"] == NOW
    assert [r["permissionName"] for r in gh.get_user(JOHN).get_json()["roles"]] == ["physician"]


def test_user_permissions_put_checks_the_catalogue(gh):
    bad = [
        {"permissionName": "surgeon", "instanceName": "mars", "type": "SECURITY_ROLE"},
        {"permissionName": "x", "instanceName": "stage", "type": "ROLE"},
    ]
    response = gh.admin("PUT", f"user-permissions/{JOHN}", json={"permissions": bad})
    assert response.status_code == 400
    assert response.get_json() == [
        invalid("permissions[1].type", "must be one of SECURITY_ROLE, SECURITY_POLICY")
    ]
    response = gh.admin("PUT", f"user-permissions/{JOHN}", json={"permissions": bad[:1]})
    assert response.get_json() == [
        invalid("permissions[0].instanceName", "Instance doesn't exist: mars"),
        invalid("permissions[0].permissionName", "Security role doesn't exist: surgeon"),
    ]


def test_user_territories_get_and_put_all_instances(gh):
    put = {"territories": [{"name": "washington", "territories": ["seattle"], "instanceName": "stage"}]}
    response = gh.admin("PUT", f"user-territories/{JOHN}", json=put)
    assert response.status_code == 200
    assert response.get_json()["territories"] == [
        {"instanceName": "stage", "name": "washington", "territories": ["seattle"]}
    ]
    assert gh.get_territories(JOHN).get_json()["territories"] == []  # sb-demo: none


def test_user_territories_put_requires_instance_name(gh):
    response = gh.admin(
        "PUT", f"user-territories/{JOHN}", json={"territories": [{"name": "washington", "territories": []}]}
    )
    assert response.status_code == 400
    assert response.get_json() == [invalid("territories[0].instanceName", "must not be blank")]
