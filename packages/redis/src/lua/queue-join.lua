-- queue-join.lua — Queue.join(): done at once when no task is unfinished, else queue until the
-- count comes to 0 (taskDone, done, an immediate shutdown). Idempotent by id.
-- KEYS: meta, expiry, granted, retired, line:get, line:put, line:join, carried, items  (see prelude.lua)
-- ARGV: kind, config, lease, channel prefix, ARGV[5] id, ARGV[6] "wait" or "try"
-- Reply: {"granted", "d"} | {"waiting", ms to the next deadline} | {"busy"} | {"gone"} | {"clash", …}
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
local id, mode = ARGV[5], ARGV[6]

local replayed = replay(id)
if replayed then return replayed end
if tonumber(redis.call('HGET', META, 'tasks') or 0) <= 0 then return { 'granted', 'd' } end
if mode == 'try' then return { 'busy' } end
enqueue(id, JOINERS)
return { 'waiting', next_deadline() }
