-- barrier-wait.lua — Barrier.wait(): the last of `parties` live waiters trips the round: each
-- waiter, in arrival order, is granted its index (0 … parties-2; the caller gets parties-1), so
-- indices are unique in a round even when a waiter left it. Refused while broken. Idempotent by id.
-- KEYS: meta, expiry, granted, retired, line:wait  (see prelude.lua)
-- ARGV: kind ("barrier"), config (parties), lease, channel prefix, ARGV[5] id, ARGV[6] "wait" or "try"
-- Reply: {"granted", index} | {"waiting", ms to the next deadline} | {"busy"} | {"broken"} | {"gone"}
--        | {"clash", …}
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
local id, mode = ARGV[5], ARGV[6]

local replayed = replay(id)
if replayed then return replayed end
if redis.call('HGET', META, 'flag') == '1' then return { 'broken' } end

local waiting = redis.call('ZRANGE', LINE, 0, -1)
if #waiting + 1 < tonumber(CONFIG) then
  if mode == 'try' then return { 'busy' } end
  enqueue(id)
  return { 'waiting', next_deadline() }
end
for index, waiter in ipairs(waiting) do grant(waiter, 'wait', tostring(index - 1), true) end
return { 'granted', tostring(#waiting) }
