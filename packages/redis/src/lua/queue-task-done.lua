-- queue-task-done.lua — Queue.taskDone(): one unfinished task fewer, across every process; at 0
-- every joiner is woken. Refused (nothing changes) when no task is unfinished.
-- KEYS: meta, expiry, granted, retired, line:get, line:put, line:join, carried, items  (see prelude.lua)
-- ARGV: kind, config, lease, channel prefix
-- Reply: {"done", unfinished tasks left} | {"underflow"} | {"clash", …}
--@include prelude.lua
local clash = declare()
if clash then return clash end
local tasks = tonumber(redis.call('HGET', META, 'tasks') or 0)
if tasks <= 0 then return { 'underflow' } end
redis.call('HSET', META, 'tasks', tasks - 1)
if tasks == 1 then wake_joiners() end
return { 'done', tasks - 1 }
