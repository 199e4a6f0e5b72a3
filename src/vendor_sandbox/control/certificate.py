"""GET /_sandbox/ca.pem: the local CA's certificate, for clients to trust (never its key)."""

from flask import Response, current_app

from ..front import get_front


def register(blp, open_endpoints):
    @blp.get("/ca.pem")
    def ca_certificate():
        """The CA that signs the TLS port's and the proxy's certificates (PEM)."""
        pem = get_front(current_app).ca.pem()
        return Response(
            pem,
            mimetype="application/x-pem-file",
            headers={"Content-Disposition": 'attachment; filename="vendor-sandbox-ca.pem"'},
        )

    # a public certificate neither changes nor reveals state: open with an admin token set
    open_endpoints.add("sandbox.ca_certificate")
