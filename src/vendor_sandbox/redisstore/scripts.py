"""The Lua scripts behind RedisCollection: each one is a single atomic step in Redis, so two
workers never see (or leave) a half-written record, and exactly one wins a unique claim.

Keys of one collection: rec (hash key -> JSON record), order (zset key -> insertion number),
indexed (hash key -> its index buckets, "\n"-joined), seq (the insertion counter), hidden (set of
base keys replaced or deleted here; ALL hides the whole base), hiddenb (hash bucket -> how many
base keys of that bucket are hidden), and one zset per index bucket, prefix .. bucket.
Every key written is registered in the vendor's registry set, so a reset drops exactly those.
"""

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

# KEYS claims released registry; ARGV field owner base_owner ('' when the base has none) -> 1 won, 0 lost
CLAIM = """
local holder = redis.call('HGET', KEYS[1], ARGV[1])
if not holder and ARGV[3] ~= '' then
  local r = redis.call('SMISMEMBER', KEYS[2], ARGV[1], '\\0*')
  if r[1] == 0 and r[2] == 0 then holder = ARGV[3] end
end
if holder and holder ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[3], KEYS[1])
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
