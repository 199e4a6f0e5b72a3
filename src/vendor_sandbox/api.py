"""Shared flask-smorest machinery: one Api (one OpenAPI document) per vendor."""

import threading

import marshmallow
from flask_smorest import Api, Blueprint
from flask_smorest.spec import openapi_cli
from flask_smorest.spec.plugins import FlaskPlugin
from flask_smorest.utils import PrefixedMappingProxy
from webargs.flaskparser import FlaskParser


class Schema(marshmallow.Schema):
    """The base of every vendor's wire shapes.

    flask-smorest deep-copies a view's doc info at every decorator, schema instances
    included; a schema is never changed after it is built, so a copy may be itself. This
    keeps app start-up from spending its time copying fields.
    """

    def __deepcopy__(self, memo):
        return self


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

    The document is built on first use of `spec` (the docs, `vendor-sandbox openapi`), not in
    create_app: building four of them was most of the time a server took to become ready.
    Whatever documents the API goes through `register_blueprint` and `document`, which replay
    in order when it is built. Subclasses set ERROR_SCHEMA to the vendor's error shape.
    """

    def __init__(self, app, *, name, base_url, title, version, description="", security_schemes=None):
        self.base_url = base_url
        self.title = title
        self._spec = None
        self._built = False
        self._spec_lock = threading.RLock()
        self._documenting = []
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
                "security": [{name: []} for name in (security_schemes or {})],
            },
        )
        for scheme_name, scheme in (security_schemes or {}).items():
            self.document(lambda spec, n=scheme_name, s=scheme: spec.components.security_scheme(n, s))

    def init_app(self, app, *, spec_kwargs=None):
        """flask-smorest's init_app, but for the document, which `spec` builds on first use."""
        self._app = app
        self.config = PrefixedMappingProxy(app.config, self.config_prefix)
        ext = app.extensions.setdefault("flask-smorest", {"apis": {}, "blp_name_to_api": {}})
        ext["apis"][self.config_prefix] = {"ext_obj": self}
        self._spec_kwargs = {**self._spec_kwargs, **(spec_kwargs or {})}
        self._register_doc_blueprint()
        self._register_error_handlers()
        app.cli.add_command(openapi_cli)

    def register_blueprint(self, blp, *, parameters=None, **options):
        """Route the blueprint now; document it when the document is built."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)

        def document(spec):
            blp.register_views_in_doc(self, self._app, spec, name=name, parameters=parameters)
            spec.tag({"name": name, "description": blp.description})

        self.document(document)

    def document(self, callback):
        """Run `callback(spec)` when the document is built (at once if it already is)."""
        with self._spec_lock:
            if not self._built:
                self._documenting.append(callback)
                return
        callback(self._spec)

    @property
    def spec(self):
        if not self._built and self._app is not None:
            with self._spec_lock:
                if not self._built and self._documenting is not None:
                    documenting, self._documenting = self._documenting, None  # None: building
                    with self._app.app_context():
                        self._init_spec(**self._spec_kwargs)
                        for callback in documenting:
                            callback(self._spec)
                    self._built = True
        return self._spec

    @spec.setter
    def spec(self, value):
        self._spec = value  # flask-smorest's __init__ and _init_spec assign it


class VendorParser(FlaskParser):
    """Vendors answer 400, not webargs' 422, to a request that fails validation."""

    DEFAULT_VALIDATION_STATUS = 400

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._schemas = {}

    def _get_schema(self, argmap, req):
        """One instance per schema class: webargs would build one per request (deep-copying
        every field), a fifth of a validated create's time. Schemas keep no state per load."""
        if isinstance(argmap, type) and issubclass(argmap, marshmallow.Schema):
            schema = self._schemas.get(argmap)
            if schema is None:
                schema = self._schemas.setdefault(argmap, argmap())
            return schema
        return super()._get_schema(argmap, req)


class VendorBlueprint(Blueprint):
    ARGUMENTS_PARSER = VendorParser()

    def alt_response(self, *args, **kwargs):
        """flask-smorest's alt_response, for the document only: its wrapper does nothing at run
        time but look up the app and call the view, once per documented status (four on most
        vendor views). The view keeps the documentation and loses the wrapper."""
        document = super().alt_response(*args, **kwargs)

        def decorator(func):
            func._apidoc = document(func)._apidoc
            return func

        return decorator
