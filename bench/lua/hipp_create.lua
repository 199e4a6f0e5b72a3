-- Hipp POST /v1/users with a fresh e-mail on every request, so that every create succeeds.
-- BENCH_TAG keeps the e-mails of separate runs apart; BENCH_AUTH is the Bearer API key.
local n = 0
local tag = os.getenv("BENCH_TAG") or "run"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_AUTH") or "your-api-key")

request = function()
  n = n + 1
  local body = string.format('{"firstName":"Jane","lastName":"Smith","email":"jane.%s.%d@example.com",'
    .. '"role":"CLINICIAN","phoneNumber":"+1234567890"}', tag, n)
  return wrk.format(nil, nil, nil, body)
end
