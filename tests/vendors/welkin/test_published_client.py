"""Welkin's published Python client (`welkin` on PyPI, Lightmatter's), unchanged but for its base
URL, through every user method it has against a live server: create, read, read all (filtered and
paginated), update, delete, and its token refresh on a refused token."""

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from ...live import LiveServer, console_script
from .conftest import DOCS_CLIENT, LEGACY_CLIENT

HARNESS = Path(__file__).with_name("published_client_calls.py")
FOO = "658f3b36-a12a-4bce-aad6-1e4930948b7d"


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    server = LiveServer([*console_script(), "serve", "--threads", "4"]).wait_ready()
    try:
        tmp = tmp_path_factory.mktemp("welkin-client")
        done = subprocess.run(
            [sys.executable, str(HARNESS), server.url, "gh", "stage", LEGACY_CLIENT["apiClient"],
             LEGACY_CLIENT["secret"], "acme-health", DOCS_CLIENT["apiClient"], DOCS_CLIENT["secret"], FOO],
            # the client keeps its token cache in TMPDIR: one of this test's own
            env={"TMPDIR": str(tmp), "PATH": "/usr/bin:/bin"},
            capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stderr + server.output()
        yield json.loads(done.stdout)
    finally:
        server.stop()


def test_create_answers_the_recorded_provisioned_record(seen):
    user = seen["created"]
    assert uuid.UUID(user["id"]).version == 4
    assert (user["username"], user["email"], user["userState"], user["enabled"]) == (
        "bar", "bar@foo.com", "PROVISIONED", False
    )
    assert user["applicationAccess"]["instanceAccesses"] == [] and "firstName" not in user


def test_read_by_id_is_the_created_record(seen):
    assert seen["read"] == seen["created"]


def test_read_all_and_its_filters(seen):
    assert seen["all"] == ["johndoe", "bar"]
    assert seen["filtered"] == {
        "search": ["bar"],
        "user_state": ["bar"],
        "seat_assigned": ["johndoe", "bar"],
        # the client sends a region filter to the instance path (/gh/stage/users?region=…)
        "region": ["johndoe"],
        "all_filters": ["johndoe"],
    }


def test_the_client_pages_with_meta_info_until_the_last_page(seen):
    assert seen["first_page"] == 20  # without paginate=True the client stops at one page
    assert seen["paginated"] == ["johndoe", "bar", *(f"paged{i}" for i in range(25))]


def test_update_patches_by_username(seen):
    assert seen["updated"]["firstName"] == "Baz"
    assert seen["updated"]["updatedByName"] == LEGACY_CLIENT["apiClient"]
    assert seen["reread"] == seen["updated"]
    assert seen["after_refresh"] == "bar"


def test_delete_with_the_admin_access_then_the_user_is_gone(seen):
    # the 204 has no body: the client keeps what the object had (only its id)
    assert seen["deleted"] == {"id": seen["created"]["id"]}
    status, body = seen["read_deleted"]
    assert status == 404 and body[0]["errorCode"] == "USER_NOT_FOUND"


def test_delete_without_it_is_the_recorded_403_as_the_clients_own_test_expects(seen):
    status, body = seen["denied_delete"]
    assert status == 403
    assert body[0]["errorCode"] == "ACCESS_FOR_API_CLIENT_RESTRICTED"
    assert body[0]["details"]["requestURI"] == f"/acme-health/admin/users/{FOO}"
    assert seen["denied_still_there"] == "Foo"
