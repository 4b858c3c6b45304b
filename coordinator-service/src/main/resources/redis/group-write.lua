-- Applies one consumer group's change only for the active coordinator: its document and its committed offsets, all
-- or nothing (the token is checked before the first write).
--
-- KEYS[1]  fencing-token counter   KEYS[2]  groups hash (group id -> document)   KEYS[3]  the group's offsets hash
-- ARGV[1]  the caller's fencing token
-- ARGV[2]  group id
-- ARGV[3]  'put' (store ARGV[4] as the document), 'delete' (remove the document and every offset) or 'keep'
-- ARGV[4]  the document JSON ('' unless put)
-- ARGV[5]  n, then n pairs: offset field ('topic-partition'), offset JSON to store
-- then m, then m offset fields to remove
--
-- Returns 1, or -1 when the token is not the current one (a deposed coordinator): nothing written.

if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end

if ARGV[3] == 'put' then
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
elseif ARGV[3] == 'delete' then
  redis.call('HDEL', KEYS[2], ARGV[2])
  redis.call('DEL', KEYS[3])
end

local puts = tonumber(ARGV[5])
for i = 0, puts - 1 do
  redis.call('HSET', KEYS[3], ARGV[6 + 2 * i], ARGV[7 + 2 * i])
end
local at = 6 + 2 * puts
local deletes = tonumber(ARGV[at])
for i = 1, deletes do
  redis.call('HDEL', KEYS[3], ARGV[at + i])
end
return 1
