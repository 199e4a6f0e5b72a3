"""Namespaces on Redis begin, end and are bounded as in memory (store.py): dropped on request, forgotten
after NAMESPACE_IDLE_SECONDS unused, and beyond MAX_NAMESPACES the least recently used first; never
"default". Their use is real time, the wall clock (comparable across workers and replicas, where
the in-memory store's monotonic clock is not), never a namespace's sandbox clock.

    vs:namespaces      zset namespace -> wall-clock time of its latest use
    vs:journals        zset namespace -> bytes its journal holds; vs:journals:bytes, their sum
"""

import time

from .bound import DROP_LUA

NAMESPACES = "vs:namespaces"
JOURNALS, JOURNAL_BYTES = "vs:journals", "vs:journals:bytes"
NS_KEYS = ("journal", "journal:ids", "journal:bytes", "outbox", "faults", "faults:counts", "faults:ids",
           "faults:draws", "clock", "settings")


def wall_time():
    """Seconds of real time (a test moves it by replacing this)."""
    return time.time()


# forget_journal(ns): its entries, and their bytes out of the store's total
JOURNAL_LUA = """
local function forget_journal(ns)
  local p = 'vs:{' .. ns .. '}:'
  local held = tonumber(redis.call('GET', p .. 'journal:bytes') or '0')
  if held ~= 0 then redis.call('DECRBY', '%s', held) end
  redis.call('ZREM', '%s', ns)
  redis.call('UNLINK', p .. 'journal', p .. 'journal:bytes')
end
""" % (JOURNAL_BYTES, JOURNALS)

# KEYS namespaces; ARGV mode name-or-cutoff default now max vendor...; every mode one atomic step:
#   drop NAME, reset NAME (the vendors' data), sweep CUTOFF (drops those unused since; -> dropped),
#   use NAME (notes it now; beyond max, drops the least recently used; -> dropped)
SCRIPT = DROP_LUA + JOURNAL_LUA + """
local function clear_vendor(ns, v)
  local reg = 'vs:{' .. ns .. '}:reg:' .. v
  for _, key in ipairs(redis.call('SMEMBERS', reg)) do redis.call('UNLINK', key) end
  redis.call('UNLINK', reg)
end
local function clear_logs(ns)
  forget_journal(ns)
  local p = 'vs:{' .. ns .. '}:'
  for _, s in ipairs({%s}) do redis.call('UNLINK', p .. s) end
end
local function drop(ns)
  for i = 6, #ARGV do clear_vendor(ns, ARGV[i]) end
  clear_logs(ns)
  release_bindings(ns)
  redis.call('ZREM', KEYS[1], ns)
end
local mode, default = ARGV[1], ARGV[3]
if mode == 'drop' then drop(ARGV[2]); return 1 end
if mode == 'reset' then
  for i = 6, #ARGV do clear_vendor(ARGV[2], ARGV[i]) end
  return 1
end
local dropped = {}
if mode == 'use' then
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[2])
  local max = tonumber(ARGV[5])
  local over = redis.call('ZCARD', KEYS[1]) - max
  if max > 0 and over > 0 then
    -- the least recently used first; one more in view, for the default (never dropped)
    for _, ns in ipairs(redis.call('ZRANGE', KEYS[1], 0, over)) do
      if #dropped < over and ns ~= default and ns ~= ARGV[2] then drop(ns); dropped[#dropped + 1] = ns end
    end
  end
  return dropped
end
for _, ns in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])) do
  if ns ~= default then drop(ns); dropped[#dropped + 1] = ns end
end
return dropped
""" % ", ".join(f"'{key}'" for key in NS_KEYS if key not in ("journal", "journal:bytes"))
