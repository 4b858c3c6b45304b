-- Stores one share-partition's state only for the active coordinator (the token is checked before the write).
--
-- KEYS[1]  fencing-token counter   KEYS[2]  the share group's hash (topic-partition -> document)
-- ARGV[1]  the caller's fencing token
-- ARGV[2]  topic-partition
-- ARGV[3]  'put' (store ARGV[4] as the document) or 'delete'
-- ARGV[4]  the document JSON ('' unless put)
--
-- Returns 1, or -1 when the token is not the current one (a deposed coordinator): nothing written.

if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end

if ARGV[3] == 'put' then
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
else
  redis.call('HDEL', KEYS[2], ARGV[2])
end
return 1
