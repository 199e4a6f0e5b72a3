"""What is assigned to a Welkin user: roles, security policies, regions and territories, and
application access (the legacy admin documents and the new per-instance routes)."""

from . import records
from .errors import InvalidField, ValidationFailed


class Assignments:
    """WelkinBackend's assignment rules; it provides get_user, _tenants, _put and _now."""

    def set_policies(self, tenant, instance, user_id, names):
        """Replace the user's security policies in `instance`."""
        user = self.get_user(tenant, user_id)
        catalogue = self._tenants.get(tenant)["policies"]
        unknown = [
            InvalidField(f"policies[{i}]", f"Security policy doesn't exist: {name}")
            for i, name in enumerate(names)
            if name not in catalogue
        ]
        if unknown:
            raise ValidationFailed(unknown)
        at = self._now()
        kept = {p["permissionName"]: p for p in user["policies"] if p["instanceName"] == instance}
        policies = [p for p in user["policies"] if p["instanceName"] != instance]
        policies += [
            kept.get(name) or records.policy_entry(name, instance, at) for name in dict.fromkeys(names)
        ]
        updated = {**user, "policies": policies, "permissionSet": {**user["permissionSet"], "updatedAt": at}}
        self._put(updated)
        return updated

    def get_permissions(self, tenant, user_id):
        return records.permissions_view(self.get_user(tenant, user_id))

    def put_permissions(self, tenant, user_id, permissions):
        """The legacy user-permissions PUT: replaces every role and policy, all instances."""
        user = self.get_user(tenant, user_id)
        catalogue = self._tenants.get(tenant)
        errors = []
        for i, p in enumerate(permissions):
            kind = "roles" if p["type"] == "SECURITY_ROLE" else "policies"
            label = "Security role" if kind == "roles" else "Security policy"
            if p["instanceName"] not in catalogue["instances"]:
                errors.append(
                    InvalidField(
                        f"permissions[{i}].instanceName", f"Instance doesn't exist: {p['instanceName']}"
                    )
                )
            if p["permissionName"] not in catalogue[kind]:
                errors.append(
                    InvalidField(
                        f"permissions[{i}].permissionName", f"{label} doesn't exist: {p['permissionName']}"
                    )
                )
        if errors:
            raise ValidationFailed(errors)
        at = self._now()
        roles = [
            records.role_entry(p["permissionName"], p["instanceName"], p.get("primaryRole", False), at)
            for p in permissions
            if p["type"] == "SECURITY_ROLE"
        ]
        policies = [
            records.policy_entry(p["permissionName"], p["instanceName"], at, p.get("effectiveDate"))
            for p in permissions
            if p["type"] == "SECURITY_POLICY"
        ]
        updated = {
            **user,
            "roles": roles,
            "policies": policies,
            "permissionSet": {
                **user["permissionSet"],
                "updatedAt": at,
                "order": [list(records.permission_key(p)) for p in permissions],
            },
        }
        self._put(updated)
        return records.permissions_view(updated)

    def get_territories(self, tenant, user_id, instance=None):
        return records.territories_view(self.get_user(tenant, user_id), instance)

    def set_territories(self, caller, tenant, user_id, regions, instance=None):
        """Replace the user's regions in `instance` (new API) or in every instance (legacy PUT)."""
        user = self.get_user(tenant, user_id)
        catalogue = self._tenants.get(tenant)
        errors = []
        for i, region in enumerate(regions):
            name = region.get("instanceName")
            if name is not None and name not in catalogue["instances"]:
                errors.append(
                    InvalidField(f"territories[{i}].instanceName", f"Instance doesn't exist: {name}")
                )
            known = catalogue["regions"].get(region["name"])
            if known is None:
                errors.append(
                    InvalidField(f"territories[{i}].name", f"Region doesn't exist: {region['name']}")
                )
                continue
            errors += [
                InvalidField(
                    f"territories[{i}].territories[{j}]",
                    f"Territory doesn't exist in region {region['name']}: {t}",
                )
                for j, t in enumerate(region["territories"])
                if t not in known
            ]
        if errors:
            raise ValidationFailed(errors)
        at, by = self._now(), caller.client_id
        previous = {(t["instanceName"], t["name"]): t for t in user["territories"]}
        kept = [t for t in user["territories"] if instance is not None and t["instanceName"] != instance]
        for region in regions:
            where = instance or region["instanceName"]
            entry = records.territory_entry(region["name"], region["territories"], where, at, by)
            old = previous.get((where, region["name"]))
            if old:
                entry.update(createdAt=old["createdAt"], createdBy=old["createdBy"])
            kept = [t for t in kept if (t["instanceName"], t["name"]) != (where, region["name"])] + [entry]
        updated = {
            **user,
            "territories": kept,
            "territorySet": {**user["territorySet"], "updatedAt": at, "updatedBy": by},
        }
        self._put(updated)
        return records.territories_view(updated, instance)

    def get_application_access(self, tenant, user_id):
        return records.application_access_view(self.get_user(tenant, user_id))

    def put_application_access(self, tenant, user_id, body):
        """Create or replace (the docs: "PUT works like Create or Update"); the document keeps its id.
        Instances are named; ids and descriptions in the body are ignored, as the catalogue has them."""
        user = self.get_user(tenant, user_id)
        instances = self._tenants.get(tenant)["instances"]
        errors = [
            InvalidField(f"instanceAccesses[{i}].instanceName", f"Instance doesn't exist: {a['instanceName']}")
            for i, a in enumerate(body["instanceAccesses"])
            if a["instanceName"] not in instances
        ]
        if errors:
            raise ValidationFailed(errors)
        chosen = {a["instanceName"]: a for a in body["instanceAccesses"]}  # a repeated name: the last wins
        access = {
            **user["applicationAccess"],
            "updatedAt": self._now(),
            "adminAccessEnabled": body["adminAccessEnabled"],
            "auditSecurityAccessEnabled": body["auditSecurityAccessEnabled"],
            "instanceAccesses": [
                records.instance_access(
                    instances[name],
                    workshopAccessEnabled=a["workshopAccessEnabled"],
                    auditDataAccessEnabled=a["auditDataAccessEnabled"],
                )
                for name, a in chosen.items()
            ],
        }
        updated = {**user, "applicationAccess": access}
        self._put(updated)
        return records.application_access_view(updated)
