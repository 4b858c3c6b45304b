-- Changes the client quotas only for the active coordinator and only if nobody changed them since they were read
-- (the caller read them at the version it passes); bumps their version. All or nothing.
--
-- KEYS[1]  fencing-token counter   KEYS[2]  quotas hash (entity JSON -> entry JSON)   KEYS[3]  quota version counter
-- ARGV[1]  the caller's fencing token
-- ARGV[2]  the version the caller read
-- ARGV[3..] pairs: entity JSON, entry JSON ('' deletes the entity)
--
-- Returns the new version; -1 when the token is not the current one (a deposed coordinator), -2 when the quotas
-- changed since the caller read them: nothing written.

if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[2] then
  return -2
end

for i = 3, #ARGV, 2 do
  if ARGV[i + 1] == '' then
    redis.call('HDEL', KEYS[2], ARGV[i])
  else
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  end
end
return redis.call('INCR', KEYS[3])
