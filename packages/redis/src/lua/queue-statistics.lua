-- queue-statistics.lua — what every process sees of a queue, after reaping the dead.
-- KEYS: meta, expiry, granted, retired, line:get, line:put, line:join, carried, items  (see prelude.lua)
-- ARGV: kind, config, lease, channel prefix
-- Reply: {"statistics", items, getters, putters, unfinished tasks, "1" if shut down else ""} | {"clash", …}
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
local meta = redis.call('HMGET', META, 'tasks', 'shutdown')
return { 'statistics', store_size(), redis.call('ZCARD', LINE), redis.call('ZCARD', PUTTERS), tonumber(meta[1] or 0), meta[2] or '' }
