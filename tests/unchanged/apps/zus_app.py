"""An application's Zus integration: an M2M token from Zus's Auth0 tenant through Authlib's OAuth 2.0
client-credentials flow (audience: the API base URL, as such code derives it), one page of the Auth
Service's users through that OAuth session, then a FHIR client (fhirpy) writing, reading and searching a
Practitioner. Configured only by its environment:
ZUS_AUTH_URL (default https://zus-sandbox.us.auth0.com), ZUS_API_URL (default
https://api.sandbox.zusapi.com), ZUS_CLIENT_ID, ZUS_CLIENT_SECRET. Prints what it saw as JSON."""

import json
import os

from authlib.integrations.requests_client import OAuth2Session
from fhirpy import SyncFHIRClient

AUTH = os.environ.get("ZUS_AUTH_URL", "https://zus-sandbox.us.auth0.com")
API = os.environ.get("ZUS_API_URL", "https://api.sandbox.zusapi.com")

oauth = OAuth2Session(os.environ["ZUS_CLIENT_ID"], os.environ["ZUS_CLIENT_SECRET"])
token = oauth.fetch_token(f"{AUTH}/oauth/token", grant_type="client_credentials", audience=API)
users = oauth.get(
    f"{API}/auth/users", params={"page[size]": "1"}, headers={"Accept": "application/vnd.api+json"}
)
fhir = SyncFHIRClient(f"{API}/fhir", authorization=f"Bearer {token['access_token']}")
practitioner = fhir.resource(
    "Practitioner",
    name=[{"family": "Unchanged", "given": ["Ada"]}],
    identifier=[{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}],
)
practitioner.save()
read = fhir.reference("Practitioner", practitioner.id).to_resource()
found = fhir.resources("Practitioner").search(family="Unchanged").fetch_all()
print(
    json.dumps(
        {
            "token": {k: token[k] for k in ("token_type", "expires_in", "scope") if k in token},
            "users": [users.status_code, users.json()],
            "created": practitioner.serialize(),
            "read": read.serialize(),
            "found": [p.serialize() for p in found],
        }
    )
)
