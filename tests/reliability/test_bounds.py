"""Bounded under abuse: requests naming fresh namespaces keep at most SANDBOX_MAX_NAMESPACES of them, and
journals keep at most SANDBOX_JOURNAL_BYTES each and SANDBOX_JOURNAL_TOTAL_BYTES together, so memory
measured over real HTTP levels off instead of growing with the requests (docs/reliability.md)."""

import gc
import tracemalloc

from vendor_sandbox.server import ThreadedServer

from .conftest import NS, ClientHttp, LiveHttp, create_app

HIPP = {"Authorization": "Bearer your-api-key"}
BIG = {"firstName": "Big", "lastName": "Body", "note": "x" * 8000}


def test_a_journal_keeps_at_most_its_bytes_and_the_newest_entries():
    app = create_app({"TESTING": True, "JOURNAL_BYTES": 64 * 1024})
    http = ClientHttp(app)
    for n in range(100):
        http.request("POST", f"/hipp/api/v1/users?n={n}", body=BIG, headers=HIPP)
    journal = app.extensions["vendor_sandbox.store"].namespace().journal
    entries = http.request("GET", "/_sandbox/requests").json["requests"]
    assert journal.bytes <= 64 * 1024
    assert 3 <= len(entries) < 10  # each entry holds its 8 kB body
    assert entries[-1]["query"] == {"n": ["99"]} and entries[-1]["body"]["note"] == BIG["note"]


def test_all_journals_together_keep_at_most_the_total():
    app = create_app({"TESTING": True, "JOURNAL_BYTES": 1024 * 1024, "JOURNAL_TOTAL_BYTES": 128 * 1024})
    http = ClientHttp(app)
    store = app.extensions["vendor_sandbox.store"]
    for n in range(10):
        for _ in range(20):
            http.request("POST", "/hipp/api/v1/users", body=BIG, headers={**HIPP, NS: f"ns-{n}"})
    journals = [store.namespace(name).journal for name in store.namespaces()]
    assert store.journal_budget.used == sum(j.bytes for j in journals) <= 128 * 1024
    assert len(journals[-1]) >= 1  # the newest namespace still has its latest request


def test_a_dropped_namespace_gives_its_journal_bytes_back():
    app = create_app({"TESTING": True})
    http = ClientHttp(app)
    store = app.extensions["vendor_sandbox.store"]
    http.request("POST", "/hipp/api/v1/users", body=BIG, headers={**HIPP, NS: "gone"})
    assert store.journal_budget.used > 8000
    http.request("DELETE", "/_sandbox/namespace", headers={NS: "gone"})
    assert store.journal_budget.used == 0


def heap():
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def test_requests_naming_fresh_namespaces_do_not_grow_memory_without_bound():
    """1,000 cheap vendor requests, each naming a namespace never seen, three times over: the heap after
    the third thousand is about where it was after the first (each namespace costs its journal entry
    and bookkeeping, and only the newest SANDBOX_MAX_NAMESPACES are kept)."""
    app = create_app({"MAX_NAMESPACES": 200})
    store = app.extensions["vendor_sandbox.store"]
    with ThreadedServer(app, threads=4) as server:
        http = LiveHttp(server.url)
        tracemalloc.start()
        try:
            figures = []
            for thousand in range(3):
                for n in range(1000):
                    reply = http.request("GET", "/hipp/api/v1/users?pageSize=1",
                                         headers={**HIPP, NS: f"fresh-{thousand}-{n}"})
                    assert reply.status == 200
                figures.append(heap())
        finally:
            tracemalloc.stop()
    assert len(store.namespaces()) <= 200
    first, *_, last = figures
    print(f"heap after each 1000 fresh-namespace requests (bytes): {figures}")
    assert last - first < 0.1 * first, figures
