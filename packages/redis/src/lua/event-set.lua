-- event-set.lua — Event.set(): raise the flag and wake every waiter, in every process, inside
-- this script: each gets a grant record, so a clear() right after cannot take it back.
-- KEYS: meta, expiry, granted, retired, line:wait  (see prelude.lua)
-- ARGV: kind ("event"), config (""), lease, channel prefix
-- Reply: {"set", waiters woken} | {"clash", …}
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
local waiting = redis.call('ZCARD', LINE)
redis.call('HSET', META, 'flag', '1')
serve()
return { 'set', waiting }
