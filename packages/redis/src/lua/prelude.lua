-- prelude.lua — the waiter queue in Redis that every primitive's scripts share. It is not a
-- script of its own: the build pastes it where a script says `--@include prelude.lua` (see
-- tsup.config.ts), so each script stays one atomic transition while the machinery is written once.
-- It runs on every call, so it defines few functions and no tables (Lua builds them on each run).
--
-- KEYS, the same first four for every primitive (src/keys.ts builds them):
--   KEYS[1] meta     HASH  kind, config (value/parties/maxsize), fence (last fence handed out),
--                          seq (last arrival number), lease (longest lease of any session),
--                          and the kind's own fields (event: flag). Never expires: fences keep
--                          increasing for as long as Redis keeps its data.
--   KEYS[2] expiry   ZSET  every live entry, waiting or granted -> its deadline (ms, server time).
--                          The session that owns an entry pushes the deadline on (renew.lua).
--   KEYS[3] granted  HASH  entry id -> "<line>:<payload>": what was handed to it (a fence, an item…)
--   KEYS[4] retired  ZSET  ids that left -> until when to remember them, so a request re-sent
--                          after a reconnect (ioredis does) cannot bring a withdrawn entry back.
--   KEYS[5]          ZSET  the kind's first line: waiting id -> arrival number (FIFO). Kinds with
--                          more lines follow, then the kind's data keys (see below).
-- ARGV, the same first four for every script:
--   ARGV[1] kind     ARGV[2] config     ARGV[3] the caller's lease (ms)
--   ARGV[4] channel prefix: an entry id is "<session>:<n>"; its session listens on ARGV[4]..session
-- Replies are arrays whose first element says what happened ("granted", "waiting", "clash", …).
--
-- The kinds and their keys after KEYS[4]:
--   lock, semaphore, boundedSemaphore: line "acquire" (KEYS[5]). A condition's scripts run as its
--     lock's (kind "lock", keys under the lock's hash tag) with the condition's line "cond:<name>"
--     as KEYS[6]: notify moves a waiter from there onto the acquire line, where serve() grants it
--     the lock.
--   event: line "wait" (KEYS[5]); meta flag "1" while set.
--   barrier: line "wait" (KEYS[5]); meta flag "1" while broken. A trip grants each waiter its index.
--   queue, priorityQueue, lifoQueue: lines "get" (KEYS[5]), "put" (KEYS[6]), "join" (KEYS[7]);
--     KEYS[8] carried HASH putter id -> the item it carries; KEYS[9] items (LIST, head first; a
--     priorityQueue's is a ZSET: priority -> "<seq> <item>"), data that never expires; a waiting
--     getLeased() has "l" in carried. meta fields tasks (unfinished) and shutdown. A getter's grant
--     record holds its item: "i<unit>" for get() until it clears the record, "l<unit>" for a
--     leased item until done(). Undoing a grant puts the item back at the head: always for "l",
--     for "i" only when its getter gave up (a getter that died had it: at-most-once).
--
-- Adding a kind (as the condition, barrier and queues were): give it its line(s) after KEYS[5] and its
-- data keys after those (keys.ts), teach leave() to take an id out of every line of the kind and
-- to undo what a grant of that line handed out (put an item back at the head, pass a notification
-- on), teach serve() what the kind hands out when something is freed, and write one script per
-- transition that calls declare()/declare_and_reap() first. A grant's payload travels in the
-- grant record and the message; a payload too big for a message can stay in the record for the
-- waiter to claim with a script. Waiting, withdrawing, renewing, re-checking and reconnecting are
-- the session's (session.ts, waiting.ts) and need nothing new.

local KIND, CONFIG, LEASE, CHANNELS = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local META, EXPIRY, GRANTED, RETIRED, LINE = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local PERMITS = KIND == 'lock' or KIND == 'semaphore' or KIND == 'boundedSemaphore'
local QUEUE = KIND == 'queue' or KIND == 'priorityQueue' or KIND == 'lifoQueue'
local PUTTERS, JOINERS, CARRIED, ITEMS = KEYS[6], KEYS[7], KEYS[8], KEYS[9]
-- The keys a renewal keeps alive (every key but meta and a queue's items); and the lines, which
-- leave() takes an id out of.
local LAST_MACHINERY = QUEUE and 8 or #KEYS
local LAST_LINE = QUEUE and 7 or #KEYS
-- Every Redis call costs a few microseconds, so the server's time (TIME) and the meta fields are
-- read when first needed; a script that needs neither (a release nobody waits for) reads neither.
local NOW_MS
local function now()
  if not NOW_MS then
    local time = redis.call('TIME')
    NOW_MS = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  end
  return NOW_MS
end

-- How long retired ids are remembered: ten of the longest lease any session used on this name
-- (a minute at least); the machinery's keys outlive that by a lease.
local KEEP
local function keep()
  if not KEEP then KEEP = math.max(10 * tonumber(redis.call('HGET', META, 'lease') or LEASE), 60000) end
  return KEEP
end

-- The kind and config a name was first used with; any other use is a clash, returned as the
-- reply. Every script that may be a process's first contact with a name calls it first.
-- SHUTDOWN: whether a queue was shut down (read with the rest, as every queue script needs it).
local SHUTDOWN = false
local function declare()
  local meta = redis.call('HMGET', META, 'kind', 'config', 'lease', 'shutdown')
  SHUTDOWN = meta[4] == '1'
  if not meta[1] then
    redis.call('HSET', META, 'kind', KIND, 'config', CONFIG, 'lease', LEASE)
    meta[3] = LEASE
  elseif meta[1] ~= KIND or meta[2] ~= CONFIG then
    return { 'clash', meta[1], meta[2] }
  elseif tonumber(meta[3] or 0) < LEASE then
    redis.call('HSET', META, 'lease', LEASE)
    meta[3] = LEASE
  end
  KEEP = math.max(10 * tonumber(meta[3]), 60000)
  return nil
end

-- Lets a key of the machinery expire after its last entry could have, so a vanished process
-- leaves nothing behind; called for each key a script adds to (and by renew.lua for all of
-- them). meta is never given a deadline.
local function touch(key)
  redis.call('PEXPIRE', key, keep() + LEASE)
end

-- Puts `id` at the tail of `line` (default: the first), alive for the caller's lease.
local function enqueue(id, line)
  line = line or LINE
  redis.call('ZADD', line, redis.call('HINCRBY', META, 'seq', 1), id)
  redis.call('ZADD', EXPIRY, now() + LEASE, id)
  touch(line)
  touch(EXPIRY)
end

-- Hands `payload` to `id` (waiting in `line`, or new): it keeps its deadline, renewed by its
-- session. `notify`: take it out of the line's key (default: the first line) and publish it to the
-- waiter's session, with `message` (default: the payload) — a caller told in the reply needs none.
local function grant(id, line, payload, notify, key, message)
  redis.call('HSET', GRANTED, id, line .. ':' .. payload)
  touch(GRANTED)
  if notify then
    redis.call('ZREM', key or LINE, id)
    redis.call('PUBLISH', CHANNELS .. string.match(id, '^[^:]+'), id .. ' ' .. (message or payload))
  else
    redis.call('ZADD', EXPIRY, now() + LEASE, id)
    touch(EXPIRY)
  end
end

-- A queue's store. A unit is an item as stored: the encoded item, or for a priorityQueue
-- "<priority> <seq> <item>" (the ZSET's score and member, so an item put back keeps its place).
local function store_size()
  if KIND == 'priorityQueue' then return redis.call('ZCARD', ITEMS) end
  return redis.call('LLEN', ITEMS)
end

local function store_full()
  local maxsize = tonumber(CONFIG)
  return maxsize > 0 and store_size() >= maxsize
end

-- `head`: put back at the head (an item whose grant was undone) rather than where a put goes.
local function store_add(unit, head)
  if KIND == 'priorityQueue' then
    local priority, member = string.match(unit, '^(%S+) (.*)$')
    redis.call('ZADD', ITEMS, priority, member)
  elseif head or KIND == 'lifoQueue' then
    redis.call('LPUSH', ITEMS, unit)
  else
    redis.call('RPUSH', ITEMS, unit)
  end
end

local function store_take()
  if KIND == 'priorityQueue' then
    local popped = redis.call('ZPOPMIN', ITEMS)
    return popped[2] .. ' ' .. popped[1]
  end
  return redis.call('LPOP', ITEMS)
end

-- What a caller gets of a unit: the encoded item.
local function shown(unit)
  if KIND == 'priorityQueue' then return string.match(unit, '^%S+ %S+ (.*)$') end
  return unit
end

-- What `id` is now: 'granted' and its payload, 'waiting', 'retired' (it left), or nil (unknown).
-- A getter's payload is shown as its message showed it: "i" or "l" and the encoded item.
local function status_of(id)
  if redis.call('ZSCORE', EXPIRY, id) then
    local record = redis.call('HGET', GRANTED, id)
    if record then
      local payload = string.match(record, '^[^:]*:(.*)$')
      if QUEUE and string.match(record, '^get:[il]') then return 'granted', string.sub(payload, 1, 1) .. shown(string.sub(payload, 2)) end
      return 'granted', payload
    end
    return 'waiting', nil
  end
  if redis.call('ZSCORE', RETIRED, id) then return 'retired', nil end
  return nil, nil
end

-- Takes `id` out of wherever it is; returns 'waiting', 'granted' or nil. `remember`: retire the
-- id, so a re-send of the request that queued it cannot queue it again — needed when its owner
-- gives up (withdraw.lua), whose request may still be on its way; not when the owner had its
-- answer (a release) or is gone (a reap).
-- Undoing a grant is kind-specific: a permit or the lock needs nothing (serve() hands it on), nor
-- does a woken event, barrier or join waiter, nor an admitted putter (its item is in); a getter's
-- item goes back to the head of the queue. A waiting putter's item leaves with it. The caller
-- serves the lines afterwards.
local function leave(id, remember)
  local where = nil
  local record = redis.call('HGET', GRANTED, id)
  if record then
    redis.call('HDEL', GRANTED, id)
    where = 'granted'
    local tag = QUEUE and string.sub(record, 1, 5)
    if tag == 'get:l' or (tag == 'get:i' and remember) then store_add(string.sub(record, 6), true) end
  else
    for index = 5, LAST_LINE do
      if redis.call('ZREM', KEYS[index], id) == 1 then
        where = 'waiting'
        break
      end
    end
    if QUEUE and where then redis.call('HDEL', CARRIED, id) end
  end
  redis.call('ZREM', EXPIRY, id)
  if remember then
    redis.call('ZREMRANGEBYSCORE', RETIRED, '-inf', now())
    redis.call('ZADD', RETIRED, now() + keep(), id)
    touch(RETIRED)
  end
  return where
end

-- The first waiter of `line` whose deadline has not passed; the dead ones before it leave.
local function first_live(line)
  while true do
    local head = redis.call('ZRANGE', line, 0, 0)[1]
    if not head then return nil end
    local deadline = redis.call('ZSCORE', EXPIRY, head)
    if deadline and tonumber(deadline) > now() then return head end
    leave(head, false)
  end
end

-- Every joiner of a queue whose unfinished tasks came to 0 is woken (its grant record stays
-- until it clears it, as an event waiter's).
local function wake_joiners()
  if tonumber(redis.call('HGET', META, 'tasks') or 0) > 0 then return end
  for _, id in ipairs(redis.call('ZRANGE', JOINERS, 0, -1)) do grant(id, 'join', 'd', true, JOINERS) end
end

-- Hands out what is free to the first live waiters, inside the same script as whatever freed it.
local function serve()
  if PERMITS then
    local capacity = tonumber(CONFIG)
    while redis.call('HLEN', GRANTED) < capacity do
      local head = first_live(LINE)
      if not head then return end
      grant(head, 'acquire', string.format('%d', redis.call('HINCRBY', META, 'fence', 1)), true)
    end
  elseif KIND == 'event' then
    if redis.call('HGET', META, 'flag') ~= '1' then return end
    for _, id in ipairs(redis.call('ZRANGE', LINE, 0, -1)) do grant(id, 'wait', '1', true) end
  elseif QUEUE then
    -- Items go to the first live getters (the message carries the item; the record keeps it for
    -- a renewal to find, or to put back), then free slots to the first live putters, whose items
    -- enter; until neither can move.
    repeat
      while store_size() > 0 do
        local getter = first_live(LINE)
        if not getter then break end
        local tag = 'i'
        if redis.call('HDEL', CARRIED, getter) == 1 then tag = 'l' end
        local unit = store_take()
        grant(getter, 'get', tag .. unit, true, LINE, tag .. shown(unit))
      end
      local admitted = false
      while not store_full() do
        local putter = first_live(PUTTERS)
        if not putter then break end
        store_add(redis.call('HGET', CARRIED, putter), false)
        redis.call('HDEL', CARRIED, putter)
        redis.call('HINCRBY', META, 'tasks', 1)
        grant(putter, 'put', 'a', true, PUTTERS)
        admitted = true
      end
    until not admitted or redis.call('ZCARD', LINE) == 0
  end
end

-- Milliseconds until the next deadline (when a holder that stops renewing would be reaped),
-- -1 if nothing is live. A waiter re-checks then: a deadline passing publishes nothing.
local function next_deadline()
  local first = redis.call('ZRANGE', EXPIRY, 0, 0, 'WITHSCORES')
  if not first[2] then return -1 end
  return math.max(0, tonumber(first[2]) - now())
end

-- A request re-sent under the same waiter id gets what the first one got: the reply for its grant
-- (word, payload), still waiting, or gone; nil for an id seen for the first time.
local function replay(id, word)
  local status, payload = status_of(id)
  if status == 'granted' then return { word or 'granted', payload } end
  if status == 'waiting' then return { 'waiting', next_deadline() } end
  if status == 'retired' then return { 'gone' } end
  return nil
end

-- Entries whose deadline passed belong to sessions that stopped renewing (dead, paused, cut
-- off): they leave, their grants are undone, and what they held is served to the next. (Every
-- other script that frees something serves the lines itself: between scripts, a free permit
-- means nobody waits.)
local function reap()
  local dead = redis.call('ZRANGEBYSCORE', EXPIRY, '-inf', now(), 'LIMIT', 0, 1000)
  for _, id in ipairs(dead) do leave(id, false) end
  if #dead > 0 then serve() end
end

-- What most scripts start with: the clash check, then the reaping.
local function declare_and_reap()
  local clash = declare()
  if clash then return clash end
  reap()
  return nil
end
