-- wrk script for bench/verifier: POSTs the credentials of a file (one JSON document per line) in turn, so that no
-- request is a cache hit unless the file holds one credential; prints its figures as one JSON line at the end.
local bodies = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = line
  end
  -- threads start at different offsets so that two threads do not send the same credential at the same moment
  counter = math.random(#bodies)
end

function request()
  counter = counter % #bodies + 1
  return wrk.format("POST", "/v1/verify", { ["Content-Type"] = "application/json" }, bodies[counter])
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "seconds": %.6f, "p50_us": %d, "p99_us": %d, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99), errors
  ))
end
