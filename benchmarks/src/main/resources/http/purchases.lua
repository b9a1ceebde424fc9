-- wrk script for POST /purchases of examples-helidon.
-- args: mode ("distinct": a new user per request, "hot": the same user and ticket every time),
--       run id (keeps users of different runs apart), path (default /purchases; the benchmark's
--       floors are served under /floor/<variant>).
-- Counts responses per status code and 100 ms wall-clock bucket; done() prints them and the
-- latency percentiles as lines the benchmark driver parses:
--   bucket <epoch ms / 100> <status> <count>
--   summary requests=<n> seconds=<s> p50=<µs> p90=<µs> p99=<µs> max=<µs> connect=<n> read=<n> write=<n> timeout=<n>
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_usec; } cs_timeval;
int gettimeofday(cs_timeval *tv, void *tz);
]]
local tv = ffi.new("cs_timeval")

local function now_ms()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + math.floor(tonumber(tv.tv_usec) / 1000)
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  mode = args[1] or "distinct"
  run = args[2] or "r"
  path = args[3] or "/purchases"
  seq = 0
  buckets = {}
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  seq = seq + 1
  local body
  if mode == "hot" then
    body = "userId=hot&ticketId=1"
  else
    body = "userId=" .. run .. "-" .. tid .. "-" .. seq .. "&ticketId=1"
  end
  return wrk.format(nil, path, nil, body)
end

-- a flat table keyed "bucket:status": wrk's thread:get crashes on nested tables
function response(status, headers, body)
  local key = math.floor(now_ms() / 100) .. ":" .. status
  buckets[key] = (buckets[key] or 0) + 1
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("buckets")) do
      local colon = string.find(key, ":", 1, true)
      io.write(string.format("bucket %s %s %d\n", string.sub(key, 1, colon - 1),
          string.sub(key, colon + 1), count))
    end
  end
  local e = summary.errors
  io.write(string.format("summary requests=%d seconds=%.3f p50=%d p90=%d p99=%d max=%d"
      .. " connect=%d read=%d write=%d timeout=%d\n", summary.requests, summary.duration / 1e6,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      e.connect, e.read, e.write, e.timeout))
end
