"""POST /auth/app-clients/{id}/rotate-secret: a new secret, the old one retired at once."""

from .conftest import ACME_BACKEND, error, token


def test_rotate_secret_issues_a_new_secret_and_retires_the_old(client, zus):
    response = zus.post(f"/auth/app-clients/{ACME_BACKEND['id']}/rotate-secret")
    assert response.status_code == 200
    secret = response.get_json()["data"]["attributes"]["clientSecret"]
    assert secret != ACME_BACKEND["clientSecret"]
    grant = {"grant_type": "client_credentials", "client_id": ACME_BACKEND["clientId"]}
    assert token(client, **grant, client_secret=ACME_BACKEND["clientSecret"]).status_code == 401
    assert token(client, **grant, client_secret=secret).status_code == 200


def test_rotating_needs_the_write_permission(zus_as):
    response = zus_as("Acme Data Integration").post(f"/auth/app-clients/{ACME_BACKEND['id']}/rotate-secret")
    assert (response.status_code, response.get_json()) == (403, {"errors": [error(
        403, "role Builder Data Integration does not have permission auth/app-clients:write")]})


def test_rotating_an_unknown_client_is_404(zus):
    response = zus.post("/auth/app-clients/nope/rotate-secret")
    assert (response.status_code, response.get_json()) == (404, {"errors": [error(404, "auth/app-clients nope not found")]})
