-- Stores share-partitions' states only for the active coordinator (the token is checked before any write), all of
-- them or none: one call changes one share-partition (an acquire, an acknowledgement) or several of one share group
-- (a reset, a delete).
--
-- KEYS[1]  fencing-token counter   KEYS[2]  the share group's hash (topic-partition -> document)
-- KEYS[3]  (only when the share group is deleted) the group's config hash, removed with the share-partitions
-- ARGV[1]  the caller's fencing token
-- then, per share-partition, three arguments:
--   topic-partition
--   'put' (store the next argument as the document) or 'delete'
--   the document JSON ('' unless put)
--
-- Returns 1, or -1 when the token is not the current one (a deposed coordinator): nothing written.

if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end

for i = 2, #ARGV, 3 do
  if ARGV[i + 1] == 'put' then
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 2])
  else
    redis.call('HDEL', KEYS[2], ARGV[i])
  end
end
if KEYS[3] then
  redis.call('DEL', KEYS[3])
end
return 1
