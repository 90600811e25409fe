-- release.lua — a holder gives its grant back (a permit, the lock); what it frees is handed to
-- the first live waiter inside this script, so nobody can barge in. Idempotent by id.
-- KEYS: meta, expiry, granted, retired, the kind's lines  (see prelude.lua)
-- ARGV: kind, config, lease, channel prefix, ARGV[5] id
-- Reply: {"released"} | {"gone"} (released before, or reaped when its lease ran out) | {"clash", …}
--@include prelude.lua
local id = ARGV[5]

-- Its owner had the grant in hand: the name was declared, and no request for this id can still
-- be on its way, so there is nothing to check and nothing to retire.
if redis.call('HDEL', GRANTED, id) == 0 then return { 'gone' } end
redis.call('ZREM', EXPIRY, id)
serve()
return { 'released' }
