-- wrk script of bench.peers: POST one GraphQL body (BENCH_BODY; BENCH_TOKEN, when set, as a
-- bearer) and report percentiles as JSON, with the requests sent: those still in flight when
-- wrk stops are sent but not completed, and the gateway under test may still run them.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

sent = 0
local formatted = nil
function request()
  sent = sent + 1
  formatted = formatted or wrk.format()
  return formatted
end

function done(summary, latency, requests)
  -- wrk calls request() once before the run, to check what it returns (script_verify_request,
  -- in the first thread's state): that one is never sent.
  local total = -1
  for _, thread in ipairs(threads) do
    total = total + thread:get("sent")
  end
  io.write(string.format(
    '\nBENCH_JSON {"requests": %d, "sent": %d, "seconds": %.3f, "p50_ms": %.3f, ' ..
    '"p95_ms": %.3f, "p99_ms": %.3f, "non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, total, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
