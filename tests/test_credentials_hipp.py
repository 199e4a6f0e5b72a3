"""POST /_sandbox/credentials for Hipp: API keys bound to a namespace, used with no header."""

import requests

from .credentials_live import NS, fresh, journal, listed, mint, server  # noqa: F401 (fixtures)

USERS = "/hipp/api/v1/users"
ORG = {"name": "Example Organization", "publicId": "org_abc123def456"}
RIVERSIDE = {"name": "Riverside Clinic", "publicId": "org_rvs7k2m9q4x1"}


def bearer(key, **headers):
    return {"Authorization": f"Bearer {key}", **headers}


def test_a_minted_key_is_an_entry_as_listed_and_acts_in_its_namespace_only(server, fresh):
    a, b = fresh("a"), fresh("b")
    entry = mint(server, a, vendor="hipp", role="CLINICIAN")
    assert set(entry) == {"name", "role", "organization", "apiKey"}
    assert (entry["role"], entry["organization"]) == ("CLINICIAN", ORG)
    assert entry in listed(server, a, "hipp")
    assert entry not in listed(server, b, "hipp")
    assert entry not in listed(server, "default", "hipp")

    # real client code: requests, no namespace header, then a header naming another namespace
    created = requests.post(server.url + USERS, json={"firstName": "Pat", "lastName": "Ient", "role": "PATIENT"},
                            headers=bearer(entry["apiKey"]), timeout=10)
    assert created.status_code == 200, created.text
    public_id = created.json()["user"]["publicId"]
    fetched = requests.get(f"{server.url}{USERS}/{public_id}", headers=bearer(entry["apiKey"], **{NS: b}), timeout=10)
    assert fetched.status_code == 200
    assert fetched.json()["publicId"] == public_id

    assert journal(server, a) == [("POST", USERS, 200), ("GET", f"{USERS}/{public_id}", 200)]
    assert journal(server, b) == []
    # the user exists in the bound namespace only
    admin = bearer("hipp_test_admin", **{NS: b})
    assert requests.get(f"{server.url}{USERS}/{public_id}", headers=admin, timeout=10).status_code == 404


def test_two_namespaces_with_minted_keys_never_see_each_other(server, fresh):
    a, b = fresh("a"), fresh("b")
    key_a, key_b = (mint(server, ns, vendor="hipp")["apiKey"] for ns in (a, b))
    assert key_a != key_b
    for key, email in ((key_a, "only-a@example.com"), (key_b, "only-b@example.com")):
        response = requests.post(server.url + USERS, json={"firstName": "A", "lastName": "B", "email": email},
                                 headers=bearer(key), timeout=10)
        assert response.status_code == 200
    def count(key, email):
        return requests.get(f"{server.url}{USERS}?email={email}", headers=bearer(key),
                            timeout=10).json()["pagination"]["totalCount"]

    assert (count(key_a, "only-a@example.com"), count(key_a, "only-b@example.com")) == (1, 0)
    assert (count(key_b, "only-a@example.com"), count(key_b, "only-b@example.com")) == (0, 1)


def test_a_key_acts_as_a_user_of_its_role_in_its_organization(server, fresh):
    a = fresh()
    entry = mint(server, a, vendor="hipp", role="ADMIN", organization=RIVERSIDE["publicId"], name="CI key")
    assert entry == {"name": "CI key", "role": "ADMIN", "organization": RIVERSIDE, "apiKey": entry["apiKey"]}
    body = requests.get(server.url + USERS, headers=bearer(entry["apiKey"]), timeout=10).json()
    assert {u["publicId"] for u in body["data"]} == {
        "usr_1706745600000_o8g7r6a5n", "usr_1706749200000_j2s3m4i5t", "usr_1706752800000_r6m7o8r9e"}, \
        "Riverside's users only"


def test_a_role_without_a_user_gets_a_new_user_of_that_role(server, fresh):
    a = fresh()
    entry = mint(server, a, vendor="hipp", role="TECHNICIAN", organization=RIVERSIDE["publicId"])
    admin = mint(server, a, vendor="hipp", role="ADMIN", organization=RIVERSIDE["publicId"])
    body = requests.get(server.url + USERS + "?role=TECHNICIAN", headers=bearer(admin["apiKey"]), timeout=10).json()
    assert [(u["firstName"], u["lastName"], u["role"]) for u in body["data"]] == [("API", "Technician", "TECHNICIAN")]
    # a technician reads users but may create none (Hipp's table): the key acts as a technician
    assert requests.get(server.url + USERS, headers=bearer(entry["apiKey"]), timeout=10).status_code == 200
    denied = requests.post(server.url + USERS, json={"firstName": "A", "lastName": "B", "role": "PATIENT"},
                           headers=bearer(entry["apiKey"]), timeout=10)
    assert denied.status_code == 403


def test_an_existing_api_key_is_registered_as_it_is(server, fresh):
    a = fresh()
    entry = mint(server, a, vendor="hipp", apiKey="sk_live_from_my_dotenv_123", role="SCHEDULING_MANAGER")
    assert entry == {"name": "Minted key (SCHEDULING_MANAGER)", "role": "SCHEDULING_MANAGER", "organization": ORG,
                     "apiKey": "sk_live_from_my_dotenv_123"}
    response = requests.get(server.url + USERS, headers=bearer("sk_live_from_my_dotenv_123"), timeout=10)
    assert response.status_code == 200
    assert journal(server, a) == [("GET", USERS, 200)]
    # unbound elsewhere: the key means nothing in the default namespace
    assert journal(server, "default").count(("GET", USERS, 200)) == 0
