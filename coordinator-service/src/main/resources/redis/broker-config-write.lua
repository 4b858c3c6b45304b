-- Stores the cluster-wide broker configs only for the active coordinator and only if nobody changed them since they
-- were read (the caller read them at the version it passes): the hash becomes exactly the pairs given, and the
-- version is bumped. All or nothing.
--
-- KEYS[1]  fencing-token counter   KEYS[2]  broker configs hash (config name -> value)   KEYS[3]  version counter
-- ARGV[1]  the caller's fencing token
-- ARGV[2]  the version the caller read
-- ARGV[3..] pairs: config name, value (none: no config is set and the hash is removed)
--
-- Returns the new version; -1 when the token is not the current one (a deposed coordinator), -2 when the configs
-- changed since the caller read them: nothing written.

if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[2] then
  return -2
end

redis.call('DEL', KEYS[2])
for i = 3, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
return redis.call('INCR', KEYS[3])
