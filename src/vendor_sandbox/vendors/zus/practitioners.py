"""Zus's FHIR store for Practitioner: versions, conditional create, update, delete, history, search.

Every version is kept (a deletion is a version without a resource), as a HAPI server keeps them;
a Builder sees only resources that carry its owner tag.
"""

import string
from urllib.parse import parse_qsl

from . import fhir, fhir_search
from .errors import (
    FhirGone,
    FhirIdMismatch,
    FhirIdMissing,
    FhirManyMatches,
    FhirNotFound,
    FhirStaleVersion,
    FhirVersionNotFound,
)

ALNUM = string.ascii_letters + string.digits  # meta.source is "#" and 16 of these


class Practitioners:
    """Mixed into ZusBackend: needs self._practitioners, self._versions, self._source, self._new_id."""

    def _load_practitioners(self, seed):
        for resource in seed["practitioners"]:
            self._practitioners.put(resource["id"], resource, index={"builder": fhir.owner(resource)})
            self._record(resource["id"], fhir.owner(resource), "POST", resource, resource["meta"]["lastUpdated"])

    def create_practitioner(self, caller, body, if_none_exist=None):
        """(resource, created): with If-None-Exist, the one match instead of a new resource."""
        if if_none_exist is not None:
            query = fhir_search.parse(parse_qsl(if_none_exist.split("?", 1)[-1], keep_blank_values=True))
            found = self._visible(caller, query)
            if len(found) > 1:
                raise FhirManyMatches(criteria=if_none_exist, count=len(found))
            if found:
                return found[0], False
        now = self._source.now()
        resource = fhir.new_practitioner(body, self._new_id(self._practitioners), caller.builder_id,
                                         self._source.string(16, ALNUM), now)
        self._practitioners.put(resource["id"], resource, index={"builder": caller.builder_id})
        self._record(resource["id"], caller.builder_id, "POST", resource, resource["meta"]["lastUpdated"])
        return resource, True

    def get_practitioner(self, caller, practitioner_id):
        resource = self._practitioners.get(practitioner_id)
        if resource and fhir.owner(resource) == caller.builder_id:
            return resource
        versions = self._history_of(caller, practitioner_id)
        if versions and versions[0]["method"] == "DELETE":
            raise FhirGone(at=versions[0]["at"])
        raise FhirNotFound(id=practitioner_id)

    def get_practitioner_version(self, caller, practitioner_id, version_id):
        versions = self._history_of(caller, practitioner_id)
        if not versions:
            raise FhirNotFound(id=practitioner_id)
        version = next((v for v in versions if v["versionId"] == version_id), None)
        if version is None:
            raise FhirVersionNotFound(version=version_id, id=practitioner_id)
        if version["method"] == "DELETE":
            raise FhirGone(at=version["at"])
        return version["resource"]

    def update_practitioner(self, caller, practitioner_id, body, if_match=None):
        """PUT: the body replaces the resource; `if_match` is the versionId the client holds."""
        if "id" not in body:
            raise FhirIdMissing()
        if body["id"] != practitioner_id:
            raise FhirIdMismatch(body=body["id"], url=practitioner_id)
        while True:
            current = self.get_practitioner(caller, practitioner_id)
            if if_match is not None and if_match != current["meta"]["versionId"]:
                raise FhirStaleVersion(id=practitioner_id, version=if_match)
            resource = fhir.next_version(current, body, self._source.now())
            if self._claim_version(practitioner_id, resource["meta"]["versionId"]):
                break
            if if_match is not None:  # a concurrent write took the version this client held
                raise FhirStaleVersion(id=practitioner_id, version=if_match)
        self._practitioners.put(practitioner_id, resource, index={"builder": caller.builder_id})
        self._record(practitioner_id, caller.builder_id, "PUT", resource, resource["meta"]["lastUpdated"])
        return resource

    def delete_practitioner(self, caller, practitioner_id):
        """True if deleted now, False if it was already deleted (deleting again is no error)."""
        try:
            current = self.get_practitioner(caller, practitioner_id)
        except FhirGone:
            return False
        version_id = str(int(current["meta"]["versionId"]) + 1)
        if not self._claim_version(practitioner_id, version_id):
            return self.delete_practitioner(caller, practitioner_id)  # written meanwhile: delete that
        self._practitioners.delete(practitioner_id)
        self._record(practitioner_id, caller.builder_id, "DELETE", None, fhir.instant(self._source.now()),
                     version_id)
        return True

    def practitioner_history(self, caller, practitioner_id=None):
        """Versions newest first: one resource's (404 if it never existed here) or the Builder's."""
        if practitioner_id is None:
            return list(self._versions.list("builder", caller.builder_id, reverse=True))
        versions = self._history_of(caller, practitioner_id)
        if not versions:
            raise FhirNotFound(id=practitioner_id)
        return versions

    def search_practitioners(self, caller, query):
        """(the page of matches, offset, total) in the caller's Builder."""
        found = fhir_search.ordered(self._visible(caller, query), query.sort)
        return found[query.offset:query.offset + query.count], query.offset, len(found)

    def bundle_stamp(self):
        """A new Bundle's (id, time)."""
        return self._source.uuid4(), self._source.now()

    def now(self):
        return self._source.now()

    def _visible(self, caller, query):
        return [r for r in self._practitioners.list("builder", caller.builder_id) if fhir_search.matches(r, query)]

    def _history_of(self, caller, practitioner_id):
        return [v for v in self._versions.list("practitioner", practitioner_id, reverse=True)
                if v["builder"] == caller.builder_id]

    def _claim_version(self, practitioner_id, version_id):
        """Each version is written once: of two concurrent writes from one version, one wins."""
        return self._versions.claim("versions", f"{practitioner_id}/{version_id}", self._source.string(12))

    def _record(self, practitioner_id, builder_id, method, resource, at, version_id=None):
        version_id = version_id or resource["meta"]["versionId"]
        self._versions.put(f"{practitioner_id}/_history/{version_id}",
                           {"id": practitioner_id, "versionId": version_id, "builder": builder_id,
                            "method": method, "at": at, "resource": resource},
                           index={"builder": builder_id, "practitioner": practitioner_id})
