-- queue-shutdown.lua — Queue.shutdown(immediate), asyncio 3.13's: from now on every put fails;
-- every waiting putter fails (its item never enters) and every waiting getter fails (they wait
-- only on an empty store). `immediate` also drops the items left, counts each as done (waking
-- joiners at 0) and returns them in the order they would have been served. A waiter is told by
-- a grant record "s" (so a lost message is found by its renewal); it clears the record.
-- KEYS: meta, expiry, granted, retired, line:get, line:put, line:join, carried, items  (see prelude.lua)
-- ARGV: kind, config, lease, channel prefix, ARGV[5] "1" for immediate, else "0"
-- Reply: {"shutdown", dropped item 1, dropped item 2, …} | {"clash", …}
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
redis.call('HSET', META, 'shutdown', '1')
local reply = { 'shutdown' }
if ARGV[5] == '1' then
  local units
  if KIND == 'priorityQueue' then
    units = {}
    local pairs_ = redis.call('ZRANGE', ITEMS, 0, -1, 'WITHSCORES')
    for index = 1, #pairs_, 2 do units[#units + 1] = pairs_[index + 1] .. ' ' .. pairs_[index] end
  else
    units = redis.call('LRANGE', ITEMS, 0, -1)
  end
  redis.call('DEL', ITEMS)
  for _, unit in ipairs(units) do reply[#reply + 1] = shown(unit) end
  local tasks = tonumber(redis.call('HGET', META, 'tasks') or 0)
  redis.call('HSET', META, 'tasks', math.max(0, tasks - #units))
  wake_joiners()
end
for _, id in ipairs(redis.call('ZRANGE', LINE, 0, -1)) do
  redis.call('HDEL', CARRIED, id)
  grant(id, 'get', 's', true, LINE)
end
for _, id in ipairs(redis.call('ZRANGE', PUTTERS, 0, -1)) do
  redis.call('HDEL', CARRIED, id)
  grant(id, 'put', 's', true, PUTTERS)
end
return reply
