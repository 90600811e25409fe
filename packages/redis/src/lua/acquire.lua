-- acquire.lua — Lock / Semaphore / BoundedSemaphore: take a permit if one is free and nobody
-- waits, else queue (or, for tryAcquire, say it is busy). Idempotent by waiter id: a re-sent
-- request returns what the first one did, and a retired id is never queued again.
-- KEYS: meta, expiry, granted, retired, line:acquire  (see prelude.lua)
-- ARGV: kind, config (the number of permits), lease, channel prefix,
--       ARGV[5] id, ARGV[6] "wait" or "try"
-- Reply: {"granted", fence} | {"waiting", ms to the next deadline} | {"busy"} | {"gone"} | {"clash", kind, config}
--@include prelude.lua
local clash = declare()
if clash then return clash end
local id, mode = ARGV[5], ARGV[6]

local replayed = replay(id)
if replayed then return replayed end

-- Between scripts a permit is free only if nobody waits (every script that frees one serves);
-- when none is free, reaping holders past their deadline may free one (and serve the line).
local capacity = tonumber(CONFIG)
local full = redis.call('HLEN', GRANTED) >= capacity
if full then
  reap()
  full = redis.call('HLEN', GRANTED) >= capacity or redis.call('ZCARD', LINE) > 0
end
if not full then
  local fence = string.format('%d', redis.call('HINCRBY', META, 'fence', 1))
  grant(id, 'acquire', fence, false)
  return { 'granted', fence }
end
if mode == 'try' then return { 'busy' } end
enqueue(id)
return { 'waiting', next_deadline() }
