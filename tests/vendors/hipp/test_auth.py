"""API-key authentication (`Authorization: Bearer <key>`) on every Hipp user endpoint."""

import pytest

from .expected import DOC_USER, error_id

KEY_REQUIRED = {"error": "API key required"}
INVALID_KEY = {"error": "Invalid API key"}

# One well-formed call per documented operation.
OPERATIONS = {
    "create": lambda caller: caller.create_user(firstName="John", lastName="Doe"),
    "list": lambda caller: caller.list_users(),
    "get": lambda caller: caller.get_user(DOC_USER["publicId"]),
}


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize(
    ("authorization", "status", "body"),
    [
        (None, 401, KEY_REQUIRED),
        ("", 401, KEY_REQUIRED),
        ("your-api-key", 401, KEY_REQUIRED),
        ("Basic eW91ci1hcGkta2V5Og==", 401, KEY_REQUIRED),
        ("Token your-api-key", 401, KEY_REQUIRED),
        ("Bearer", 401, KEY_REQUIRED),
        ("Bearer ", 401, KEY_REQUIRED),
        ("Bearer    ", 401, KEY_REQUIRED),
        ("Bearer nope", 401, INVALID_KEY),
        ("Bearer YOUR-API-KEY", 401, INVALID_KEY),
        ("Bearer hipp_test_admin_revoked", 401, INVALID_KEY),
    ],
    ids=error_id,
)
def test_rejected_credentials(hipp_auth, operation, authorization, status, body):
    response = OPERATIONS[operation](hipp_auth(authorization))
    assert response.status_code == status
    assert response.get_json() == body


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_bearer_scheme_is_case_insensitive(hipp_auth, operation, scheme):
    response = OPERATIONS[operation](hipp_auth(f"{scheme} your-api-key"))
    assert response.status_code == 200


# Auth runs before validation: a request that is both unauthenticated and invalid is a 401.
INVALID_REQUESTS = {
    "create: empty object": lambda caller: caller.create_user({}),
    "create: array body": lambda caller: caller.create_user([]),
    "create: malformed JSON": lambda caller: caller.post_raw(b'{"firstName":'),
    "create: bad role": lambda caller: caller.create_user(firstName="A", lastName="B", role="FOO"),
    "list: page=0": lambda caller: caller.list_users(page=0),
    "list: role=FOO": lambda caller: caller.list_users(role="FOO"),
    "get: malformed id": lambda caller: caller.get_user("not-a-user-id"),
}


@pytest.mark.parametrize("request_", INVALID_REQUESTS)
@pytest.mark.parametrize(
    ("authorization", "body"),
    [(None, KEY_REQUIRED), ("Basic abc", KEY_REQUIRED), ("Bearer nope", INVALID_KEY)],
    ids=error_id,
)
def test_auth_runs_before_validation(hipp_auth, request_, authorization, body):
    response = INVALID_REQUESTS[request_](hipp_auth(authorization))
    assert response.status_code == 401
    assert response.get_json() == body


def test_unauthenticated_create_writes_nothing(hipp, hipp_auth):
    hipp_auth(None).create_user(firstName="John", lastName="Doe", email="ghost@example.com")
    hipp_auth("Bearer nope").create_user(firstName="John", lastName="Doe", email="ghost@example.com")
    assert hipp.list_users(email="ghost@example.com").get_json()["pagination"]["totalCount"] == 0
