-- queue-return.lua — an item taken at once by a get() whose caller had given up (abort, timeout)
-- before the reply came: it goes back to the head of the queue (to the first live getter, if one
-- waits). Its task was never done, so the count is unchanged.
-- KEYS: meta, expiry, granted, retired, line:get, line:put, line:join, carried, items  (see prelude.lua)
-- ARGV: kind, config, lease, channel prefix, ARGV[5] the unit queue-get.lua replied
-- Reply: {"returned"}
--@include prelude.lua
store_add(ARGV[5], true)
serve()
return { 'returned' }
