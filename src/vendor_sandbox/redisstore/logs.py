"""The outbox and the fault rules of one namespace, on Redis (bounded lists)."""

import json
import random
import threading

from ..faults import _matches
from ..ids import iso_millis
from ..outbox import matching
from . import lifecycle, unit
from .connection import guarded
from .ids import EPOCHS, RESERVE_LUA
from .observed import observe
from .scripts import SEND
from .wire import wire_for

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

# KEYS outbox; ARGV vendor -> keeps the other vendors' messages, in order
_CLEAR_VENDOR = """
local kept = {}
for _, raw in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  if cjson.decode(raw)['vendor'] ~= ARGV[1] then kept[#kept + 1] = raw end
end
redis.call('DEL', KEYS[1])
for i = 1, #kept, 1000 do redis.call('RPUSH', KEYS[1], unpack(kept, i, math.min(i + 999, #kept))) end
return #kept
"""


class RedisOutbox:
    def __init__(self, client, prefix, clock, size):
        self._r = client
        self._key = prefix + "outbox"
        self._clock = clock
        self._size = size
        self._clear_vendor = wire_for(client).register_script(_CLEAR_VENDOR)
        self._send = wire_for(client).register_script(SEND)

    @guarded
    def send(self, vendor, to, kind, subject, body):
        message = {"vendor": vendor, "to": to, "kind": kind, "subject": subject, "body": body,
                   "sentAt": iso_millis(self._clock.now())}
        args = [_dumps(message), self._size]
        queued = unit.current()
        if queued is not None:  # sent with the request's other writes (unit.py)
            queued.queue("send", [self._key], args)
        else:
            self._send(keys=[self._key], args=args)
        return message

    @guarded
    def messages(self, vendor=None, to=None):
        unit.settle()
        return matching([json.loads(m) for m in self._r.lrange(self._key, 0, -1)], vendor, to)

    def replace(self, messages):
        pipe = self._r.pipeline()
        self.queue_replace(pipe, messages)
        guarded(pipe.execute)()

    def queue_replace(self, pipe, messages):
        pipe.delete(self._key)
        kept = [_dumps(dict(m)) for m in messages][-self._size:]
        for start in range(0, len(kept), 1000):
            pipe.rpush(self._key, *kept[start:start + 1000])

    @guarded
    def clear(self, vendor=None):
        if vendor is None:
            self._r.delete(self._key)
        else:
            self._clear_vendor(keys=[self._key], args=[vendor])


WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})  # the methods whose first trip reserves an id number

# KEYS counts; ARGV id -> 1 when the rule may fire (and is counted), 0 when its times are used up
_FIRE = """
local left = redis.call('HGET', KEYS[1], ARGV[1] .. ':remaining')
if left and tonumber(left) <= 0 then return 0 end
if left then redis.call('HINCRBY', KEYS[1], ARGV[1] .. ':remaining', -1) end
redis.call('HINCRBY', KEYS[1], ARGV[1] .. ':fired', 1)
return 1
"""


# KEYS rules versions clock settings bindings-version namespaces draws registry epochs; ARGV
# namespace now reserve floor floor-epoch (ids.py) [hash field]... -> {the rules, the vendor's hidden-set versions, the
# namespace's clock and settings, the version of the credential bindings, 1 if the namespace is
# registered (its use noted now) else 0, the epoch of the vendor's id draws, the number reserved
# for the request (0 when `reserve` is 0; ids.py), the records at hash/field (unit.Hot)}: what
# every vendor request reads first, in one round trip
_RULES = RESERVE_LUA + """
local epoch, n = unpack(draw(KEYS[7], KEYS[8], KEYS[9], tonumber(ARGV[3]), ARGV[4], ARGV[5]))
local hot = {}
for i = 6, #ARGV, 2 do hot[#hot + 1] = redis.call('HGET', ARGV[i], ARGV[i + 1]) end
local known = 0
if redis.call('ZSCORE', KEYS[6], ARGV[1]) then
  known = 1
  redis.call('ZADD', KEYS[6], 'XX', ARGV[2], ARGV[1])
end
return {redis.call('LRANGE', KEYS[1], 0, -1), redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3]),
        redis.call('HGETALL', KEYS[4]), redis.call('GET', KEYS[5]) or '0', known, epoch, n, hot}
"""


class RedisFaultRules:
    """The rules in a list; their counters in a hash, spent by one script so that a rule with
    `times` fires exactly that often across every worker."""

    def __init__(self, client, prefix, seed, versions, keys, args, observed, draws, held=None):
        self._versions, self._draw_keys = versions, draws
        # what else the first round trip reads, the callback that keeps it and the one that
        # tells what this worker holds of it (clock fields, settings fields, bindings version)
        self._shared_keys, self._args, self._observed, self._held = keys, args, observed, held
        # vendor -> the hidden-set versions the last first trip read, when it found no rule
        # and the namespace registered: what the next request may guess (unit.py)
        self._last = {}
        # vendor -> [epoch, the next id number]: what this worker knows of the vendor's draws
        # (ids.py), taken by the requests that guess, one after another
        self._numbers = {}
        self._numbers_lock = threading.Lock()
        self._state_ops = {}  # vendor -> what _state_op built last
        self._rules_script = wire_for(client).register_script(_RULES)
        self._r = client
        self._rules, self._counts = prefix + "faults", prefix + "faults:counts"
        self._ids, self._draws = prefix + "faults:ids", prefix + "faults:draws"
        self._seed = seed
        self._fire = wire_for(client).register_script(_FIRE)

    def forget_known(self):
        """The namespace was reset or replaced: its next requests read the state and the numbers."""
        self._last.clear()
        self._numbers.clear()

    @guarded
    def add(self, rule):
        self._last.clear()  # this worker's next requests read the rules again
        rule = {"id": self._r.incr(self._ids), **rule, "fired": 0}
        pipe = self._r.pipeline()
        if rule.get("times") is not None:
            rule["remaining"] = rule["times"]
            pipe.hset(self._counts, f"{rule['id']}:remaining", rule["times"])
        pipe.hset(self._counts, f"{rule['id']}:fired", 0)
        pipe.rpush(self._rules, _dumps(rule))
        pipe.execute()
        return dict(rule)

    @guarded
    def list(self):
        pipe = self._r.pipeline()
        pipe.lrange(self._rules, 0, -1)
        pipe.hgetall(self._counts)
        rules, counts = pipe.execute()
        return [self._counted(json.loads(raw), counts) for raw in rules]

    @guarded
    def clear(self):
        self._r.delete(self._rules, self._counts)

    @guarded
    def fire(self, vendor, method, paths, again=True):
        """The first matching rule that may fire, counted; one round trip when no rule matches.
        That trip also observes the vendor's hidden-set versions for this request (observed.py),
        the namespace's clock and settings and the bindings' version; when newer bindings put the
        request in another namespace, that namespace's rules apply (and its state is observed)."""
        versions_key, (draws_key, registry) = self._versions[vendor], self._draw_keys[vendor]
        queued = unit.current()
        # a request that may write gets the next id number with its first trip (ids.py)
        reserve = 1 if queued is not None and method in WRITES else 0
        prefetch = queued.prefetch if queued is not None else ()
        if queued is not None and queued.guess and self._guess(vendor, queued, reserve, prefetch):
            return None
        rules, versions, clock, settings, bound, known, epoch, number, hot = self._rules_script(
            keys=[self._rules, versions_key, *self._shared_keys, draws_key, registry, EPOCHS],
            args=[*self._args, lifecycle.wall_time(), reserve, *(self.floor(vendor) if reserve else (0, "")),
                  *(part for field in prefetch for part in field)])
        observe(versions_key, dict(zip(versions[::2], versions[1::2], strict=True)))
        if queued is not None:
            queued.epochs[draws_key] = epoch
            queued.numbers[draws_key] = [number] if reserve else []
            queued.prefetched = dict(zip(prefetch, hot, strict=True))
            if queued.hot is not None and prefetch:
                queued.hot.fetched(queued.prefetched)
            if reserve:
                self.given(vendor, epoch, number)
        moved = self._observed(clock, settings, bound, known)
        if not rules and known and moved is None:
            self._last[vendor] = versions
        else:
            self._last.pop(vendor, None)
        if moved is not None and again:
            return moved.faults.fire(vendor, method, paths, again=False)
        for raw in rules:
            rule = json.loads(raw)
            if not _matches(rule, vendor, method, paths):
                continue
            probability = rule.get("probability")
            if probability is not None:
                draw = random.Random(f"{self._seed}/{self._r.incr(self._draws)}").random()
                if draw >= probability:
                    continue
            if self._fire(keys=[self._counts], args=[rule["id"]]):
                return self._counted(rule, self._r.hgetall(self._counts))
        return None

    def _guess(self, vendor, queued, reserve, prefetch):
        """Run the request on what this worker read last, without a trip, when that state had no
        rule, the worker knows the route's hot records and (for a request that may write) the next
        id number: COMMIT checks all of it (unit.py). False when there is nothing to guess from."""
        versions = self._last.get(vendor)
        held = self._held() if self._held is not None and versions is not None else None
        if held is None:
            return False
        hot = queued.hot
        if hot is not None and hot.cold(queued.route):
            return False
        if prefetch and (hot is None or not hot.knows(prefetch)):
            return False
        draws_key = self._draw_keys[vendor][0]
        numbers = self._numbers.get(vendor)
        if reserve and numbers is None:
            return False
        observed, op = self._state_op(vendor, versions, held)
        observe(self._versions[vendor], observed)
        queued.guessed_op(op)
        queued.prefetched, queued.guessed_reads = {}, set(prefetch)  # read when read (Unit.guessed_read)
        if numbers is not None:
            queued.epochs[draws_key] = numbers[0]
            queued.guessing[draws_key] = lambda: self._take(vendor, queued, numbers)
            queued.counters[draws_key] = lambda epoch, n: self.given(vendor, epoch, n)
            if reserve:  # as the first trip would have reserved one: used or not, alike
                queued.numbers[draws_key] = [self._take(vendor, queued, numbers)]
        return True

    def _state_op(self, vendor, versions, held):
        """(the versions as observe takes them, COMMIT's 'state' op) for what this worker holds:
        built again only when one of them is another object (each is replaced whole)."""
        key = (id(versions), *(id(part) for part in held[:2]), held[2])
        cached = self._state_ops.get(vendor)
        if cached is not None and cached[0] == key:
            return cached[1], cached[2]
        clock, settings, bound = held
        keys = [self._rules, self._versions[vendor], *self._shared_keys]
        args = [self._args[0], str(bound), len(versions) // 2, *versions, len(clock) // 2, *clock,
                len(settings) // 2, *settings]
        observed = dict(zip(versions[::2], versions[1::2], strict=True))
        op = ["state", len(keys), len(args), *keys, *args]
        # the objects themselves are kept with it, so that their ids are not reused meanwhile
        self._state_ops[vendor] = (key, observed, op, (versions, *held))
        return observed, op

    def floor(self, vendor):
        """(number, epoch) for a reserve (ids.py): the next number this worker knows of, taken, so
        that Redis never gives one of this worker's requests a number another of them guessed
        (the request that guessed it would run twice, and its second run take another's); (0, '')
        when it knows none."""
        with self._numbers_lock:
            known = self._numbers.get(vendor)
            if known is None:
                return 0, ""
            epoch, number = known
            known[1] = number + 1
        return number, epoch

    def given(self, vendor, epoch, number):
        """A reserve gave a request `number`: the next one is beyond it."""
        with self._numbers_lock:
            if not epoch:  # the counter is not there (a reset): the next reserve tells
                self._numbers.pop(vendor, None)
                return
            known = self._numbers.get(vendor)
            if known is None or known[0] != epoch or known[1] <= number:
                self._numbers[vendor] = [epoch, number + 1]

    def _take(self, vendor, queued, known):
        """The next id number this worker knows of (`known`, as the request found it: another
        request may have dropped it meanwhile), for a request that guesses; its COMMIT checks the
        number is beyond the counter still, in the same epoch."""
        with self._numbers_lock:
            epoch, number = known
            known[1] = number + 1
        queued.guessed("number", list(self._draw_keys[vendor]), [number, epoch])
        queued.numbered = True
        queued.give_back.append(lambda: self._give_back(known, number))
        return number

    def _give_back(self, known, number):
        """A COMMIT refused a guess (not a claim): its number was not used, and the request's next
        run takes it again, unless another request of this worker took a later one meanwhile (so
        that a sequential run's ids are those of a run that never guessed)."""
        with self._numbers_lock:
            if known[1] == number + 1:
                known[1] = number

    @staticmethod
    def _counted(rule, counts):
        fired = counts.get(f"{rule['id']}:fired".encode())
        rule["fired"] = int(fired or 0)
        remaining = counts.get(f"{rule['id']}:remaining".encode())
        if remaining is not None:
            rule["remaining"] = int(remaining)
        return rule
