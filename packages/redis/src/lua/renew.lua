-- renew.lua — the session heartbeat for one primitive: pushes the deadline of each of the
-- session's entries (holders and waiters) one lease on, and reports each one's state, so a
-- waiter whose wake-up message was lost learns of its grant here. Never re-acquires: an entry
-- that is gone (reaped after its deadline, or withdrawn) is reported lost and stays gone.
-- KEYS: meta, expiry, granted, retired, the kind's lines  (see prelude.lua)
-- ARGV: kind, config, lease, channel prefix, ARGV[5…] ids
-- Reply: {"renewed", ms to the next deadline, state of id 1, payload of id 1, state of id 2, …}
--        with each state "granted" (payload: what was handed over), "waiting" or "lost" (payload "")
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
local reply = { 'renewed', 0 }
for index = 5, #ARGV do
  local id = ARGV[index]
  local status, payload = status_of(id)
  if status == 'granted' or status == 'waiting' then
    redis.call('ZADD', EXPIRY, 'XX', now() + LEASE, id)
    reply[#reply + 1] = status
    reply[#reply + 1] = payload or ''
  else
    reply[#reply + 1] = 'lost'
    reply[#reply + 1] = ''
  end
end
reply[2] = next_deadline()
-- Entries can live longer than a key's deadline: each renewal pushes them all on.
for index = 2, LAST_MACHINERY do touch(KEYS[index]) end
return reply
