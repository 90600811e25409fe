-- event-clear.lua — Event.clear(): lower the flag; later waits block again.
-- KEYS: meta, expiry, granted, retired, line:wait  (see prelude.lua)
-- ARGV: kind ("event"), config (""), lease, channel prefix
-- Reply: {"cleared"} | {"clash", …}
--@include prelude.lua
local clash = declare()
if clash then return clash end
redis.call('HDEL', META, 'flag')
return { 'cleared' }
