"""Command line: `vendor-sandbox serve` and `vendor-sandbox openapi`."""

import json
from pathlib import Path

import click

from . import create_app  # the package's, which imports the app on first call
from .heap import bulk_allocation


def _overrides(**options):
    """CLI flags that were given; the rest stay as SANDBOX_* or the embedded defaults."""
    return {key.upper(): value for key, value in options.items() if value is not None}


@click.group()
@click.version_option(package_name="vendor-sandbox")
def cli():
    """vendor-sandbox: Zus, Hipp, Nabla and Welkin user APIs on one local server."""


@cli.command()
@click.option("--host", help="Address to bind [127.0.0.1]")
@click.option("--port", type=int, help="Port to bind [8080]")
@click.option("--tls-port", type=click.IntRange(min=0, max=65535),
              help="HTTPS port, with the local CA's certificate; 0 turns it off [8443]")
@click.option("--data-dir", type=click.Path(file_okay=False),
              help="Where the local CA is kept [the user's data directory]")
@click.option("--trusted-proxies", help="Addresses/networks whose X-Forwarded-*/Forwarded headers count")
@click.option("--seed", type=int, help="Seed of every id, token and Faker value [0]")
@click.option("--fixtures", "fixtures_dir", type=click.Path(exists=True, file_okay=False),
              help="Folder of <vendor>/*.json fixtures [the packaged ones]")
@click.option("--fake-users", type=click.IntRange(min=0), help="Faker users added per vendor [0]")
@click.option("--threads", type=click.IntRange(min=1), help="Worker threads [8]")
@click.option("--store", "store_url", help="memory, or redis://HOST:PORT/DB shared by workers [memory]")
@click.option("--workers", type=click.IntRange(min=1), help="Processes; more than one needs --store [1]")
@click.option("--frozen-clock",
              help="Freeze time at this ISO-8601 instant (in every namespace whose clock was not moved)")
@click.option("--vendor", help="Also serve this vendor at / (for clients with hard-coded paths)")
@click.option("--state", "state_file", type=click.Path(exists=True, dir_okay=False),
              help="Start the default namespace from a snapshot (GET /_sandbox/state)")
@click.option("--insecure", is_flag=True, default=None,
              help="Allow a non-loopback --host without SANDBOX_ADMIN_TOKEN")
def serve(**options):
    """Run the sandbox on a production WSGI server (threads; --workers processes)."""
    from .hostguard import is_loopback

    try:
        app = create_app(_overrides(**options))
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    host = app.config["HOST"]
    if not is_loopback(host) and not app.config["ADMIN_TOKEN"] and not app.config["INSECURE"]:
        raise click.ClickException(
            f"refusing to serve on {host}, reachable from other machines, without an admin token: "
            "set SANDBOX_ADMIN_TOKEN, or pass --insecure (SANDBOX_INSECURE=true) to do it anyway")
    _serve(app)


def _serve(app):
    """One process (waitress threads), or --workers processes over the shared store."""
    from .server import ListenError, run
    from .workers import check_workers

    config, workers = app.config, int(app.config["WORKERS"])
    host, port, threads = config["HOST"], int(config["PORT"]), int(config["THREADS"])
    try:
        check_workers(app.extensions["vendor_sandbox.store"], workers)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    tls_port = int(config["TLS_PORT"]) or None  # 0: no TLS port
    try:
        if workers == 1:
            run(app, host, port, threads=threads, tls_port=tls_port)
            return
        from .workers import run as run_workers

        run_workers(app, host, port, workers, threads=threads, tls_port=tls_port)
    except ListenError as error:  # raised while binding, before anything is served
        raise click.ClickException(str(error)) from None


@cli.command()
@click.option("--data-dir", type=click.Path(file_okay=False),
              help="Where the local CA is kept [SANDBOX_DATA_DIR, else the user's data directory]")
def ca(data_dir):
    """Print the path of the local CA certificate (made now if it is not there yet)."""
    import os

    from .front import CertificateAuthority

    authority = CertificateAuthority(data_dir or os.environ.get("SANDBOX_DATA_DIR"))
    authority.ensure()
    click.echo(authority.ca_path)


@cli.command()
@click.option("--output", "output_dir", type=click.Path(file_okay=False), default="openapi",
              show_default=True, help="Folder to write <vendor>.json into")
def openapi(output_dir):
    """Write each vendor's OpenAPI document, generated from the code."""
    app = create_app()
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for name, document in spec_documents(app).items():
        path = folder / f"{name}.json"
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        click.echo(f"wrote {path}")


def spec_documents(app):
    """{vendor: OpenAPI dict} for every vendor mounted in `app`."""
    with app.app_context():
        return {name: api.spec.to_dict() for name, api in app.extensions["vendor_sandbox.apis"].items()}


def main(argv=None):
    # The app's modules (Flask, marshmallow, flask-smorest, the vendors) are imported here rather
    # than at the top, so that their long-lived objects are built without the cyclic collector.
    with bulk_allocation():
        from . import app  # noqa: F401
    return cli.main(args=argv, prog_name="vendor-sandbox")
