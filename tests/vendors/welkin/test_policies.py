"""PUT /{tenant}/{instance}/users/{userId}/policies: replace the instance's security policies."""

import pytest

from .conftest import DOCS_USER, NOW, USER_NOT_FOUND, docs_example, invalid

ERIN = "5d6addf9-e07c-499e-bc80-5995c84b67c1"


def policy(name, instance="live", at=NOW):
    return {
        "createdAt": at,
        "updatedAt": at,
        "permissionName": name,
        "instanceName": instance,
        "type": "SECURITY_POLICY",
    }


def test_docs_example_works_verbatim(welkin):
    method, path, body = docs_example("PUT Update Security Policies")
    response = welkin.request(method, f"/welkin{path}", json=body)
    assert response.status_code == 200
    user = response.get_json()
    assert user["id"] == DOCS_USER
    assert user["policies"] == [
        policy("read-patients"),
        policy("write-encounters"),
        policy("read-assessments"),
    ]


def test_replaces_only_the_path_instance_and_keeps_kept_entries(welkin, welkin_as):
    welkin_as(instance="sandbox").put_policies(ERIN, {"policies": ["manage-calendar"]})
    user = welkin.put_policies(ERIN, {"policies": ["read-patients", "read-users", "read-users"]}).get_json()
    assert user["policies"] == [
        policy("manage-calendar", "sandbox"),
        policy("read-patients", at="2022-04-27T15:42:43.673Z"),
        policy("read-users"),
    ]
    assert welkin.put_policies(ERIN, {"policies": []}).get_json()["policies"] == [
        policy("manage-calendar", "sandbox")
    ]


@pytest.mark.parametrize(
    ("user_id", "body", "status", "expected"),
    [
        (DOCS_USER, {}, 400, [invalid("policies", "must not be null")]),
        (DOCS_USER, {"policies": "read-patients"}, 400, [invalid("policies", "must be an array")]),
        (
            DOCS_USER,
            {"policies": ["read-patients", " "]},
            400,
            [invalid("policies[1]", "must not be blank")],
        ),
        (
            DOCS_USER,
            {"policies": ["read-patients", "fly", "cdt_management"]},
            400,
            [
                invalid("policies[1]", "Security policy doesn't exist: fly"),
                invalid("policies[2]", "Security policy doesn't exist: cdt_management"),
            ],
        ),
        ("nobody", {"policies": []}, 404, USER_NOT_FOUND),
    ],
)
def test_invalid_policy_updates(welkin, user_id, body, status, expected):
    response = welkin.put_policies(user_id, body)
    assert (response.status_code, response.get_json()) == (status, expected)
    assert welkin.get_user(DOCS_USER).get_json()["policies"] == []
