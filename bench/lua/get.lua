-- A GET with the headers named in BENCH_AUTH ("Bearer ...") and BENCH_NAMESPACE, if set.
if os.getenv("BENCH_AUTH") then wrk.headers["Authorization"] = os.getenv("BENCH_AUTH") end
