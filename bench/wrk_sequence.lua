-- wrk script: POST GraphQL bodies read from a file, one JSON body per line, in that order
-- (then again from the first), and report percentiles as JSON with the count of answers the
-- entity cache served whole (`"misses":{}` in extensions.cache). Used by bench/entity_cache.py
-- with one thread (-t1), so the whole run follows the file's order: BENCH_BODIES is the file,
-- BENCH_TOKEN the bearer token.
local bodies = {}
for line in io.lines(os.getenv("BENCH_BODIES")) do
  bodies[#bodies + 1] = line
end
local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
}
local threads = {}
sent = 0
cached = 0
failed = 0

function setup(thread)
  threads[#threads + 1] = thread
end

function request()
  sent = sent + 1
  return wrk.format("POST", "/graphql", headers, bodies[(sent - 1) % #bodies + 1])
end

function response(status, response_headers, body)
  if string.find(body, '"misses":{}', 1, true) then
    cached = cached + 1
  end
  if string.find(body, '"errors"', 1, true) then
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local whole, errors = 0, 0
  for _, thread in ipairs(threads) do
    whole = whole + thread:get("cached")
    errors = errors + thread:get("failed")
  end
  io.write(string.format(
    '\nBENCH_JSON {"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p95_ms": %.3f, ' ..
    '"p99_ms": %.3f, "non_2xx": %d, "socket_errors": %d, "served_from_cache": %d, ' ..
    '"graphql_errors": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    whole, errors))
end
