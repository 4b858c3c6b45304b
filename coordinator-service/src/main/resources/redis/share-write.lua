-- Stores share-partitions' states only for the active coordinator (the token is checked before any write), all of
-- them or none: one call changes one share-partition (an acquire, an acknowledgement) or several of one share group
-- (a reset, a delete). With the states it adds the runs of records the call archived to the dead-letter outbox, so a
-- run is waiting to be written exactly when its records' archiving is stored (KIP-1191).
--
-- KEYS[1]  fencing-token counter   KEYS[2]  the share group's hash (topic-partition -> document)
-- KEYS[3]  the dead-letter outbox (sorted set: member '<id, 20 digits> <run JSON>', score the id)
-- KEYS[4]  the outbox's id counter
-- KEYS[5]  (only when the share group is deleted) the group's config hash, removed with the share-partitions
-- ARGV[1]  the caller's fencing token
-- ARGV[2]  the most runs the outbox holds: runs past it are not added
-- ARGV[3]  n, the number of runs to add; ARGV[4 .. 3+n] their JSON documents
-- then, per share-partition, three arguments:
--   topic-partition
--   'put' (store the next argument as the document) or 'delete'
--   the document JSON ('' unless put)
--
-- Returns the number of runs not added because the outbox was full (0 normally), or -1 when the token is not the
-- current one (a deposed coordinator): nothing written.

if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end

local runs = tonumber(ARGV[3])
local room = tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[3])
local dropped = 0
for i = 4, 3 + runs do
  if room > 0 then
    local id = redis.call('INCR', KEYS[4])
    redis.call('ZADD', KEYS[3], id, string.format('%020d', id) .. ' ' .. ARGV[i])
    room = room - 1
  else
    dropped = dropped + 1
  end
end

for i = 4 + runs, #ARGV, 3 do
  if ARGV[i + 1] == 'put' then
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 2])
  else
    redis.call('HDEL', KEYS[2], ARGV[i])
  end
end
if KEYS[5] then
  redis.call('DEL', KEYS[5])
end
return dropped
