"""The kinds of Redis the shared store runs on, each a real server on loopback: Debian's redis-server
speaking TLS only (rediss://, its certificate checked against the CA named in the URL), an ACL user
limited to the sandbox's keys (the rules README.md gives, under the contract checks), a wrong password
refused at startup in one redacted line, and Valkey under the store's own suites (the collection's and
the workers')."""

import datetime
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from vendor_sandbox import create_app
from vendor_sandbox.front.ca import CertificateAuthority
from vendor_sandbox.server import ThreadedServer

from ..contract.conftest import FROZEN_AT, Live
from ..contract.test_schemathesis import test_hipp, test_nabla, test_welkin, test_zus  # noqa: F401
from ..live import LiveServer, console_script
from ..redisserver import RedisServer
from ..reliability.conftest import LiveHttp, login, vendor_shaped
from ..test_startup_errors import one_line
from ..test_startup_errors import serve as serve_failing
from .conftest import FROZEN, serve
from .test_collection import (  # noqa: F401  (on Valkey: the module's redis_server below)
    pair,
    test_a_fresh_collection_reads_the_base,
    test_exactly_one_of_many_clients_wins_a_claim,
    test_load_replaces_the_base_too,
    test_random_operations_give_the_same_answers,
)
from .test_contract_redis import vendor_headers  # noqa: F401
from .test_outage import PROBES
from .test_workers import (  # noqa: F401
    test_a_sequential_run_gives_the_same_ids_on_two_fresh_databases,
    test_every_worker_sees_every_write,
)

USER, PASSWORD, ADMIN_PASSWORD = "vendor-sandbox", "pa$s/w:rd@1", "admin-only-secret"
# The rules README.md's "Shared store" section gives the sandbox's user, read from it, so that what
# these tests prove is what users are told: every key it writes is under vs:, it publishes nothing,
# and its scripts, UNLINK, MULTI/EXEC, SELECT and TIME are all outside @dangerous (FLUSH*, KEYS ...).
README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
ACL_RULES = re.search(r"`ACL SETUSER vendor-sandbox ([^`]+)`", README).group(1).replace(
    ">PASSWORD", f">{PASSWORD}").split()
HIPP_USER = {"firstName": "Tls", "lastName": "User", "email": "tls@example.com", "role": "PATIENT"}


def write(path, data, private=False):
    path.write_bytes(data)
    if private:
        path.chmod(0o600)
    return path


def client_certificate(authority, folder):
    """(certificate, key) files of a leaf for TLS client authentication, signed by `authority`
    (CertificateAuthority.issue makes server leaves, which Redis refuses from a client)."""
    ca_cert, ca_key = authority.ensure()
    key = ec.generate_private_key(ec.SECP256R1())
    now, hour = datetime.datetime.now(datetime.UTC), datetime.timedelta(hours=1)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, USER)]))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - hour).not_valid_after(now + hour)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return (write(folder / "client.pem", cert.public_bytes(serialization.Encoding.PEM)),
            write(folder / "client-key.pem", key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
                private=True))


class TlsRedis(RedisServer):
    """A server (redis-server unless `binary`) with TLS only (`--port 0`), presenting a leaf that
    `authority` signs for `names`; its default user needs ADMIN_PASSWORD. A client certificate is
    asked for only with `client_certificates` (managed Redis mostly checks none: the sandbox
    checks the server); the test's own admin connection then presents one."""

    def __init__(self, folder, authority, names=("127.0.0.1",), binary=None, client_certificates=False):
        super().__init__(password=ADMIN_PASSWORD)
        self.binary = binary or self.binary
        leaf, key = authority.issue(list(names))
        self.cert = write(folder / "redis.pem", leaf)
        self.key = write(folder / "redis-key.pem", key, private=True)
        self.ca = authority.ca_path
        self.client_certificates = client_certificates
        self.client_cert, self.client_key = client_certificate(authority, folder)

    def start(self):
        command = [self.binary, "--port", "0", "--tls-port", str(self.port), "--bind", "127.0.0.1",
                   "--dir", self.dir, "--save", "", "--appendonly", "no", "--databases", "64",
                   "--tls-cert-file", str(self.cert), "--tls-key-file", str(self.key),
                   "--tls-ca-cert-file", str(self.ca),
                   "--tls-auth-clients", "yes" if self.client_certificates else "no",
                   "--requirepass", self.password]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                self.client().ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise TimeoutError(f"{self.binary} did not start with TLS")

    def url(self, db=0, user="", password=ADMIN_PASSWORD, ca=None):
        auth = f"{quote(user, safe='')}:{quote(password, safe='')}@" if password else ""
        return f"rediss://{auth}127.0.0.1:{self.port}/{db}?ssl_ca_certs={ca or self.ca}"

    def client(self, db=0):
        """The test's own admin connection: the default user, no host name check (the sandbox's
        URL never turns it off)."""
        return redis.Redis.from_url(self.url(db) + "&ssl_check_hostname=false" + self.client_query())

    def client_query(self):
        """What the URL adds to present the client certificate."""
        return f"&ssl_certfile={self.client_cert}&ssl_keyfile={self.client_key}"

    def sandbox_url(self, db, ca=None, password=PASSWORD):
        """The URL the sandbox is given: the ACL user, the CA it checks the server with, and the
        client certificate if the server asks for one."""
        return self.url(db, user=USER, password=password, ca=ca) + (
            self.client_query() if self.client_certificates else "")

    def add_sandbox_user(self):
        self.client().execute_command("ACL", "SETUSER", USER, *ACL_RULES)
        return self


def refused(admin):
    """What ACL LOG holds besides the wrong password test's failed logins: commands or keys refused."""
    entries = [{k.decode(): v for k, v in entry.items() if k in (b"reason", b"object", b"username")}
               for entry in admin.execute_command("ACL", "LOG")]
    return [e for e in entries if e != {"reason": b"auth", "object": b"HELLO", "username": USER.encode()}]


def redacted_url(server, db):
    """How health and messages show server.sandbox_url(db)."""
    return server.sandbox_url(db).replace(f":{quote(PASSWORD, safe='')}@", ":***@")


@pytest.fixture(scope="module")
def authority(tmp_path_factory):
    return CertificateAuthority(tmp_path_factory.mktemp("redis-ca"))


@pytest.fixture(scope="module")
def tls_redis(authority, tmp_path_factory):
    server = TlsRedis(tmp_path_factory.mktemp("redis-tls"), authority).start().add_sandbox_user()
    yield server
    try:  # after every test of this module that used it (the contract checks too): nothing refused
        assert refused(server.client(0)) == []
    finally:
        server.cleanup()


@pytest.fixture(scope="module")
def tls_valkey(authority, tmp_path_factory):
    server = TlsRedis(tmp_path_factory.mktemp("valkey-tls"), authority, binary=valkey_binary())
    yield server.start().add_sandbox_user()
    server.cleanup()


@pytest.fixture(scope="module")
def mtls_redis(authority, tmp_path_factory):
    server = TlsRedis(tmp_path_factory.mktemp("redis-mtls"), authority, client_certificates=True)
    yield server.start().add_sandbox_user()
    server.cleanup()


@pytest.mark.parametrize("kind", ["tls_redis", "tls_valkey", "mtls_redis"])
def test_a_sandbox_on_rediss_as_an_acl_user_creates_and_reads_back(kind, request):
    tls_redis = request.getfixturevalue(kind)
    server = serve(tls_redis.sandbox_url(3), workers=2)
    try:
        http = LiveHttp(server.url)
        health = http.request("GET", "/_sandbox/health")
        assert (health.status, health.json["store"]) == (200, {
            "kind": "redis", "url": redacted_url(tls_redis, 3), "reachable": True})
        logins = login(http)
        created = http.request("POST", "/hipp/api/v1/users", headers=logins["hipp"], body=HIPP_USER)
        assert created.status == 200, created.text
        public_id = created.json["user"]["publicId"]
        path = f"/hipp/api/v1/users/{public_id}"
        # over new connections: both workers, each on its own TLS connections to Redis
        reads = [LiveHttp(server.url).request("GET", path, headers=logins["hipp"]) for _ in range(4)]
        assert [read.status for read in reads] == [200] * 4
        assert all(read.json == reads[0].json for read in reads)
        assert {k: reads[0].json[k] for k in ("publicId", "firstName", "lastName", "role")} == {
            "publicId": public_id, "firstName": "Tls", "lastName": "User", "role": "PATIENT"}
        admin = tls_redis.client(3)
        assert admin.exists("vs:fingerprint") == 1
        # the workers' connections to database 3 are the ACL user's (the rest are the admin's)
        assert {c["user"] for c in admin.client_list() if c["db"] == "3" and c["user"] != "default"} == {USER}
        assert PASSWORD not in server.output() and quote(PASSWORD, safe="") not in server.output()
        assert refused(admin) == []
    finally:
        server.stop()


@pytest.fixture(scope="module")
def other_authority(tmp_path_factory):
    other = CertificateAuthority(tmp_path_factory.mktemp("other-ca"))
    other.ensure()
    return other


@pytest.fixture(scope="module")
def misnamed_redis(authority, tmp_path_factory):
    """Signed by the CA the sandbox is given, for a name that is not the host it dials."""
    server = TlsRedis(tmp_path_factory.mktemp("redis-misnamed"), authority, names=["redis.internal"])
    yield server.start().add_sandbox_user()
    server.cleanup()


def serve_unready(url):
    """`serve --store URL`, once it answers health (with any status)."""
    server = LiveServer([*console_script(), "serve", "--store", url], env={"SANDBOX_FROZEN_CLOCK": FROZEN})
    deadline = time.monotonic() + 20
    while True:
        try:
            server.request("GET", "/_sandbox/health")
            return server
        except OSError:
            if server.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not answer: {server.output()}") from None
            time.sleep(0.05)


VERIFY_FAILED = "CERTIFICATE_VERIFY_FAILED"
BAD_CERTIFICATES = {  # (server, the URL the sandbox is given, what its startup log says: a pattern)
    "signed by another CA": ("tls_redis", lambda tls, other: tls.sandbox_url(6, ca=other.ca_path),
                             VERIFY_FAILED),
    "no CA given: the system's": ("tls_redis", lambda tls, other: tls.sandbox_url(6).partition("?")[0],
                                  VERIFY_FAILED),
    "for another host name": ("misnamed_redis", lambda tls, other: tls.sandbox_url(6), VERIFY_FAILED),
    "no client certificate, which Redis asks for": (
        "mtls_redis", lambda tls, other: tls.url(6, user=USER, password=PASSWORD),
        # TLS 1.3: the server's alert may come after the client's first write went out
        "CERTIFICATE_REQUIRED|EOF occurred in violation of protocol"),
}


@pytest.mark.parametrize("case", list(BAD_CERTIFICATES))
def test_a_certificate_the_sandbox_cannot_verify_is_each_vendors_503(case, other_authority, request):
    kind, make_url, logged = BAD_CERTIFICATES[case]
    redis_server = request.getfixturevalue(kind)
    url = make_url(redis_server, other_authority)
    server = serve_unready(url)
    try:
        for door, method, path in PROBES:
            headers = {"Authorization": "Bearer not-checked"}
            reply = LiveHttp(server.url).request(method, path, headers=headers)
            assert reply.status == 503, (path, reply.text)
            assert reply.headers["Content-Type"].startswith("application/"), path
            assert vendor_shaped(path, reply), (path, reply.text)
        health = LiveHttp(server.url).request("GET", "/_sandbox/health")
        shown = url.replace(f":{quote(PASSWORD, safe='')}@", ":***@")
        assert (health.status, health.json["status"], health.json["store"]) == (503, "unavailable", {
            "kind": "redis", "url": shown, "reachable": False})
        output = server.output()
        assert f"redis at {shown} unreachable at start" in output and re.search(logged, output), output
        assert quote(PASSWORD, safe="") not in output
        assert redis_server.client(6).dbsize() == 0  # nothing was written past the refused handshake
    finally:
        server.stop()


WRONG = "wr0ng-pass"
BAD_URLS = {  # (URL, the one line serve answers): what no retry mends is refused at startup
    "wrong password, ACL user": (
        lambda tls, plain: tls.sandbox_url(7, password=WRONG),
        lambda tls, plain: f"{redacted_url(tls, 7)} refused the user name or password in the URL: "
                           "invalid username-password pair or user is disabled."),
    "wrong password, requirepass": (
        lambda tls, plain: f"redis://:{WRONG}@127.0.0.1:{plain.port}/7",
        lambda tls, plain: f"redis://:***@127.0.0.1:{plain.port}/7 refused the user name or password in the "
                           "URL: invalid username-password pair or user is disabled."),
    "a CA file that is not there": (
        lambda tls, plain: tls.sandbox_url(7, ca="/nonexistent/ca.pem"),
        lambda tls, plain: f"{redacted_url(tls, 7).replace(str(tls.ca), '/nonexistent/ca.pem')}: "
                           "ssl_ca_certs /nonexistent/ca.pem does not exist"),
    "an option redis-py does not take": (
        lambda tls, plain: tls.sandbox_url(7).replace("ssl_ca_certs", "ssl_ca_cert"),
        lambda tls, plain: f"{redacted_url(tls, 7).replace('ssl_ca_certs', 'ssl_ca_cert')} cannot be used: "
                           "AbstractConnection.__init__() got an unexpected keyword argument 'ssl_ca_cert'"),
}


@pytest.fixture(scope="module")
def plain_redis():
    server = RedisServer(password=ADMIN_PASSWORD).start()
    yield server
    server.cleanup()


@pytest.mark.parametrize("case", list(BAD_URLS))
def test_a_url_no_retry_can_mend_is_one_redacted_line_at_startup(case, tls_redis, plain_redis):
    url, message = (make(tls_redis, plain_redis) for make in BAD_URLS[case])
    code, stderr = serve_failing("--store", url)
    assert (code, one_line(stderr)) == (1, f"Error: {message}")
    assert WRONG not in stderr and quote(PASSWORD, safe="") not in stderr and PASSWORD not in stderr


def valkey_binary():
    """valkey-server's path; missing, the test fails in CI (as for redis-server) and skips elsewhere."""
    found = shutil.which("valkey-server")
    if found:
        return found
    message = ("valkey-server is not installed "
               "(Debian 12: apt-get install -t bookworm-backports valkey-server)")
    if os.environ.get("CI") or os.environ.get("SANDBOX_REQUIRE_REDIS"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def redis_server():
    """Valkey, in place of the session's redis-server, for the collection's and workers' tests
    imported above (the tests of this file that need Redis itself start their own)."""
    server = RedisServer()
    server.binary = valkey_binary()
    yield server.start()
    server.cleanup()


def test_the_store_suites_here_run_on_valkey(redis_server):
    info = redis_server.client().info("server")
    assert info["server_name"] == "valkey" and int(str(info["valkey_version"]).split(".")[0]) >= 7


CONTRACT_DATABASE = 50


@pytest.fixture(scope="module")
def live(tls_redis):
    """The contract checks imported above, over rediss:// as the ACL user: a command the rules
    forbid would be a 500, which the checks refuse."""
    url = tls_redis.sandbox_url(CONTRACT_DATABASE)
    app = create_app({"FROZEN_CLOCK": FROZEN_AT, "SEED": 0, "STORE_URL": url})
    with ThreadedServer(app) as server:
        yield Live(server.url)


def test_the_acl_user_was_refused_nothing(live, tls_redis):
    """The sandbox's own traffic as the ACL user (a create, a read, a listing, a journal read)
    is refused nothing; tls_redis checks again when every test that used it is done."""
    admin = tls_redis.client(CONTRACT_DATABASE)
    http = LiveHttp(live.url)
    hipp = {"Authorization": "Bearer your-api-key", "Content-Type": "application/json",
            "X-Sandbox-Namespace": "acl-probe"}
    body = {"firstName": "Acl", "lastName": "Probe", "email": "acl-probe@example.com", "role": "PATIENT"}
    created = http.request("POST", "/hipp/api/v1/users", headers=hipp, body=body)
    assert created.status == 200, created.text
    assert http.request("GET", f"/hipp/api/v1/users/{created.json['user']['publicId']}", headers=hipp).status == 200
    assert http.request("GET", "/hipp/api/v1/users?search=acl-probe", headers=hipp).status == 200
    assert http.request("GET", "/_sandbox/requests", headers={"X-Sandbox-Namespace": "acl-probe"}).status == 200
    assert admin.llen("vs:{acl-probe}:journal") == 3
    assert refused(admin) == []


def test_a_user_the_acl_refuses_is_each_vendors_503(redis_server):
    """An ACL user without the scripting the store needs: each vendor's 503 (never a 500), nothing
    written but the database's claim at start."""
    admin = redis.Redis.from_url(redis_server.url(0))
    admin.execute_command("ACL", "SETUSER", "no-scripts", "on", ">no-scripts-pw", "resetkeys", "~vs:*",
                          "+@all", "-@scripting", "-@dangerous")
    try:
        db = 41
        redis.Redis.from_url(redis_server.url(db)).flushdb()
        url = redis_server.url(db).replace("redis://", "redis://no-scripts:no-scripts-pw@")
        client = create_app({"STORE_URL": url, "FROZEN_CLOCK": FROZEN}).test_client()
        for _door, method, path in PROBES:
            reply = client.open(path, method=method, headers={"Authorization": "Bearer not-checked"})
            assert reply.status_code == 503, (path, reply.get_data(as_text=True))
            assert reply.headers["Content-Type"].startswith("application/"), path
        assert redis.Redis.from_url(redis_server.url(db)).keys() == [b"vs:fingerprint"]  # claimed at start
    finally:
        admin.execute_command("ACL", "DELUSER", "no-scripts")
