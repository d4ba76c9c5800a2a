// The shared limiter's state lives in three keys of one account (one hash slot, so that a Redis
// Cluster runs the scripts too):
//   KEYS[1] log    sorted set of recent sends: score = Redis time in ms, member = grant seq
//                  while its answer is awaited, 'a<seq>' once answered (moved to the answer's
//                  time, no margin after it), 'o<n>' for sends of clients outside the log
//   KEYS[2] state  hash: seq, pausedUntil, keepMs, main and secondly ("requests:perMs", learned
//                  from the vendor's headers), dailyLimit, dailyLeft, others, throttled
//   KEYS[3] stop   string: why the account's daily budget is spent (with a TTL)
// Every script reads the clock with TIME, so all processes share one clock, and does its check
// and its write in one atomic step.

const COMMON = `
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function margin(perMs, option)
  if option >= 0 then return math.min(option, perMs) end
  return math.min(250, math.max(10, math.floor(perMs * 0.02 + 0.5)))
end
local function num(value)
  if value == false or value == nil or value == '' then return nil end
  return tonumber(value)
end
local function window(text)
  if not text then return nil end
  local requests, perMs = string.match(text, '^([%d%.]+):([%d%.]+)$')
  if not requests then return nil end
  return { tonumber(requests), tonumber(perMs) }
end
local STATE_TTL = 172800000
-- What processes mirror locally: {main, secondly, dailyLimit, dailyLeft, stop}.
local function readState()
  local state = redis.call('HMGET', KEYS[2], 'main', 'secondly', 'dailyLimit', 'dailyLeft')
  return { state[1], state[2], state[3], state[4], redis.call('GET', KEYS[3]) }
end
`;

/**
 * Lets one send through if every window allows it, atomically for all processes.
 * ARGV: source ('configured'|'default'), main requests, main perMs, burst requests (0: none),
 * burst perMs, margin option (-1: the default rule), daily reserve, stop TTL ms.
 * Returns {'stop', message} | {'wait', ms} | {'ok', seq, atMs[, stopMessage]}.
 */
export const ACQUIRE_SCRIPT = `${COMMON}
local stop = redis.call('GET', KEYS[3])
if stop then return { 'stop', stop } end
local now = nowMs()
local newest = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
-- Times never go backwards in the log (a failover may bring a clock that is behind).
if newest[2] and tonumber(newest[2]) > now then now = tonumber(newest[2]) end
local source = ARGV[1]
local base = { tonumber(ARGV[2]), tonumber(ARGV[3]) }
local burstRequests, burstPerMs = tonumber(ARGV[4]), tonumber(ARGV[5])
local marginOption = tonumber(ARGV[6])
local state = redis.call('HMGET', KEYS[2], 'main', 'secondly', 'pausedUntil', 'keepMs')
local learnedMain, learnedSecondly = window(state[1]), window(state[2])
local windows = {}
if source == 'configured' then
  -- The caller's budget is an upper bound: learned windows add to it.
  table.insert(windows, base)
  if burstRequests > 0 then table.insert(windows, { burstRequests, burstPerMs }) end
  if learnedMain then table.insert(windows, learnedMain) end
else
  -- A documented default is a starting point: the vendor's figures replace it, and a documented
  -- burst budget scales with the window it belongs to.
  if learnedMain then
    table.insert(windows, learnedMain)
    if burstRequests > 0 then
      local scaled = math.max(1, math.floor(learnedMain[1] * burstRequests / base[1]))
      if scaled < learnedMain[1] then
        table.insert(windows, { scaled, scaled * learnedMain[2] / learnedMain[1] })
      end
    end
  else
    table.insert(windows, base)
    if burstRequests > 0 then table.insert(windows, { burstRequests, burstPerMs }) end
  end
end
if learnedSecondly then table.insert(windows, learnedSecondly) end

local at = now
local paused = num(state[3])
if paused and paused > at then at = paused end
local longest = 0
for _, w in ipairs(windows) do
  local extra = margin(w[2], marginOption)
  local span = w[2] + extra
  if span > longest then longest = span end
  -- Within its window, at most requests - 1 earlier sends may still count: an answered send
  -- (member 'a<seq>', or 'o<n>' for another client's) for perMs after its answer, one awaiting
  -- its answer (member '<seq>') for perMs plus the margin after it left. The send whose count
  -- ends at that rank, latest first, must end before the next one goes.
  local allowed = math.max(0, math.floor(w[1]) - 1)
  if redis.call('ZCARD', KEYS[1]) > allowed then
    local recent = redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', now - span, 'WITHSCORES')
    local answeredEnds, pendingEnds = {}, {}
    for i = 1, #recent, 2 do
      local first = string.sub(recent[i], 1, 1)
      local time = tonumber(recent[i + 1])
      if first == 'a' or first == 'o' then
        table.insert(answeredEnds, time + w[2])
      else
        table.insert(pendingEnds, time + span)
      end
    end
    -- Both lists are latest first: merge them down to the rank.
    local ia, ip, rank = 1, 1, allowed + 1
    local ends = nil
    while rank > 0 do
      local a, p = answeredEnds[ia], pendingEnds[ip]
      if not a and not p then break end
      if p and (not a or p > a) then
        ends = p
        ip = ip + 1
      else
        ends = a
        ia = ia + 1
      end
      rank = rank - 1
    end
    if rank == 0 and ends > at then at = ends end
  end
end
if at > now then return { 'wait', math.ceil(at - now) } end

local seq = redis.call('HINCRBY', KEYS[2], 'seq', 1)
redis.call('ZADD', KEYS[1], now, seq)
local keep = math.max(num(state[4]) or 0, math.ceil(longest))
if keep ~= num(state[4]) then redis.call('HSET', KEYS[2], 'keepMs', keep) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - keep))
redis.call('PEXPIRE', KEYS[1], keep + 60000)
redis.call('PEXPIRE', KEYS[2], STATE_TTL)
local left = num(redis.call('HGET', KEYS[2], 'dailyLeft'))
if left then
  left = left - 1
  redis.call('HSET', KEYS[2], 'dailyLeft', left)
  local reserve = tonumber(ARGV[7])
  if left <= reserve then
    local limit = num(redis.call('HGET', KEYS[2], 'dailyLimit'))
    local message = "the vendor's daily request limit"
    if limit then message = message .. ' of ' .. limit .. ' requests' end
    message = message .. ' is spent'
    if reserve > 0 then
      message = message .. ' (down to the ' .. reserve .. ' requests kept in reserve)'
    end
    redis.call('SET', KEYS[3], message, 'PX', tonumber(ARGV[8]), 'NX')
    return { 'ok', seq, now, redis.call('GET', KEYS[3]) }
  end
end
return { 'ok', seq, now }
`;

/**
 * Records what a response said or what happened to the account.
 * ARGV[1] = operation:
 *   'hold' ms throttled(0|1)   paused until now + ms (a longer pause wins)
 *   'stop' message ttlMs       the daily budget is spent
 *   'answer' grantSeq grantAt shortestMs   the send was answered (or failed in flight)
 *   'observe' grantSeq grantAt limit intervalMs remaining resetInMs secondly secondlyRemaining
 *             daily dailyRemaining marginOption reserve ttlMs shortestMs   (blank: absent)
 * Returns the shared state: {main, secondly, dailyLimit, dailyLeft, stop} (false: absent).
 */
export const UPDATE_SCRIPT = `${COMMON}
local op = ARGV[1]
local now = nowMs()
local function hold(ms)
  local until_ = now + ms
  local current = num(redis.call('HGET', KEYS[2], 'pausedUntil'))
  if not current or current < until_ then redis.call('HSET', KEYS[2], 'pausedUntil', until_) end
end
local function stopWith(message, ttl)
  redis.call('SET', KEYS[3], message, 'PX', ttl, 'NX')
end
-- The vendor counted this send when it arrived, at the latest now that its answer is here (or
-- that it failed in flight): the send's entry moves to now, so a send that left or arrived late
-- (a busy event loop on either side) cannot crowd the next window, and its margin goes: now
-- bounds the vendor's count. Every grant made since counted it at its earlier time, as long as
-- that time is still within the shortest window; core's in-process log does the same.
local function answer(grantSeq, grantAt, shortestMs)
  if not grantSeq or not grantAt or now - grantAt >= shortestMs then return end
  -- Renamed 'a<seq>': an answered send ends its window without the margin.
  local loggedAt = redis.call('ZSCORE', KEYS[1], grantSeq)
  if loggedAt then
    redis.call('ZREM', KEYS[1], grantSeq)
    redis.call('ZADD', KEYS[1], math.max(now, tonumber(loggedAt)), 'a' .. grantSeq)
  end
end
if op == 'hold' then
  hold(math.max(0, tonumber(ARGV[2])))
  if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[2], 'throttled', 1) end
elseif op == 'stop' then
  stopWith(ARGV[2], tonumber(ARGV[3]))
elseif op == 'answer' then
  answer(num(ARGV[2]), num(ARGV[3]), tonumber(ARGV[4]))
elseif op == 'observe' then
  local grantSeq, grantAt = num(ARGV[2]), num(ARGV[3])
  local limit, intervalMs, remaining, resetInMs = num(ARGV[4]), num(ARGV[5]), num(ARGV[6]), num(ARGV[7])
  local secondly, secondlyRemaining = num(ARGV[8]), num(ARGV[9])
  local daily, dailyRemaining = num(ARGV[10]), num(ARGV[11])
  local marginOption, reserve, ttl = tonumber(ARGV[12]), tonumber(ARGV[13]), tonumber(ARGV[14])
  local seq = num(redis.call('HGET', KEYS[2], 'seq')) or 0
  local sentAt = grantAt or now
  local sentSince = 0
  if grantSeq then sentSince = math.max(0, seq - grantSeq) end
  -- An observation comes with the answer: the send is answered in the same step.
  answer(grantSeq, grantAt, tonumber(ARGV[15]))
  -- The vendor counted used sends in the window that ended when it answered; any beyond those
  -- in the shared log came from clients outside it, logged as made now.
  local function accountForOthers(used, perMs)
    local ours = redis.call('ZCOUNT', KEYS[1], sentAt - perMs - margin(perMs, marginOption), '+inf')
    local others = used - ours
    if others > 0 then
      local first = redis.call('HINCRBY', KEYS[2], 'others', others) - others
      for i = 1, others do redis.call('ZADD', KEYS[1], now, 'o' .. (first + i)) end
    end
  end
  if limit and intervalMs then redis.call('HSET', KEYS[2], 'main', limit .. ':' .. intervalMs) end
  if secondly then redis.call('HSET', KEYS[2], 'secondly', secondly .. ':1000') end
  if remaining then
    if limit and intervalMs and not resetInMs then accountForOthers(limit - remaining, intervalMs) end
    if remaining == 0 and resetInMs then hold(resetInMs + margin(intervalMs or 1000, marginOption)) end
  end
  if secondly and secondlyRemaining then accountForOthers(secondly - secondlyRemaining, 1000) end
  if daily then redis.call('HSET', KEYS[2], 'dailyLimit', daily) end
  if dailyRemaining then
    local left = dailyRemaining - sentSince
    local current = num(redis.call('HGET', KEYS[2], 'dailyLeft'))
    if current and current < left then left = current end
    redis.call('HSET', KEYS[2], 'dailyLeft', left)
    if left <= reserve then
      local message = "the vendor's daily request limit"
      local known = daily or num(redis.call('HGET', KEYS[2], 'dailyLimit'))
      if known then message = message .. ' of ' .. known .. ' requests' end
      message = message .. ' is spent'
      if reserve > 0 then
        message = message .. ' (down to the ' .. reserve .. ' requests kept in reserve)'
      end
      stopWith(message, ttl)
    end
  end
end
redis.call('PEXPIRE', KEYS[2], STATE_TTL)
return readState()
`;

/** Reads the shared state, as {@link UPDATE_SCRIPT} returns it. */
export const READ_SCRIPT = `${COMMON}
return readState()
`;
