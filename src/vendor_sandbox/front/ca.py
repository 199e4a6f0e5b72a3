"""The sandbox's own certificate authority: made once in the data directory, trusted once.

The CA (a P-256 key, ten years) is created on first use and kept, so that a client that
trusts `ca.pem` keeps trusting every later run. The leaf that the TLS port and the proxy
present is signed afresh at each start for the names of that run (it is cheap and its
names depend on the bound host); only the CA must stay the same.
"""

import contextlib
import datetime
import ipaddress
import os
import ssl
import tempfile
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

CA_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"
CA_NAME = "vendor-sandbox local CA"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
CA_DAYS = 3650
LEAF_DAYS = 397  # the longest lifetime browsers and Apple's TLS stack accept for a leaf
_create_lock = threading.Lock()


def default_data_dir():
    """The user's data directory, as XDG (Linux), macOS and Windows place it."""
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif os.uname().sysname == "Darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "vendor-sandbox"


class CertificateAuthority:
    """The CA kept in `data_dir` (created on first use); `ca_path`, `leaf_context(names)`."""

    def __init__(self, data_dir=None):
        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        self.ca_path = self.data_dir / CA_FILE
        self._key_path = self.data_dir / CA_KEY_FILE
        self._loaded = None

    def ensure(self):
        """(certificate, key), made and written on first use, read back afterwards."""
        if self._loaded is None:
            with _create_lock, self._file_lock():
                if not self.ca_path.exists() or not self._key_path.exists():
                    self._create()
                cert = x509.load_pem_x509_certificate(self.ca_path.read_bytes())
                key = serialization.load_pem_private_key(self._key_path.read_bytes(), password=None)
                self._loaded = cert, key
        return self._loaded

    @contextlib.contextmanager
    def _file_lock(self):
        """Across processes (several servers started at once on one data directory): without it
        two could each write a key and the other's certificate could end up beside it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if fcntl is None:  # Windows: one process at a time is the user's to ensure
            yield
            return
        with open(self.data_dir / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def pem(self):
        """The CA certificate, PEM (never the key)."""
        self.ensure()
        return self.ca_path.read_bytes()

    def _create(self):
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "vendor-sandbox"),
            ]
        )
        now = _now()
        public = key.public_key()
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=CA_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(key, hashes.SHA256())
        )
        # the key first, readable by its owner only, then the certificate that names it: a
        # crash in between leaves no certificate without its key
        _write_private(
            self._key_path,
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
        )
        self.ca_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))

    def issue(self, names):
        """(leaf certificate PEM, key PEM) for `names` (DNS names and IP addresses)."""
        ca_cert, ca_key = self.ensure()
        key = ec.generate_private_key(ec.SECP256R1())
        names = list(dict.fromkeys(n for n in names if n))
        now = _now()
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(min(now + datetime.timedelta(days=LEAF_DAYS), ca_cert.not_valid_after_utc))
            .add_extension(x509.SubjectAlternativeName([_general_name(n) for n in names]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
            )
            .sign(ca_key, hashes.SHA256())
        )
        return (
            cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
        )

    def server_context(self, names):
        """An ssl.SSLContext presenting a fresh leaf for `names`, chained to the CA."""
        leaf, key = self.issue(names)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.set_alpn_protocols(["http/1.1"])  # no HTTP/2: waitress speaks HTTP/1.1
        # load_cert_chain reads files only: a private temporary directory holds them for the call
        with tempfile.TemporaryDirectory(prefix="vendor-sandbox-tls-") as folder:
            chain, key_file = Path(folder, "leaf.pem"), Path(folder, "leaf-key.pem")
            chain.write_bytes(leaf + self.pem())
            _write_private(key_file, key)
            context.load_cert_chain(chain, key_file)
        return context


def leaf_names(host=None, vendors=(), extra=()):
    """Every name the leaf must carry: loopback, the bound host, each vendor's real hostnames."""
    names = list(LOOPBACK_NAMES)
    if host and host not in ("0.0.0.0", "::", ""):
        names.append(host.strip("[]"))
    names.extend(extra)
    for vendor in vendors:
        names.extend(vendor.HOSTNAMES)
    return list(dict.fromkeys(names))


def _key_usage(**granted):
    """Digital signatures (what an ECDSA key does in TLS), plus `granted`; nothing else."""
    flags = dict.fromkeys(("content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
                           "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"), False)
    return x509.KeyUsage(digital_signature=True, **{**flags, **granted})


def _general_name(name):
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def _write_private(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)


def _now():
    return datetime.datetime.now(datetime.UTC)
