-- queue-claim.lua — a getter woken by a grant message takes its item from its grant record:
-- "take" (get) removes the record, "lease" (getLeased) keeps it, renewed by the session, until
-- done. A record that is gone (the getter's deadline passed and the item went back) yields nothing.
-- KEYS: meta, expiry, granted, retired, line:get, line:put, line:join, carried, items  (see prelude.lua)
-- ARGV: kind, config, lease, channel prefix, ARGV[5] id, ARGV[6] "take" or "lease"
-- Reply: {"item", item} | {"gone"}
--@include prelude.lua
local id, hold = ARGV[5], ARGV[6]
local record = redis.call('HGET', GRANTED, id)
if not record or string.sub(record, 1, 5) ~= 'get:i' then return { 'gone' } end
local unit = string.sub(record, 6)
if hold == 'take' then
  redis.call('HDEL', GRANTED, id)
  redis.call('ZREM', EXPIRY, id)
else
  redis.call('ZADD', EXPIRY, 'XX', now() + LEASE, id)
end
return { 'item', shown(unit) }
