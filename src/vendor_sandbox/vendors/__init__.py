"""The emulated vendors; adding one is a package and a line here.

Each vendor package exposes the same names (see `hipp/__init__.py`):
- NAME ("hipp"), URL_PREFIX ("/hipp"): every request under the prefix is that vendor's, and
  every failure there is rendered by its `render_error(error)` (its own errors, SandboxError,
  werkzeug HTTPExceptions such as unrouted 404/405 and 413, and unexpected exceptions as 500);
- BASE_URL: the sandbox path standing for the vendor's real base URL; OPTIONS_STATUS (optional,
  204 by default): the status of an automatic OPTIONS answer; CORS: a cors.Policy, or None for a
  vendor that sends no Access-Control-* header;
- init_app(app) -> its VendorApi, with its blueprints registered (one OpenAPI document each);
- Backend(state, source, seed, settings): the vendor's rules, no Flask. It writes `seed` into its
  collections only when `state.seeded` is false: that happens once, for the template every
  namespace is layered over (copy-on-write), so namespaces and resets cost nothing; `settings` is the
  namespace's read-only view of the app config (vendor settings are prefixed with the vendor's name,
  e.g. ZUS_...), which a test may change per namespace (settings.py): read it when a request needs
  it, not once in __init__. Every piece of mutable state lives
  in `state.collection(name)` collections; `state.outbox.send(...)` records what it "sends";
  `source` gives seeded ids, tokens and `now()`. It also offers `credentials()` (its entry in
  /_sandbox/credentials) and the static `add_fake_users(seed, fake, count)`, where `fake` is a
  `seed.FakeDraws` (pooled Faker values and seeded draws).
"""

from . import hipp, nabla, welkin, zus

VENDORS = (hipp, nabla, welkin, zus)
