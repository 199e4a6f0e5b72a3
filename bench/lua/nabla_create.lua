-- Nabla POST /users with metadata and a fresh external_id on every request (unique per org).
local n = 0
local tag = os.getenv("BENCH_TAG") or "run"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_AUTH")

request = function()
  n = n + 1
  local body = string.format('{"external_id":"ehr-%s-%d","specialty":"CARDIOLOGY",'
    .. '"metadata":{"department":"cardio","site":"Boston","badge":"%d"}}', tag, n, n)
  return wrk.format(nil, nil, nil, body)
end
