-- Stores a share group's configs only for the active coordinator (the token is checked before any write): the hash
-- becomes exactly the pairs given, all of them or none.
--
-- KEYS[1]  fencing-token counter   KEYS[2]  the share group's config hash (key -> value)
-- ARGV[1]  the caller's fencing token
-- then pairs: config key, value (none: the group sets nothing and the hash is removed)
--
-- Returns 1, or -1 when the token is not the current one (a deposed coordinator): nothing written.

if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end

redis.call('DEL', KEYS[2])
for i = 2, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
return 1
