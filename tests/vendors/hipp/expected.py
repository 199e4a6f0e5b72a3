"""What Hipp's documents say the wire looks like: bodies, users and zod issues to compare against."""

import re

BASE = "/hipp/api"  # stands for https://app.hipp.health/api

# Hipp's create doc example, and the second organization of fixtures/hipp/organizations.json.
EXAMPLE_ORG = {"name": "Example Organization", "publicId": "org_abc123def456"}
RIVERSIDE_ORG = {"name": "Riverside Clinic", "publicId": "org_rvs7k2m9q4x1"}

# Hipp's create doc ("Assignable roles") and the UserRole enum of its OpenAPI, in doc order.
ASSIGNABLE_ROLES = (
    "ADMIN", "BILLING_MANAGER", "SCHEDULING_MANAGER", "CLINICIAN", "TECHNICIAN",
    "PATIENT", "CAREGIVER", "CLINICAL_ADMIN", "PAYROLL_ADMIN",
)
ALL_ROLES = (
    "ADMIN", "BILLING_MANAGER", "SCHEDULING_MANAGER", "CLINICIAN", "TECHNICIAN",
    "PATIENT", "CAREGIVER", "HIPP_ADMIN", "HIPP_BILLING_MANAGER", "CLINICAL_ADMIN",
    "PAYROLL_ADMIN", "CLINICAL_SUPERADMIN",
)

# The clock is frozen at 2025-01-15T10:30:00Z (tests/conftest.py): Date.toISOString() and Date.now().
CREATED_AT = "2025-01-15T10:30:00.000Z"
PUBLIC_ID_RE = re.compile(r"^usr_\d{13}_[a-z0-9]{9}$")
FROZEN_PUBLIC_ID_RE = re.compile(r"^usr_1736937000000_[a-z0-9]{9}$")

ACCESS_DENIED = {"error": "Access denied"}
NOT_FOUND = {"error": "Resource not found"}


class Matching:
    """Equal to any string the regex matches, so a whole body can be compared with ==."""

    def __init__(self, regex):
        self.regex = regex

    def __eq__(self, other):
        return isinstance(other, str) and bool(self.regex.match(other))

    def __repr__(self):
        return f"<str matching {self.regex.pattern}>"


NEW_PUBLIC_ID = Matching(FROZEN_PUBLIC_ID_RE)


def created(firstName, lastName, email=None, role="TECHNICIAN", phoneNumber=None, npiNumber=None,
            shouldSendSMS=False, organization=EXAMPLE_ORG):
    """The 200 body of POST /v1/users (CreatedUser: unset nullable fields are null, no demographics)."""
    return {
        "message": "User created successfully",
        "user": {
            "publicId": NEW_PUBLIC_ID,
            "firstName": firstName,
            "lastName": lastName,
            "email": email,
            "role": role,
            "phoneNumber": phoneNumber,
            "npiNumber": npiNumber,
            "shouldSendSMS": shouldSendSMS,
            "createdAt": CREATED_AT,
            "organization": organization,
        },
    }


def listed(publicId, firstName, lastName, role, *, sex=None, caregiverId=None, birthDate=None,
           addressLine1=None, addressLine2=None, city=None, state=None, postalCode=None):
    """A user as list and get-by-id return it: demographics, no contact details."""
    return {
        "publicId": publicId,
        "firstName": firstName,
        "lastName": lastName,
        "sex": sex,
        "caregiverId": caregiverId,
        "role": role,
        "birthDate": birthDate,
        "addressLine1": addressLine1,
        "addressLine2": addressLine2,
        "city": city,
        "state": state,
        "postalCode": postalCode,
    }


def page_of(data, *, page=1, pageSize=25, totalCount, totalPages):
    return {"data": data, "pagination": {"page": page, "pageSize": pageSize,
                                         "totalCount": totalCount, "totalPages": totalPages}}


# The example of Hipp's "Get All Users" and "Get User By Id" pages, verbatim.
DOC_USER = {
    "publicId": "usr_1234567890_abc123def",
    "firstName": "John",
    "lastName": "Doe",
    "sex": "MALE",
    "caregiverId": None,
    "role": "PATIENT",
    "birthDate": "1990-01-15",
    "addressLine1": "123 Main St",
    "addressLine2": "Apt 4B",
    "city": "New York",
    "state": "NY",
    "postalCode": "10001",
}

HIPP_ADMIN_ID = "usr_1704906000000_h1p2a3d4m"  # "Hipp Support", a HIPP_ADMIN of Example Organization
RIVERSIDE_JANE_ID = "usr_1706749200000_j2s3m4i5t"  # jane.smith@example.com, of Riverside Clinic

# fixtures/hipp/users.json: the visible users of Example Organization, newest first (12; HIPP_ADMIN hidden).
EXAMPLE_ORG_USERS = [
    DOC_USER,
    listed("usr_1704920400000_s1i2m3o4n", "Simone", "Laurent", "CLINICAL_SUPERADMIN", sex="FEMALE"),
    listed("usr_1704916800000_p5o4l3s2n", "Peter", "Olsen", "PAYROLL_ADMIN", sex="MALE"),
    listed("usr_1704913200000_c9a8r7l6d", "Carla", "Diaz", "CLINICAL_ADMIN", sex="FEMALE"),
    listed("usr_1704909600000_h5b6i7l8g", "Hipp", "Billing", "HIPP_BILLING_MANAGER"),
    listed("usr_1704902400000_p2a3u4l5k", "Paul", "Kim", "PATIENT", sex="MALE",
           caregiverId="usr_1704898800000_g4k5i6m7c", birthDate="1958-11-23",
           addressLine1="48 Orchard Lane", city="Hoboken", state="NJ", postalCode="07030"),
    listed("usr_1704898800000_g4k5i6m7c", "Grace", "Kim", "CAREGIVER", sex="FEMALE", birthDate="1962-07-09",
           addressLine1="48 Orchard Lane", city="Hoboken", state="NJ", postalCode="07030"),
    listed("usr_1704895200000_t9l8o7p6e", "Tomas", "Lopez", "TECHNICIAN", sex="MALE"),
    listed("usr_1704891600000_c1n2g3u4y", "Christine", "Nguyen", "CLINICIAN", sex="FEMALE",
           city="New York", state="NY", postalCode="10016"),
    listed("usr_1704888000000_s5d6f7g8h", "Samir", "Patel", "SCHEDULING_MANAGER", sex="MALE"),
    listed("usr_1704884400000_b7q2w8e4r", "Bianca", "Reyes", "BILLING_MANAGER", sex="FEMALE"),
    listed("usr_1704880800000_k3v9x2m1a", "Alice", "Morgan", "ADMIN", sex="FEMALE"),
]
EXAMPLE_ORG_COUNT = len(EXAMPLE_ORG_USERS)

# Riverside Clinic, newest first.
RIVERSIDE_USERS = [
    listed("usr_1706752800000_r6m7o8r9e", "Rita", "Moreno", "PATIENT", sex="FEMALE", birthDate="1985-04-02",
           addressLine1="9 River Rd", city="Portland", state="OR", postalCode="97205"),
    listed(RIVERSIDE_JANE_ID, "Jane", "Smith", "CLINICIAN", sex="FEMALE",
           city="Portland", state="OR", postalCode="97201"),
    listed("usr_1706745600000_o8g7r6a5n", "Oliver", "Grant", "ADMIN", sex="MALE"),
]


def error_id(value):
    """pytest ids for expected bodies: their error text instead of body0, body1..."""
    return value["error"].replace(" ", "_") if isinstance(value, dict) and "error" in value else None


def ids(body):
    return [user["publicId"] for user in body["data"]]


# ---- zod v3 issues, with exactly the keys zod emits -------------------------------------------

def validation_error(*issues):
    return {"error": "Validation error", "details": list(issues)}


def required(*path):
    return {"code": "invalid_type", "expected": "string", "received": "undefined",
            "path": list(path), "message": "Required"}


def wrong_type(expected, received, *path):
    return {"code": "invalid_type", "expected": expected, "received": received,
            "path": list(path), "message": f"Expected {expected}, received {received}"}


def empty_string(*path):
    return {"code": "too_small", "minimum": 1, "type": "string", "inclusive": True, "exact": False,
            "message": "String must contain at least 1 character(s)", "path": list(path)}


def number_too_small(*path):
    return {"code": "too_small", "minimum": 1, "type": "number", "inclusive": True, "exact": False,
            "message": "Number must be greater than or equal to 1", "path": list(path)}


def number_too_big(*path):
    return {"code": "too_big", "maximum": 100, "type": "number", "inclusive": True, "exact": False,
            "message": "Number must be less than or equal to 100", "path": list(path)}


def not_an_integer(*path):
    return {"code": "invalid_type", "expected": "integer", "received": "float",
            "path": list(path), "message": "Expected integer, received float"}


EMAIL_ISSUE = {"validation": "email", "code": "invalid_string",
               "message": "Valid email is required", "path": ["email"]}
EMAIL_TAKEN = {"code": "custom", "message": "Email already exists", "path": ["email"]}
PUBLIC_ID_ISSUE = {"validation": "regex", "code": "invalid_string",
                   "message": "Invalid publicId format", "path": ["publicId"]}
SORT_ISSUE = {"validation": "regex", "code": "invalid_string",
              "message": "Invalid sort parameter", "path": ["sort"]}


def datetime_issue(*path):
    return {"code": "invalid_string", "validation": "datetime", "message": "Invalid datetime",
            "path": list(path)}


def _joined(options):
    return " | ".join(f"'{option}'" for option in options)


def enum_issue(received, options=ASSIGNABLE_ROLES, path=("role",)):
    return {"code": "invalid_enum_value", "options": list(options), "received": received, "path": list(path),
            "message": f"Invalid enum value. Expected {_joined(options)}, received '{received}'"}


def role_type(received):
    """z.enum([...]) given a non-string: invalid_type against the joined options."""
    expected = _joined(ASSIGNABLE_ROLES)
    return {"code": "invalid_type", "expected": expected, "received": received, "path": ["role"],
            "message": f"Expected {expected}, received {received}"}


def body_type(received):
    """z.object({...}) given a JSON value that is not an object (or no value at all)."""
    message = "Required" if received == "undefined" else f"Expected object, received {received}"
    return {"code": "invalid_type", "expected": "object", "received": received, "path": [],
            "message": message}
