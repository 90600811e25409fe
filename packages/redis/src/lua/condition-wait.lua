-- condition-wait.lua — Condition.wait(): in one step, the caller's lease on the lock is released
-- (the lock goes to the first live waiter on it) and the caller queues on the condition's line, so
-- no notification can come in between. Idempotent by waiter id.
-- KEYS: the lock's meta, expiry, granted, retired, line:acquire; KEYS[6] the condition's line
-- ARGV: kind ("lock"), config ("1"), lease, channel prefix, ARGV[5] the caller's lease id (holder),
--       ARGV[6] the waiter id
-- Reply: {"waiting", ms to the next deadline} | {"granted", fence} (a re-sent request, notified
--        and granted since) | {"notheld"} (the lease is gone) | {"gone"} | {"clash", …}
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
local holder, id = ARGV[5], ARGV[6]

local replayed = replay(id)
if replayed then return replayed end
if redis.call('HDEL', GRANTED, holder) == 0 then return { 'notheld' } end
redis.call('ZREM', EXPIRY, holder)
enqueue(id, KEYS[6])
serve()
return { 'waiting', next_deadline() }
