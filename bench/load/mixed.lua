-- Mixed traffic for wrk: every request takes a path at random from the list that
-- bench/load/urls.py wrote ($LOAD_PATHS), sent as a TLS-terminating proxy forwards it.
-- LOAD_MIX=uniform (the default): every path as likely as any other. LOAD_MIX=zipf: the
-- n-th path of the list with a weight of 1/n^s (LOAD_ZIPF_S, 1.0): a few popular pages
-- and a long tail, as a public site's traffic is. At the end, one line of JSON: requests,
-- throughput, wrk's latency percentiles, its latency histogram, and with
-- LOAD_STATUSES=yes every status code seen.
--
-- wrk (4.x) adds to its latency histogram, before this script sees it, the waits a client
-- sending at a steady rate would have had behind each slow answer (its "coordinated
-- omission" correction); bench/load/report.py takes them out again, from the histogram,
-- to give the requests' own latencies.
--
-- Counting the statuses takes a response() callback, and with one wrk hands every
-- response's headers and body to Lua: at thousands of requests a second that costs wrk
-- the CPU it shares with the server (20 s of this script against the load test's nginx
-- with its cache full, one run with the callback and one without: 12,500 and 20,800
-- requests a second). Without it, wrk still counts the answers of 400 and above
-- (errors.status), and the servers' logs give the rest.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { uint64_t count; uint64_t limit; uint64_t min; uint64_t max; uint64_t data[]; } wrk_stats;
]]

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
   cumulative = nil
   if os.getenv("LOAD_MIX") == "zipf" then
      local s = tonumber(os.getenv("LOAD_ZIPF_S") or "1.0")
      cumulative = {}
      local total = 0
      for n = 1, #paths do
         total = total + 1 / n ^ s
         cumulative[n] = total
      end
   end
   statuses = {}
   wrk.headers["X-Forwarded-Proto"] = "https"
end

-- The first path whose cumulative weight reaches a uniform draw.
local function zipf_index()
   local target = math.random() * cumulative[#cumulative]
   local low, high = 1, #cumulative
   while low < high do
      local middle = math.floor((low + high) / 2)
      if cumulative[middle] < target then low = middle + 1 else high = middle end
   end
   return low
end

function request()
   local n = cumulative and zipf_index() or math.random(#paths)
   return wrk.format("GET", paths[n])
end

if os.getenv("LOAD_STATUSES") == "yes" then
   function response(status, headers, body)
      statuses[status] = (statuses[status] or 0) + 1
   end
end

-- Every latency recorded (microseconds) with its count, as "[us, count], …"; nil when
-- wrk's histogram cannot be read. latency(i) walks the whole histogram for each i, hours
-- for a run of hundreds of thousands of requests, so wrk's struct (stats.h: count, limit,
-- min, max, then a count for each microsecond) is read once through the FFI instead, and
-- only when its min and max are those wrk's own interface gives.
local function histogram(latency)
   local stats = ffi.cast("wrk_stats **", latency)[0]
   if tonumber(stats.min) ~= latency.min or tonumber(stats.max) ~= latency.max then
      return nil
   end
   local recorded = {}
   for microseconds = tonumber(stats.min), tonumber(stats.max) do
      local count = tonumber(stats.data[microseconds])
      if count > 0 then
         recorded[#recorded + 1] = string.format("[%d, %d]", microseconds, count)
      end
   end
   return table.concat(recorded, ", ")
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
   local recorded = histogram(latency)
   local errors = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      '{"requests": %d, "seconds": %.1f, "duration_us": %d, "requests_per_second": %.1f, ' ..
      '"megabytes": %.1f, ' ..
      '"wrk_latency_ms": {"mean": %.1f, "p50": %.1f, "p90": %.1f, "p99": %.1f, "max": %.1f}, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, ' ..
      '"statuses": {%s}, "histogram_us": %s}\n',
      summary.requests, seconds, summary.duration, summary.requests / seconds,
      summary.bytes / 1e6,
      latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000,
      errors.connect, errors.read, errors.write, errors.timeout, errors.status,
      table.concat(codes, ", "), recorded and "[" .. recorded .. "]" or "null"))
end
