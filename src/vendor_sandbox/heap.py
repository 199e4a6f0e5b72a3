"""Long-lived allocations without the cyclic collector (no Flask import: the command line uses this
before it imports the app)."""

import gc
from contextlib import contextmanager


@contextmanager
def bulk_allocation():
    """Build a large, long-lived heap (a template of 100k users, the app's modules) without the
    cyclic collector.

    Every few hundred new containers the collector runs, and its full passes walk the whole
    growing heap: building 100k users spent most of its time there, and importing the app ran
    it a hundred times (~20 ms of start-up). Afterwards the heap is frozen out of every later
    collection, so it costs no pause while requests are served.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
