"""Minimal Flask app used by bench/wsgi_servers.py to compare WSGI servers."""

import os

from flask import Flask, jsonify, request


def create_app() -> Flask:
    # Factory mirrors the real app's create_app(config) shape so servers are
    # exercised with an app *object*, not just an import string.
    app = Flask(__name__)
    # Stand-in for the real in-memory store: if a server runs the app in a
    # forked worker, the counter lives there, not in the launching process.
    store = {"echo_count": 0}

    @app.get("/hello")
    def hello():
        return jsonify(message="hello", ok=True)

    @app.get("/pid")
    def pid():
        # Lets the bench tell whether requests are served by the launching process.
        return jsonify(pid=os.getpid())

    @app.post("/echo")
    def echo():
        payload = request.get_json(force=True)
        store["echo_count"] += 1  # racy under threads; fine for a benchmark
        return jsonify(received=len(payload), keys=sorted(payload), n=store["echo_count"])

    return app

