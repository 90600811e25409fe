-- condition-cancel.lua — a Condition.wait() gives up (abort, timeout) but must still hold the lock
-- when it settles: a waiter not yet notified moves to the tail of the lock's acquire line; one
-- notified already passes its notification on to the next live waiter of the condition and
-- keeps its place on the acquire line. Idempotent by id.
-- KEYS: the lock's meta, expiry, granted, retired, line:acquire; KEYS[6] the condition's line
-- ARGV: kind ("lock"), config ("1"), lease, channel prefix, ARGV[5] the waiter id
-- Reply: {"granted", fence} (it holds the lock) | {"requeued"} | {"passed"} | {"gone"} | {"clash", …}
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
local id = ARGV[5]
local reply = { 'gone' }
if redis.call('ZREM', KEYS[6], id) == 1 then
  redis.call('ZADD', LINE, redis.call('HINCRBY', META, 'seq', 1), id)
  touch(LINE)
  serve()
  reply = { 'requeued' }
elseif redis.call('ZSCORE', LINE, id) then
  local next = first_live(KEYS[6])
  if next then
    redis.call('ZREM', KEYS[6], next)
    redis.call('ZADD', LINE, redis.call('HINCRBY', META, 'seq', 1), next)
  end
  reply = { 'passed' }
end
local status, payload = status_of(id)
if status == 'granted' then return { 'granted', payload } end
return reply
