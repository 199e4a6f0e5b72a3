"""Fault rules: forced errors and latency on matching vendor requests, per namespace."""

import fnmatch
import itertools
import random
import threading


class FaultRules:
    """Rules in the order they were added; the first that matches a request fires."""

    def __init__(self, seed):
        self._rules = []
        self._ids = itertools.count(1)
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def add(self, rule):
        with self._lock:
            rule = {"id": next(self._ids), **rule, "fired": 0}
            if rule.get("times") is not None:
                rule["remaining"] = rule["times"]
            self._rules.append(rule)
            return dict(rule)

    def list(self):
        with self._lock:
            return [dict(rule) for rule in self._rules]

    def clear(self):
        with self._lock:
            self._rules.clear()

    def fire(self, vendor, method, paths):
        """The first rule matching this request, counted as fired; None when none applies.

        `paths` are the spellings a rule's glob may match (with and without the vendor prefix).
        """
        with self._lock:
            for rule in self._rules:
                if not _matches(rule, vendor, method, paths) or rule.get("remaining") == 0:
                    continue
                probability = rule.get("probability")
                if probability is not None and self._random.random() >= probability:
                    continue
                if "remaining" in rule:
                    rule["remaining"] -= 1
                rule["fired"] += 1
                return dict(rule)
        return None


def _matches(rule, vendor, method, paths):
    return (
        rule["vendor"] in ("*", vendor)
        and rule.get("method", "*") in ("*", method)
        and any(fnmatch.fnmatchcase(path, rule.get("path", "*")) for path in paths)
    )
