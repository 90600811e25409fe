-- queue-get.lua — Queue.get()/getNowait()/getLeased(): take the next item (the slot it frees lets
-- the first live putter's item in, in this script), or queue as a getter; "try" never queues.
-- "take" removes the item; "lease" keeps it in a grant record renewed by the caller's session,
-- whose undoing (the lease running out) puts it back at the head. A getter granted later gets its
-- item in the message (see serve() in prelude.lua). Idempotent by id.
-- KEYS: meta, expiry, granted, retired, line:get, line:put, line:join, carried, items  (see prelude.lua)
-- ARGV: kind, config (maxsize), lease, channel prefix, ARGV[5] id, ARGV[6] "wait" or "try",
--       ARGV[7] "take" or "lease"
-- Reply: {"granted", item, unit (what queue-return.lua takes back)} | {"claim", "i" or "l" .. item}
--        (a re-sent request found its grant: as if by message)
--        | {"waiting", ms to the next deadline} | {"busy"} (empty) | {"shutdown"} | {"gone"} | {"clash", …}
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
local id, mode, hold = ARGV[5], ARGV[6], ARGV[7]

local replayed = replay(id, 'claim')
if replayed then return replayed end

-- Items are in the store only while no live getter waits, so the next one is this caller's.
if store_size() > 0 then
  local unit = store_take()
  if hold == 'lease' then grant(id, 'get', 'l' .. unit, false) end
  -- Only a putter can be served now (the store still has what getters would want).
  if redis.call('ZCARD', PUTTERS) > 0 then serve() end
  return { 'granted', shown(unit), unit }
end
if SHUTDOWN then return { 'shutdown' } end
if mode == 'try' then return { 'busy' } end
enqueue(id, LINE)
if hold == 'lease' then
  redis.call('HSET', CARRIED, id, 'l')
  touch(CARRIED)
end
return { 'waiting', next_deadline() }
