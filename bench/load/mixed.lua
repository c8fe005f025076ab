-- Mixed traffic for wrk: every request takes a path at random from the list that
-- bench/load/urls.py wrote ($LOAD_PATHS), sent as a TLS-terminating proxy forwards it.
-- At the end: requests, throughput, latency percentiles and every status code seen.

local paths_file = os.getenv("LOAD_PATHS") or "bench/load/paths.txt"
local threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   paths = {}
   for line in io.lines(paths_file) do
      if #line > 0 then
         paths[#paths + 1] = line
      end
   end
   math.randomseed(os.time() * 100 + id)
   statuses = {}
   wrk.headers["X-Forwarded-Proto"] = "https"
end

function request()
   return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local counts = {}
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses")) do
         counts[status] = (counts[status] or 0) + n
      end
   end
   local codes = {}
   for status, n in pairs(counts) do
      codes[#codes + 1] = string.format('"%d": %d', status, n)
   end
   table.sort(codes)
   local errors = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      '{"requests": %d, "seconds": %.1f, "requests_per_second": %.1f, "megabytes": %.1f, ' ..
      '"latency_ms": {"p50": %.1f, "p90": %.1f, "p99": %.1f, "max": %.1f}, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, ' ..
      '"statuses": {%s}}\n',
      summary.requests, seconds, summary.requests / seconds, summary.bytes / 1e6,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000,
      errors.connect, errors.read, errors.write, errors.timeout, errors.status,
      table.concat(codes, ", ")))
end
