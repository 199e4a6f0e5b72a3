"""GET /auth/app-clients and /auth/app-clients/{id}: the caller's Builder only, never the secret."""

from .conftest import ACME_BACKEND, error


def test_list_is_per_builder_without_secrets(zus, zus_as):
    body = zus.get("/auth/app-clients").get_json()
    assert [c["attributes"]["name"] for c in body["data"]] == ["Acme Backend", "Acme Data Integration",
                                                                 "Acme Care Portal"]
    assert all("clientSecret" not in c["attributes"] for c in body["data"])
    assert [c["attributes"]["name"] for c in zus.get("/auth/app-clients", **{"filter[type]": "single_page_application"})
            .get_json()["data"]] == ["Acme Care Portal"]
    assert [c["attributes"]["name"] for c in zus_as("Riley Admin").get("/auth/app-clients").get_json()["data"]] == [
        "Riverside Backend"]


def test_another_builders_client_is_404(zus_as):
    response = zus_as("Riley Admin").get(f"/auth/app-clients/{ACME_BACKEND['id']}")
    assert (response.status_code, response.get_json()) == (404, {"errors": [
        error(404, f"auth/app-clients {ACME_BACKEND['id']} not found")]})
