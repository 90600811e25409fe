-- barrier-break.lua — Barrier.reset() and abort(): every waiter of the round fails with
-- BrokenBarrierError (a grant record "x", so a lost message is found by its renewal; it clears
-- the record). reset leaves the barrier filling (repairing a broken one); abort leaves it broken
-- until a reset.
-- KEYS: meta, expiry, granted, retired, line:wait  (see prelude.lua)
-- ARGV: kind ("barrier"), config (parties), lease, channel prefix, ARGV[5] "reset" or "abort"
-- Reply: {"broken", waiters failed} | {"clash", …}
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
local waiting = redis.call('ZRANGE', LINE, 0, -1)
for _, id in ipairs(waiting) do grant(id, 'wait', 'x', true) end
if ARGV[5] == 'abort' then
  redis.call('HSET', META, 'flag', '1')
else
  redis.call('HDEL', META, 'flag')
end
return { 'broken', #waiting }
