"""Shared flask-smorest machinery: one Api (one OpenAPI document) per vendor."""

from flask_smorest import Api, Blueprint
from flask_smorest.spec.plugins import FlaskPlugin
from webargs.flaskparser import FlaskParser


class PrefixedFlaskPlugin(FlaskPlugin):
    """Paths relative to the vendor's base URL, as in the vendor's own documents."""

    def __init__(self, prefix):
        super().__init__()
        self.prefix = prefix

    def path_helper(self, rule, operations, parameters, **kwargs):
        path = super().path_helper(rule, operations, parameters, **kwargs)
        return path.removeprefix(self.prefix) or "/"


class VendorApi(Api):
    """An Api whose document lists its paths under `servers: [{url: base}]`.

    Subclasses set ERROR_SCHEMA to the vendor's error shape.
    """

    def __init__(self, app, *, name, base_url, title, version, description="", security_schemes=None):
        self.base_url = base_url
        security_schemes = security_schemes or {}
        super().__init__(
            app,
            config_prefix=name,
            spec_kwargs={
                "title": title,
                "version": version,
                "openapi_version": "3.0.3",
                "info": {"description": description},
                "servers": [{"url": base_url, "description": "vendor-sandbox"}],
                "flask_plugin": PrefixedFlaskPlugin(base_url),
                "security": [{name: []} for name in security_schemes],
            },
        )
        for scheme_name, scheme in security_schemes.items():
            self.spec.components.security_scheme(scheme_name, scheme)


class VendorParser(FlaskParser):
    """Vendors answer 400, not webargs' 422, to a request that fails validation."""

    DEFAULT_VALIDATION_STATUS = 400


class VendorBlueprint(Blueprint):
    ARGUMENTS_PARSER = VendorParser()
