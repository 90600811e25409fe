-- condition-notify.lua — Condition.notify(n) / notifyAll(): the first n live waiters of the
-- condition move, in order, to the tail of the lock's acquire line, where the lock's release
-- grants them in turn (each pending wait() then resolves holding the lock). Needs the caller's
-- lease on the lock to be held.
-- KEYS: the lock's meta, expiry, granted, retired, line:acquire; KEYS[6] the condition's line
-- ARGV: kind ("lock"), config ("1"), lease, channel prefix, ARGV[5] the caller's lease id, ARGV[6] n
-- Reply: {"notified", waiters moved} | {"notheld"} | {"clash", …}
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
if not redis.call('HGET', GRANTED, ARGV[5]) then return { 'notheld' } end
local moved, wanted = 0, tonumber(ARGV[6])
while moved < wanted do
  local head = first_live(KEYS[6])
  if not head then break end
  redis.call('ZREM', KEYS[6], head)
  redis.call('ZADD', LINE, redis.call('HINCRBY', META, 'seq', 1), head)
  moved = moved + 1
end
if moved > 0 then touch(LINE) end
return { 'notified', moved }
