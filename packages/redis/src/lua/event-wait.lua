-- event-wait.lua — Event.wait(): done at once if the flag is set, else queue until set() wakes
-- every waiter. Idempotent by waiter id.
-- KEYS: meta, expiry, granted, retired, line:wait  (see prelude.lua)
-- ARGV: kind ("event"), config (""), lease, channel prefix, ARGV[5] id, ARGV[6] "wait" or "try"
-- Reply: {"granted", "1"} | {"waiting", ms to the next deadline} | {"busy"} | {"gone"} | {"clash", …}
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
local id, mode = ARGV[5], ARGV[6]

local replayed = replay(id)
if replayed then return replayed end
if redis.call('HGET', META, 'flag') == '1' then return { 'granted', '1' } end
if mode == 'try' then return { 'busy' } end
enqueue(id)
return { 'waiting', next_deadline() }
