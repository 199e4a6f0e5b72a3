"""create_app(config=None): the one place that wires everything."""

import os
from types import FunctionType

from flask import Flask
from werkzeug.routing import Rule

from . import control, cors, envconfig, errors, fixturecheck, front, hostguard, limits, settings, store
from .config import DefaultConfig
from .ids import Clock
from .seed import Seeds
from .strictjson import StrictJSONProvider
from .urls import ADDED_PREFIX
from .vendors import VENDORS


class LazyBuilderRule(Rule):
    """A URL rule that writes its url_for builder on first use.

    werkzeug generates and compiles two builder functions per rule as the rule is added, which
    was most of create_app's time; only the docs and the dashboard ever build URLs, and only
    for a handful of rules."""

    def _compile_builder(self, append_unknown=True):
        compile_builder = super()._compile_builder
        built = None

        def build(rule, **values):
            nonlocal built
            if built is None:
                built = compile_builder(append_unknown)
            return built(rule, **values)

        return build


class SandboxFlask(Flask):
    json_provider_class = StrictJSONProvider
    url_rule_class = LazyBuilderRule

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sync = {}

    def ensure_sync(self, func):
        """Flask asks this of every hook and view on every request (a dozen times for a vendor
        call) and inspects the function each time; the answer never changes, so remember it,
        for plain functions only: a bound method is a new object on every call."""
        if type(func) is not FunctionType:
            return super().ensure_sync(func)
        sync = self._sync.get(func)
        if sync is None:
            sync = self._sync.setdefault(func, super().ensure_sync(func))
        return sync

    def make_default_options_response(self):
        """OPTIONS answers 204 with Allow, as Next.js and Spring do, instead of an empty HTML page."""
        response = super().make_default_options_response()
        response.status_code = 204
        del response.headers["Content-Type"]
        return response


def create_app(config=None):
    """Embedded defaults, then SANDBOX_* environment variables, then `config`."""
    app = SandboxFlask("vendor_sandbox")
    app.config.from_object(DefaultConfig)
    app.config.update(envconfig.from_environ(DefaultConfig, os.environ))
    app.config.update(config or {})
    envconfig.check(app.config)
    app.json.sort_keys = False
    app.json.ensure_ascii = False

    seeds = Seeds(VENDORS, seed=app.config["SEED"], fixtures_dir=app.config["FIXTURES_DIR"],
                  fake_users=int(app.config["FAKE_USERS"]))
    settings.check_process_settings(app.config)
    clock = Clock(app.config["FROZEN_CLOCK"])
    store.init_app(app, store.build_store(app.config, VENDORS, seeds, clock))
    hostguard.init_app(app, VENDORS)  # first: a rebinding page gets nothing, not even a size error
    limits.init_app(app)  # before the control plane's hooks: an oversized request is never read
    app.extensions["vendor_sandbox.apis"] = {vendor.NAME: vendor.init_app(app) for vendor in VENDORS}
    control.init_app(app)
    cors.init_app(app)  # after the journal's hook: Flask runs it first, so the journal sees its headers
    # last: replaces flask-smorest's app-wide HTTPException handler
    errors.init_app(app, VENDORS, control.render_error)
    if app.config["FIXTURES_DIR"]:  # the packaged fixtures are checked by the test suite
        fixturecheck.check_fixtures(app.extensions["vendor_sandbox.store"], app.config["FIXTURES_DIR"])
    if app.config["STATE_FILE"]:
        control.load_state_file(app, app.config["STATE_FILE"])
    if app.config["VENDOR"]:
        app.wsgi_app = MountAtRoot(app.wsgi_app, _vendor(app.config["VENDOR"]).URL_PREFIX)
    front.init_app(app, VENDORS)  # outermost: vendor hosts and /ns/ paths decide what is routed
    return app


def _vendor(name):
    for vendor in VENDORS:
        if vendor.NAME == name:
            return vendor
    raise ValueError(f"unknown vendor {name!r}; one of: {', '.join(v.NAME for v in VENDORS)}")


class MountAtRoot:
    """Serve one vendor at / as well, for clients with hard-coded paths: with Hipp mounted,
    /api/v1/users is /hipp/api/v1/users. /_sandbox/ and the vendor's own prefix are untouched."""

    def __init__(self, wsgi_app, prefix):
        self.wsgi_app = wsgi_app
        self.prefix = prefix

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not (path == "/_sandbox" or path.startswith(("/_sandbox/", self.prefix + "/")) or path == self.prefix):
            environ["PATH_INFO"] = self.prefix + path
            environ[ADDED_PREFIX] = self.prefix
        return self.wsgi_app(environ, start_response)
