-- statistics.lua — what every process sees of one primitive, after reaping the dead.
-- KEYS: meta, expiry, granted, retired, the kind's lines  (see prelude.lua)
-- ARGV: kind, config, lease, channel prefix
-- Reply: {"statistics", granted entries (holders), waiting in the first line, flag ("1" or "")}
--        | {"clash", …}
--@include prelude.lua
local clash = declare_and_reap()
if clash then return clash end
return {
  'statistics',
  redis.call('HLEN', GRANTED),
  redis.call('ZCARD', LINE),
  redis.call('HGET', META, 'flag') or '',
}
