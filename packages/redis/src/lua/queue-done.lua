-- queue-done.lua — LeasedItem.done(): the leased item was processed: its grant record goes (the
-- item stays out of the queue for good) and its task counts as done, waking joiners at 0. A lease
-- that ran out already (the item went back to the head) changes nothing. Idempotent by id.
-- KEYS: meta, expiry, granted, retired, line:get, line:put, line:join, carried, items  (see prelude.lua)
-- ARGV: kind, config, lease, channel prefix, ARGV[5] id
-- Reply: {"done"} | {"gone"}
--@include prelude.lua
local id = ARGV[5]
if redis.call('HDEL', GRANTED, id) == 0 then return { 'gone' } end
redis.call('ZREM', EXPIRY, id)
if tonumber(redis.call('HINCRBY', META, 'tasks', -1)) <= 0 then
  redis.call('HSET', META, 'tasks', 0)
  wake_joiners()
end
return { 'done' }
