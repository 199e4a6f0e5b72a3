"""The hostname way in, for one process: the vendors' names resolve to the sandbox's TLS port, as an
/etc/hosts line and a published 443 would, and every other name fails (never real DNS).

Python imports this module at start-up when its folder is on PYTHONPATH; the client code stays as it is.
SANDBOX_RESOLVE="app.hipp.health,us.api.nabla.com=127.0.0.1:8443"
"""

import os
import socket

_names, _, _target = os.environ.get("SANDBOX_RESOLVE", "").partition("=")
if _target:
    _hosts = set(_names.split(","))
    _address, _, _port = _target.rpartition(":")
    _loopback = {"127.0.0.1", "localhost", "::1"}
    _getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name in _hosts:
            return _getaddrinfo(_address, int(_port), *args, **kwargs)
        if name in _loopback:
            return _getaddrinfo(host, port, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, f"{name} is not resolved inside this test")

    socket.getaddrinfo = getaddrinfo
