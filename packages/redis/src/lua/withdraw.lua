-- withdraw.lua — a waiter gives up (abort, timeout, lost connection) or a woken waiter clears its
-- grant record. If a grant reached it first, the grant is undone and passed on to the next in
-- line. Idempotent by id: a retry (until it sticks) or a late duplicate changes nothing, and the
-- id is retired so a re-sent request cannot queue it again.
-- KEYS: meta, expiry, granted, retired, the kind's lines  (see prelude.lua)
-- ARGV: kind, config, lease, channel prefix, ARGV[5] id
-- Reply: {"withdrawn"} (it was waiting) | {"passed"} (it had been granted) | {"gone"} | {"clash", …}
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
local id = ARGV[5]

local where = leave(id, true)
serve()
if where == 'waiting' then return { 'withdrawn' } end
if where == 'granted' then return { 'passed' } end
return { 'gone' }
