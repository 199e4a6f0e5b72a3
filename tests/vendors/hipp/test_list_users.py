"""GET /v1/users: the paginated envelope, organization scope, HIPP_ADMIN exclusion, filters and sorting."""

import pytest

from .expected import (
    DOC_USER,
    EXAMPLE_ORG_COUNT,
    EXAMPLE_ORG_USERS,
    HIPP_ADMIN_ID,
    RIVERSIDE_USERS,
    ids,
    listed,
    page_of,
)

NEWEST_FIRST = [user["publicId"] for user in EXAMPLE_ORG_USERS]


def test_default_page_is_every_visible_user_newest_first(hipp):
    response = hipp.list_users()
    assert response.status_code == 200
    assert response.get_json() == page_of(EXAMPLE_ORG_USERS, page=1, pageSize=25,
                                          totalCount=EXAMPLE_ORG_COUNT, totalPages=1)


def test_envelope_keys(hipp):
    body = hipp.list_users().get_json()
    assert set(body) == {"data", "pagination"}
    assert set(body["pagination"]) == {"page", "pageSize", "totalCount", "totalPages"}


def test_doc_example_user_appears_exactly_as_documented(hipp):
    data = hipp.list_users().get_json()["data"]
    assert DOC_USER in data
    assert [user for user in data if user["publicId"] == DOC_USER["publicId"]] == [DOC_USER]


def test_listed_users_have_no_contact_details(hipp):
    for user in hipp.list_users().get_json()["data"]:
        assert set(user) == set(DOC_USER)


# ---- HIPP_ADMIN users are never returned ---------------------------------------------------------

def test_hipp_admin_users_are_never_listed(hipp):
    assert HIPP_ADMIN_ID not in ids(hipp.list_users(pageSize=100).get_json())


def test_role_hipp_admin_is_an_empty_page_not_an_error(hipp):
    response = hipp.list_users(role="HIPP_ADMIN")
    assert response.status_code == 200
    assert response.get_json() == page_of([], totalCount=0, totalPages=0)


@pytest.mark.parametrize("query", [{"search": "support"}, {"email": "support@hipp.health"}])
def test_hipp_admin_cannot_be_found_by_search_or_email(hipp, query):
    response = hipp.list_users(**query)
    assert response.status_code == 200
    assert response.get_json() == page_of([], totalCount=0, totalPages=0)


def test_hipp_admin_key_does_not_see_itself(hipp_as):
    body = hipp_as("hipp_test_hipp_admin").list_users().get_json()
    assert HIPP_ADMIN_ID not in ids(body)
    assert body["pagination"]["totalCount"] == EXAMPLE_ORG_COUNT


# ---- organization scope --------------------------------------------------------------------------

def test_riverside_key_sees_only_riverside(hipp_as):
    response = hipp_as("hipp_test_riverside_admin").list_users()
    assert response.status_code == 200
    assert response.get_json() == page_of(RIVERSIDE_USERS, totalCount=3, totalPages=1)


def test_other_organizations_users_are_not_found_by_email(hipp):
    # jane.smith@example.com belongs to Riverside Clinic
    response = hipp.list_users(email="jane.smith@example.com")
    assert response.get_json() == page_of([], totalCount=0, totalPages=0)


def test_users_created_elsewhere_do_not_count(hipp, hipp_as):
    hipp_as("hipp_test_riverside_admin").create_user(firstName="Ann", lastName="Lee")
    assert hipp.list_users().get_json()["pagination"]["totalCount"] == EXAMPLE_ORG_COUNT


# ---- filters -------------------------------------------------------------------------------------

PAUL = "usr_1704902400000_p2a3u4l5k"
GRACE = "usr_1704898800000_g4k5i6m7c"
TOMAS = "usr_1704895200000_t9l8o7p6e"
CHRISTINE = "usr_1704891600000_c1n2g3u4y"
HIPP_BILLING = "usr_1704909600000_h5b6i7l8g"


@pytest.mark.parametrize(
    ("query", "expected_ids"),
    [
        ({"role": "PATIENT"}, [DOC_USER["publicId"], PAUL]),
        ({"role": "TECHNICIAN"}, [TOMAS]),
        ({"role": "HIPP_BILLING_MANAGER"}, [HIPP_BILLING]),
        ({"role": "CLINICAL_SUPERADMIN"}, ["usr_1704920400000_s1i2m3o4n"]),
        ({"search": "kim"}, [PAUL, GRACE]),
        ({"search": "KIM"}, [PAUL, GRACE]),
        ({"search": "Chris"}, [CHRISTINE]),
        ({"search": "nguyen"}, [CHRISTINE]),
        ({"search": "example.net"}, [PAUL, GRACE]),
        ({"search": "TOMAS.LOPEZ@"}, [TOMAS]),
        ({"search": "hipp"}, [HIPP_BILLING]),
        ({"search": "zzz"}, []),
        ({"email": "tomas.lopez@example.com"}, [TOMAS]),
        ({"email": "TOMAS.LOPEZ@EXAMPLE.COM"}, [TOMAS]),
        ({"email": "tomas"}, []),
        ({"email": "tomas.lopez@example"}, []),
        ({"search": "kim", "role": "CAREGIVER"}, [GRACE]),
        ({"search": "kim", "email": "paul.kim@example.net"}, [PAUL]),
        ({"role": "PATIENT", "email": "paul.kim@example.net"}, [PAUL]),
        ({"role": "ADMIN", "email": "paul.kim@example.net"}, []),
    ],
)
def test_filters(hipp, query, expected_ids):
    response = hipp.list_users(**query)
    assert response.status_code == 200
    body = response.get_json()
    assert ids(body) == expected_ids
    assert body["pagination"] == {"page": 1, "pageSize": 25, "totalCount": len(expected_ids),
                                  "totalPages": 1 if expected_ids else 0}


def test_filtered_user_is_in_the_demographic_shape(hipp):
    response = hipp.list_users(email="paul.kim@example.net")
    assert response.get_json() == page_of(
        [listed(PAUL, "Paul", "Kim", "PATIENT", sex="MALE", caregiverId=GRACE, birthDate="1958-11-23",
                addressLine1="48 Orchard Lane", city="Hoboken", state="NJ", postalCode="07030")],
        totalCount=1, totalPages=1)


# ---- sorting -------------------------------------------------------------------------------------

def test_sort_created_at_desc_is_the_default(hipp):
    assert ids(hipp.list_users(sort="createdAt_desc").get_json()) == NEWEST_FIRST
    assert ids(hipp.list_users().get_json()) == NEWEST_FIRST


def test_sort_created_at_asc(hipp):
    assert ids(hipp.list_users(sort="createdAt_asc").get_json()) == NEWEST_FIRST[::-1]


def test_comma_separated_sorts(hipp):
    response = hipp.list_users(sort="createdAt_asc,updatedAt_desc")
    assert response.status_code == 200
    assert ids(response.get_json()) == NEWEST_FIRST[::-1]


def test_sort_applies_before_paging(hipp):
    body = hipp.list_users(sort="createdAt_asc", pageSize=2, page=1).get_json()
    assert ids(body) == ["usr_1704880800000_k3v9x2m1a", "usr_1704884400000_b7q2w8e4r"]  # Alice, Bianca


def test_created_user_sorts_by_its_creation_time(hipp):
    user_id = hipp.create_user(firstName="Ann", lastName="Lee").get_json()["user"]["publicId"]
    assert ids(hipp.list_users(sort="createdAt_desc").get_json())[0] == user_id
    assert ids(hipp.list_users(sort="createdAt_asc", pageSize=100).get_json())[-1] == user_id


# ---- paging --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("page", "page_size", "expected_slice", "total_pages"),
    [
        (1, 5, slice(0, 5), 3),
        (2, 5, slice(5, 10), 3),
        (3, 5, slice(10, 12), 3),
        (4, 5, slice(0, 0), 3),
        (99, 5, slice(0, 0), 3),
        (1, 1, slice(0, 1), 12),
        (12, 1, slice(11, 12), 12),
        (13, 1, slice(0, 0), 12),
        (1, 11, slice(0, 11), 2),
        (2, 11, slice(11, 12), 2),
        (1, 12, slice(0, 12), 1),
        (2, 12, slice(0, 0), 1),
        (1, 100, slice(0, 12), 1),
    ],
)
def test_paging(hipp, page, page_size, expected_slice, total_pages):
    response = hipp.list_users(page=page, pageSize=page_size)
    assert response.status_code == 200
    assert response.get_json() == page_of(EXAMPLE_ORG_USERS[expected_slice], page=page, pageSize=page_size,
                                          totalCount=EXAMPLE_ORG_COUNT, totalPages=total_pages)


def test_paging_past_the_end_of_a_filtered_list(hipp):
    response = hipp.list_users(role="PATIENT", page=2, pageSize=1)
    assert response.get_json() == page_of(
        [listed(PAUL, "Paul", "Kim", "PATIENT", sex="MALE", caregiverId=GRACE, birthDate="1958-11-23",
                addressLine1="48 Orchard Lane", city="Hoboken", state="NJ", postalCode="07030")],
        page=2, pageSize=1, totalCount=2, totalPages=2)
    assert hipp.list_users(role="PATIENT", page=3, pageSize=1).get_json() == page_of(
        [], page=3, pageSize=1, totalCount=2, totalPages=2)


def test_no_match_has_zero_total_pages(hipp):
    response = hipp.list_users(search="nobody-at-all", page=2, pageSize=10)
    assert response.get_json() == page_of([], page=2, pageSize=10, totalCount=0, totalPages=0)


def test_pagination_numbers_are_integers(hipp):
    pagination = hipp.list_users(page="1", pageSize="5").get_json()["pagination"]
    assert all(type(value) is int for value in pagination.values())


def _ids(response):
    return [u["publicId"] for u in response.get_json()["data"]]


def test_ties_list_the_later_created_first_when_descending_in_every_path(hipp):
    first = hipp.create_user(firstName="Tie", lastName="One").get_json()["user"]["publicId"]
    second = hipp.create_user(firstName="Tie", lastName="Two").get_json()["user"]["publicId"]
    for query in ({}, {"search": "tie"}, {"sort": "createdAt_desc,updatedAt_desc"}):
        assert _ids(hipp.list_users(pageSize=2, **query)) == [second, first], query
    for query in ({"sort": "createdAt_asc", "search": "tie"}, {"sort": "createdAt_asc,updatedAt_asc", "search": "tie"}):
        assert _ids(hipp.list_users(**query)) == [first, second], query


def test_a_clock_set_back_still_lists_in_creation_time_order(app, hipp):
    store = app.extensions["vendor_sandbox.store"]
    store.clock.set("2020-01-01T00:00:00Z")
    old = hipp.create_user(firstName="Old", lastName="Timer").get_json()["user"]["publicId"]
    oldest_first = _ids(hipp.list_users(sort="createdAt_asc", pageSize=1))
    assert oldest_first == [old]
    assert old not in _ids(hipp.list_users(pageSize=5))
