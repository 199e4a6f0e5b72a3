"""The Lua scripts behind RedisCollection: each one is a single atomic step in Redis, so two
workers never see (or leave) a half-written record, and exactly one wins a unique claim.

Keys of one collection: rec (hash key -> JSON record), order (zset key -> insertion number),
indexed (hash key -> its index buckets, "\n"-joined), seq (the insertion counter), hidden (set of
base keys replaced or deleted here; ALL hides the whole base), hiddenb (hash bucket -> how many
base keys of that bucket are hidden), and one zset per index bucket, prefix .. bucket.
Every key written is registered in the vendor's registry set, so a reset drops exactly those.
"""

from .ids import RESERVE_LUA

ALL = "\x00*"  # the member of `hidden`/`released` that stands for the whole base (after a load)

_HIDE = """
local function hide(key, in_base, base_fields, name)
  if in_base ~= '1' or redis.call('SISMEMBER', KEYS[5], '\\0*') == 1 then return 1 end
  if redis.call('SADD', KEYS[5], key) == 0 then return 1 end
  for f in string.gmatch(base_fields, '[^\\n]+') do redis.call('HINCRBY', KEYS[6], f, 1) end
  -- the hidden set changed: a new version, never used before (workers cache the set by it)
  redis.call('HSET', KEYS[8], name, redis.call('INCR', KEYS[9]))
  redis.call('SADD', KEYS[7], KEYS[8])
  return 0
end
local function unindex(prefix, key)
  local old = redis.call('HGET', KEYS[3], key)
  if old then
    for f in string.gmatch(old, '[^\\n]+') do redis.call('ZREM', prefix .. f, key) end
    redis.call('HDEL', KEYS[3], key)
  end
end
"""

# KEYS rec order indexed seq hidden hiddenb registry versions version-counter;
# ARGV prefix key record fields in_base base_fields collection-name
PUT = _HIDE + """
local prefix, key = ARGV[1], ARGV[2]
hide(key, ARGV[5], ARGV[6], ARGV[7])
unindex(prefix, key)
local s = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[1], key, ARGV[3])
redis.call('ZADD', KEYS[2], s, key)
redis.call('SADD', KEYS[7], KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[3], key, ARGV[4])
  for f in string.gmatch(ARGV[4], '[^\\n]+') do
    redis.call('ZADD', prefix .. f, s, key)
    redis.call('SADD', KEYS[7], prefix .. f)
  end
end
return s
"""

# same KEYS; ARGV prefix key in_base base_fields collection-name
# -> {own record or false, 1 if the base record was hidden}
DELETE = _HIDE + """
local prefix, key = ARGV[1], ARGV[2]
local own = redis.call('HGET', KEYS[1], key)
local was_hidden = hide(key, ARGV[3], ARGV[4], ARGV[5])
redis.call('SADD', KEYS[7], KEYS[5], KEYS[6])
unindex(prefix, key)
redis.call('HDEL', KEYS[1], key)
redis.call('ZREM', KEYS[2], key)
return {own or false, was_hidden}
"""

_NOW_MS = """
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- the holder of a claim: its own holder unless that is a lease run out (the request that took it
-- never committed), else the base's holder unless released
local function holder_of(claims, released, tentative, field, base_owner)
  local holder = redis.call('HGET', claims, field)
  if holder then
    local deadline = redis.call('ZSCORE', tentative, field)
    if deadline and tonumber(deadline) < now_ms() then
      redis.call('HDEL', claims, field)
      redis.call('ZREM', tentative, field)
      holder = false
    end
  end
  if not holder and base_owner ~= '' then
    local r = redis.call('SMISMEMBER', released, field, '\\0*')
    if r[1] == 0 and r[2] == 0 then holder = base_owner end
  end
  return holder
end
"""

# KEYS claims released registry tentative; ARGV field owner base_owner ('' when the base has none)
# lease-ms (0: a claim for good; else tentative until COMMIT confirms it) -> 1 won, 0 lost
CLAIM = _NOW_MS + """
local holder = holder_of(KEYS[1], KEYS[2], KEYS[4], ARGV[1], ARGV[3])
if holder and holder ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[3], KEYS[1])
if not holder and ARGV[4] ~= '0' then
  redis.call('ZADD', KEYS[4], now_ms() + tonumber(ARGV[4]), ARGV[1])
  redis.call('SADD', KEYS[3], KEYS[4])
end
return 1
"""

# KEYS claims released tentative; ARGV field base_owner -> the holder, or false
OWNER = _NOW_MS + """
return holder_of(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2])
"""

# KEYS claims released registry tentative; ARGV field in_base ('1' when the base may hold it)
RELEASE = """
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
if ARGV[2] == '1' then redis.call('SADD', KEYS[2], ARGV[1]) end
redis.call('SADD', KEYS[3], KEYS[1], KEYS[2])
return 1
"""

# KEYS outbox; ARGV message size: a message sent, the outbox bounded (logs.RedisOutbox)
SEND = """
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
return 1
"""

# KEYS claims tentative; ARGV field owner: the lease confirmed (COMMIT checked it is still held)
_CONFIRM = """
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
"""

# KEYS zset rec hidden hiddenb; ARGV bucket ('' for all) base_len offset limit (-1: all) reverse
# -> {base keys visible, own count, own keys of the page, their records, hidden members when needed}
VIEW = """
local base_len = tonumber(ARGV[2])
local visible, n = 0, 0
if base_len > 0 and redis.call('SISMEMBER', KEYS[3], '\\0*') == 0 then
  if ARGV[1] == '' then n = redis.call('SCARD', KEYS[3])
  else n = tonumber(redis.call('HGET', KEYS[4], ARGV[1]) or '0') end
  visible = base_len - n
end
local offset, limit = tonumber(ARGV[3]), tonumber(ARGV[4])
local own_n = redis.call('ZCARD', KEYS[1])
local keys, need_base
if ARGV[5] == '1' then
  if limit == 0 then keys = {}
  elseif limit < 0 then keys = redis.call('ZREVRANGE', KEYS[1], offset, -1)
  else keys = redis.call('ZREVRANGE', KEYS[1], offset, offset + limit - 1) end
  need_base = visible > 0 and (limit < 0 or offset + limit > own_n)
else
  need_base = visible > 0 and offset < visible and limit ~= 0
  local start = math.max(0, offset - visible)
  if limit < 0 then keys = redis.call('ZRANGE', KEYS[1], start, -1)
  elseif offset + limit - visible - 1 < start then keys = {}
  else keys = redis.call('ZRANGE', KEYS[1], start, offset + limit - visible - 1) end
end
local records = {}
for i = 1, #keys, 1000 do
  local chunk = redis.call('HMGET', KEYS[2], unpack(keys, i, math.min(i + 999, #keys)))
  for _, r in ipairs(chunk) do records[#records + 1] = r end
end
local hidden = {}
if need_base and n > 0 then hidden = redis.call('SMEMBERS', KEYS[3]) end
return {visible, own_n, keys, records, hidden}
"""

# KEYS registry; ARGV prefix ('' for every key) -> drops the registered keys under prefix
CLEAR = """
local kept = {}
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if ARGV[1] == '' or string.sub(key, 1, #ARGV[1]) == ARGV[1] then
    redis.call('UNLINK', key)
    redis.call('SREM', KEYS[1], key)
  end
end
if ARGV[1] == '' then redis.call('UNLINK', KEYS[1]) end
return 1
"""

# KEYS hidden versions; ARGV collection-name -> {hidden members, their version}, read together
HIDDEN = """
return {redis.call('SMEMBERS', KEYS[1]), redis.call('HGET', KEYS[2], ARGV[1]) or '0'}
"""

# KEYS versions counter; ARGV collection-name: after a load replaced the base, a new version
BUMP = """
redis.call('HSET', KEYS[1], ARGV[1], redis.call('INCR', KEYS[2]))
return 1
"""

# KEYS journal ids bytes journals total namespaces; ARGV size max-bytes total-bytes entry name now
# (0 for no bound): the entry numbered and appended, the bounds kept, the namespace's use noted
RECORD = """
local function pop(ns)
  local p = 'vs:{' .. ns .. '}:'
  local old = redis.call('LPOP', p .. 'journal')
  if not old then return 0 end
  redis.call('DECRBY', p .. 'journal:bytes', #old)
  redis.call('DECRBY', KEYS[5], #old)
  redis.call('ZINCRBY', KEYS[4], -#old, ns)
  return #old
end
local size, max, limit, ns = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[5]
local id = redis.call('INCR', KEYS[2])
local entry = id .. '\\t' .. ARGV[4]
redis.call('RPUSH', KEYS[1], entry)
local held = redis.call('INCRBY', KEYS[3], #entry)
redis.call('INCRBY', KEYS[5], #entry)
redis.call('ZINCRBY', KEYS[4], #entry, ns)
local n = redis.call('LLEN', KEYS[1])
while n > size or (max > 0 and held > max and n > 1) do
  held = held - pop(ns)
  n = n - 1
end
if limit > 0 then
  while tonumber(redis.call('GET', KEYS[5]) or '0') > limit do
    local top = redis.call('ZREVRANGE', KEYS[4], 0, 0)
    if #top == 0 or pop(top[1]) == 0 then
      if #top > 0 then redis.call('ZREM', KEYS[4], top[1]) end
      break
    end
  end
end
redis.call('ZADD', KEYS[6], 'XX', ARGV[6], ns)
return id
"""


def _op(name, source):
    # a script's body as a function of its own KEYS and ARGV (the parameters shadow the globals)
    return f"ops['{name}'] = function(KEYS, ARGV)\n{source}\nend\n"


# KEYS rules versions clock settings bindings-version namespaces; ARGV namespace bindings-version,
# then for versions, clock and settings in turn: how many fields, field, value, ... -> true when
# the namespace's state is what the request guessed (unit.py): no fault rule, the namespace
# registered, the same bindings version and exactly these three hashes
_STATE = """
local function state_holds(k, a)
  if redis.call('LLEN', k[1]) ~= 0 or not redis.call('ZSCORE', k[6], a[1])
      or (redis.call('GET', k[5]) or '0') ~= a[2] then
    return false
  end
  local i = 3
  for h = 2, 4 do
    local n = tonumber(a[i])
    if redis.call('HLEN', k[h]) ~= n then return false end
    for j = i + 1, i + 2 * n, 2 do
      if redis.call('HGET', k[h], a[j]) ~= a[j + 1] then return false end
    end
    i = i + 1 + 2 * n
  end
  return true
end
"""

# KEYS draws registry; ARGV number epoch: a number the request guessed is beyond the counter or
# one it skipped, in the same epoch (checked); the counter is moved there, the numbers between
# skipped (the worker's requests in flight took them), or the skipped one taken (written)
_NUMBER = RESERVE_LUA + """
local n, m = tonumber(redis.call('HGET', KEYS[1], 'n') or '0'), tonumber(ARGV[1])
if n < m then
  skipped(KEYS[1], KEYS[2], n + 1, m - 1)
  redis.call('HSET', KEYS[1], 'n', m)
else
  redis.call('ZREM', KEYS[1] .. ':gaps', m)
end
return 1
"""

# ARGV: a sequence of ops, each name, number of keys, number of args, keys..., args... -> {1, the
# last op's reply}, or, writing nothing, {0, 'guessed'} when the 'state' the request guessed was
# wrong, {0, 'raced', what they are now} when another request changed a record it 'held' or took a
# 'number' it guessed, {0, 'assumed'} when what the request assumed was false (a 'claim' taken,
# an 'absent' key there) or {0, 'lost'} when a claim's lease was lost or a checked field ('same':
# the epoch of the id draws) changed meanwhile (see unit.py).
# The keys travel in ARGV: every key of one request shares its namespace's hash tag, and the
# store is a standalone Redis (or one primary), never a cluster.
COMMIT = _NOW_MS + _STATE + "local ops = {}\n" + "".join(_op(n, src) for n, src in (
    ("put", PUT), ("delete", DELETE), ("release", RELEASE), ("confirm", _CONFIRM), ("same", "return 1"), ("send", SEND),
    ("claim", CLAIM), ("absent", "return 1"), ("state", "return 1"), ("held", "return 1"), ("number", _NUMBER),
    ("record", RECORD))) + """
local function each(f)
  local i = 1
  while i <= #ARGV do
    local nk, na = tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
    local k, a = {}, {}
    for j = 1, nk do k[j] = ARGV[i + 2 + j] end
    for j = 1, na do a[j] = ARGV[i + 2 + nk + j] end
    f(ARGV[i], k, a)
    i = i + 3 + nk + na
  end
end
local lost, assumed, guessed, raced = false, false, false, false
local now = {}  -- what a request that raced learns: 'held', hash, field, value; 'number', draws, n, epoch
each(function(name, k, a)
  if name == 'state' then guessed = guessed or not state_holds(k, a)
  elseif name == 'held' then
    local v = redis.call('HGET', k[1], a[1])
    if (a[2] == '1' and v ~= a[3]) or (a[2] == '0' and v) then raced = true end
    for _, x in ipairs({'held', k[1], a[1], v}) do now[#now + 1] = x end
  elseif name == 'number' then
    local e, n = redis.call('HGET', k[1], 'epoch'), tonumber(redis.call('HGET', k[1], 'n') or '0')
    if e ~= a[2] or (n >= tonumber(a[1]) and not redis.call('ZSCORE', k[1] .. ':gaps', a[1])) then
      raced = true
    end
    for _, x in ipairs({'number', k[1], n, e}) do now[#now + 1] = x end
  elseif (name == 'confirm' or name == 'same') and redis.call('HGET', k[1], a[1]) ~= a[2] then lost = true
  elseif name == 'absent' and redis.call('HEXISTS', k[1], a[1]) == 1 then assumed = true
  elseif name == 'claim' then
    local holder = holder_of(k[1], k[2], k[4], a[1], a[3])
    if holder and holder ~= a[2] then assumed = true end
  end
end)
if guessed then return {0, 'guessed'} end
if raced then return {0, 'raced', now} end
if assumed then return {0, 'assumed'} end
if lost then return {0, 'lost'} end
local last = false
each(function(name, k, a) last = ops[name](k, a) end)
return {1, last}
"""
