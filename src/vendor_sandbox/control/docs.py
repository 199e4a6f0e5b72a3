"""Each vendor's OpenAPI document and interactive docs, served from the package (offline)."""

from flask import abort, current_app, render_template, request, send_from_directory, url_for
from swagger_ui_bundle import swagger_ui_path

from ..store import namespace_name


def vendor_api(vendor):
    api = current_app.extensions["vendor_sandbox.apis"].get(vendor)
    if api is None:
        abort(404)
    return api


def register(blp):
    @blp.get("/openapi/<vendor>.json")
    def openapi_document(vendor):
        """The vendor's OpenAPI document, generated from the code; its servers keep the path
        the document was fetched under (a /ns/{name}/ namespace), so "Try it out" stays there."""
        document = vendor_api(vendor).spec.to_dict()
        if request.script_root:
            document = {**document, "servers": [{**server, "url": request.script_root + server["url"]}
                                                 for server in document.get("servers", [])]}
        return document

    @blp.get("/docs/<vendor>")
    def docs(vendor):
        """Swagger UI for one vendor; "Try it out" calls this sandbox."""
        api = vendor_api(vendor)
        return render_template("docs.html", title=api.title, namespace=namespace_name(from_query=True),
                               spec_url=url_for("sandbox.openapi_document", vendor=vendor))

    @blp.get("/assets/swagger-ui/<path:filename>")
    def swagger_ui_asset(filename):
        return send_from_directory(swagger_ui_path, filename, max_age=3600)
