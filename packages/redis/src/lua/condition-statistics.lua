-- condition-statistics.lua — what every process sees of a condition: whether its lock is held,
-- and its waiters not yet notified (not the callers queued on the lock). A waiter reaped by one of
-- the lock's own scripts (which do not know this line) leaves the line here.
-- KEYS: the lock's meta, expiry, granted, retired, line:acquire; KEYS[6] the condition's line
-- ARGV: kind ("lock"), config ("1"), lease, channel prefix
-- Reply: {"statistics", holders of the lock, waiters} | {"clash", …}
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
for _, id in ipairs(redis.call('ZRANGE', KEYS[6], 0, -1)) do
  if not redis.call('ZSCORE', EXPIRY, id) then redis.call('ZREM', KEYS[6], id) end
end
return { 'statistics', redis.call('HLEN', GRANTED), redis.call('ZCARD', KEYS[6]) }
