-- reap.lua — entries past their deadline leave and what they held is handed on (the prelude does
-- it at the start of every script; this one does only that). A waiter runs it when the next
-- deadline passes, since a deadline passing publishes nothing.
-- KEYS: meta, expiry, granted, retired, the kind's lines  (see prelude.lua)
-- ARGV: kind, config, lease, channel prefix
-- Reply: {"reaped", ms to the next deadline} | {"clash", …}
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
return { 'reaped', next_deadline() }
