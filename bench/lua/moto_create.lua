-- moto IAM CreateUser (AWS query protocol) with a fresh UserName on every request. moto's
-- server does not check signatures; the Authorization header only routes to the IAM backend.
local n = 0
local tag = os.getenv("BENCH_TAG") or "run"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/us-east-1/iam/"
  .. "aws4_request, SignedHeaders=host;x-amz-date, Signature=0"
wrk.headers["X-Amz-Date"] = "20250101T000000Z"

request = function()
  n = n + 1
  return wrk.format(nil, nil, nil,
    string.format("Action=CreateUser&Version=2010-05-08&UserName=bench-%s-%d&Path=%%2F", tag, n))
end
