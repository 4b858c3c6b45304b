-- Moves one segment of a partition's remote log (tiered storage) to the state an update asks for, or raises the log's
-- start offset (DeleteRecords), only for the active coordinator, only while the partition's topic is the one the update
-- was checked against, and only for a leader epoch no older than the newest that updated the log; then answers the log.
-- All or nothing: every check runs before the first write.
--
-- KEYS[1]  fencing-token counter   KEYS[2]  topics hash (topic name -> TopicMetadata JSON)
-- KEYS[3]  the partition's remote log: 'epoch' -> the newest leader epoch that updated it, 'start' -> its log start
--          offset (absent: 0), 'seg:<id>' -> RemoteSegment JSON
-- ARGV[1]  the caller's fencing token
-- ARGV[2]  topic name   ARGV[3]  topic id   ARGV[4]  partition
-- ARGV[5]  segment id   ARGV[6]  the state asked for, or 'LOG_START'   ARGV[7]  the update's leader epoch
-- ARGV[8]  the update's base offset (LOG_START: the new log start offset)   ARGV[9]  its end offset
-- ARGV[10] the update as RemoteSegment JSON (the document stored when the move stores one)
--
-- LOG_START raises 'start' to ARGV[8]; a lower or equal offset changes nothing (a retry, or a DeleteRecords below it).
--
-- The moves, by the state asked for (the segment as the hash records it):
--   COPY_STARTED    not recorded: stored; recorded as exactly this document (a retry): nothing to do
--   COPY_FINISHED   recorded COPY_STARTED: stored; recorded COPY_FINISHED (a retry): nothing to do
--   DELETE_STARTED  recorded in any state: stored; recorded DELETE_STARTED (a retry): nothing to do
--   DELETED         recorded DELETE_STARTED: removed; not recorded (a retry): nothing to do
-- A move of a recorded segment must name its recorded offsets. Offsets are compared as Lua numbers (doubles): exact up
-- to 2^53, past any offset a log reaches. Every move allowed raises 'epoch' to the update's leader epoch, even one
-- with nothing to do: the first update of a new leader fences the older ones.
--
-- Answers {'OK', epoch, start, segment JSON, ...}, the log after the move, or a refusal, nothing written:
--   {'FENCED_COORDINATOR'}                the token is not the current one (a deposed coordinator)
--   {'UNKNOWN_TOPIC'}                     no topic of that name, or another topic (id) under it: deleted meanwhile
--   {'UNKNOWN_PARTITION'}                 the topic has no such partition
--   {'FENCED_LEADER_EPOCH', epoch}        a newer leader epoch has updated the log
--   {'INVALID', state, why, document}     the move is not allowed: the segment's recorded state and document ('' and
--                                         '' when it is not recorded), and why: 'state' (its state does not allow the
--                                         move), 'offsets' (it is recorded with other offsets) or 'fields' (a
--                                         COPY_STARTED that is not a retry of the recorded one)

if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return {'FENCED_COORDINATOR'}
end

local topic = redis.call('HGET', KEYS[2], ARGV[2])
if not topic then
  return {'UNKNOWN_TOPIC'}
end
topic = cjson.decode(topic)
if topic['id'] ~= ARGV[3] then
  return {'UNKNOWN_TOPIC'}
end
if topic['partitions'][tonumber(ARGV[4]) + 1] == nil then
  return {'UNKNOWN_PARTITION'}
end

local stored_epoch = redis.call('HGET', KEYS[3], 'epoch')
local epoch = stored_epoch and tonumber(stored_epoch) or -1
local leader_epoch = tonumber(ARGV[7])
if leader_epoch < epoch then
  return {'FENCED_LEADER_EPOCH', stored_epoch}
end

local function answer_log()
  local answer = {'OK', redis.call('HGET', KEYS[3], 'epoch'), redis.call('HGET', KEYS[3], 'start') or '0'}
  local entries = redis.call('HGETALL', KEYS[3])
  for i = 1, #entries, 2 do
    if string.sub(entries[i], 1, 4) == 'seg:' then
      answer[#answer + 1] = entries[i + 1]
    end
  end
  return answer
end

if ARGV[6] == 'LOG_START' then
  local start = redis.call('HGET', KEYS[3], 'start')
  if not start or tonumber(start) < tonumber(ARGV[8]) then
    redis.call('HSET', KEYS[3], 'start', ARGV[8])
  end
  if leader_epoch > epoch then
    redis.call('HSET', KEYS[3], 'epoch', ARGV[7])
  end
  return answer_log()
end

local field = 'seg:' .. ARGV[5]
local document = redis.call('HGET', KEYS[3], field)
local recorded = document and cjson.decode(document)
local state = recorded and recorded['state'] or ''
local asked = ARGV[6]
local same_offsets = recorded and recorded['base_offset'] == tonumber(ARGV[8])
        and recorded['end_offset'] == tonumber(ARGV[9])

local function refuse(why)
  return {'INVALID', state, why, document or ''}
end

-- 'put' stores the update, 'delete' removes the segment, nil changes nothing.
local write
if asked == 'COPY_STARTED' then
  if not recorded then
    write = 'put'
  elseif document ~= ARGV[10] then
    return refuse(state == 'COPY_STARTED' and 'fields' or 'state')
  end
elseif asked == 'COPY_FINISHED' then
  if state ~= 'COPY_STARTED' and state ~= 'COPY_FINISHED' then
    return refuse('state')
  end
  if not same_offsets then
    return refuse('offsets')
  end
  if state == 'COPY_STARTED' then
    write = 'put'
  end
elseif asked == 'DELETE_STARTED' then
  if not recorded then
    return refuse('state')
  end
  if not same_offsets then
    return refuse('offsets')
  end
  if state ~= 'DELETE_STARTED' then
    write = 'put'
  end
elseif asked == 'DELETED' then
  if recorded then
    if state ~= 'DELETE_STARTED' then
      return refuse('state')
    end
    if not same_offsets then
      return refuse('offsets')
    end
    write = 'delete'
  end
else
  return refuse('state')
end

if write == 'put' then
  redis.call('HSET', KEYS[3], field, ARGV[10])
elseif write == 'delete' then
  redis.call('HDEL', KEYS[3], field)
end
if leader_epoch > epoch then
  redis.call('HSET', KEYS[3], 'epoch', ARGV[7])
end
return answer_log()
