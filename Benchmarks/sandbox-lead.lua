-- wrk script: POST a lead with the sandbox's credentials; every request a new phone number,
-- so the sandbox does the full work (auth, form decoding, validation, a new id).
local key = os.getenv("SANDBOX_KEY")
local app = os.getenv("SANDBOX_APP")
local counter = 0
thread_id = 0

function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Basic " .. base64(key .. ":" .. key)
  wrk.headers["X-API-KEY"] = key
  wrk.headers["ACTION-ON"] = app
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  counter = counter + 1
  local phone = string.format("9%d%08d", thread_id, counter)
  local body = "f_name=Donald&l_name=Joe&phonefax=" .. phone ..
    "&subject=Lead%20from%20Facebook&channel_id=Facebook&rep_id=donaldjoe&alert_client=0&alert_rep=0"
  return wrk.format(nil, nil, nil, body)
end

local b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
function base64(data)
  return ((data:gsub(".", function(x)
    local r, byte = "", x:byte()
    for i = 8, 1, -1 do r = r .. (byte % 2 ^ i - byte % 2 ^ (i - 1) > 0 and "1" or "0") end
    return r
  end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(x)
    if #x < 6 then return "" end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return b64:sub(c + 1, c + 1)
  end) .. ({ "", "==", "=" })[#data % 3 + 1])
end

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("sandbox: %.0f requests/s over %d requests, latency p50 %.2f ms, p99 %.2f ms, errors %d\n",
    summary.requests / (summary.duration / 1e6), summary.requests,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
