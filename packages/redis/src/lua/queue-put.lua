-- queue-put.lua — Queue.put()/putNowait(): hand the item to the first live getter, or store it if
-- there is room, or (full) queue as a putter carrying its item; "try" never queues. Idempotent by
-- id: a re-sent request returns what the first one did, and a retired id is never queued again.
-- KEYS: meta, expiry, granted, retired, line:get, line:put, line:join, carried, items  (see prelude.lua)
-- ARGV: kind, config (maxsize), lease, channel prefix, ARGV[5] id, ARGV[6] "wait" or "try",
--       ARGV[7] the encoded item, ARGV[8] its priority (priorityQueue)
-- Reply: {"granted", ""} | {"waiting", ms to the next deadline} | {"busy"} (full) | {"shutdown"}
--        | {"gone"} | {"clash", kind, config}
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
local id, mode, item = ARGV[5], ARGV[6], ARGV[7]

local status = status_of(id)
if status == 'granted' then return { 'granted', '' } end
if status == 'waiting' then return { 'waiting', next_deadline() } end
if status == 'retired' then return { 'gone' } end
if SHUTDOWN then return { 'shutdown' } end

local unit = item
if KIND == 'priorityQueue' then
  unit = ARGV[8] .. ' ' .. string.format('%016d', redis.call('HINCRBY', META, 'order', 1)) .. ' ' .. item
end
-- Between scripts, a getter waits only on an empty store and a putter only on a full one (every
-- script that changes either serves the lines): so this item is next for the first live getter,
-- and there is room for it only if nobody waits to put.
if not store_full() and redis.call('ZCARD', PUTTERS) == 0 then
  store_add(unit, false)
  redis.call('HINCRBY', META, 'tasks', 1)
  -- Only a getter can be served now (no slot was freed).
  if redis.call('ZCARD', LINE) > 0 then serve() end
  return { 'granted', '' }
end
if mode == 'try' then return { 'busy' } end
enqueue(id, PUTTERS)
redis.call('HSET', CARRIED, id, unit)
touch(CARRIED)
return { 'waiting', next_deadline() }
