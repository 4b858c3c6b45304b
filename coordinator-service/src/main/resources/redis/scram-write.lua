-- Changes the SCRAM credentials only for the active coordinator, and bumps their version, all or nothing.
--
-- KEYS[1]  fencing-token counter   KEYS[2]  credentials hash ('mechanism|user' -> credential JSON)
-- KEYS[3]  credential version counter
-- ARGV[1]  the caller's fencing token
-- ARGV[2]  how many credentials to put (n), then n pairs (key, credential JSON), then the keys to delete
--
-- Returns the new version; -1 when the token is not the current one (a deposed coordinator), -2 when a credential to
-- delete does not exist: nothing written either way.

if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end

local puts = tonumber(ARGV[2])
local firstDeletion = 3 + 2 * puts
for i = firstDeletion, #ARGV do
  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 0 then
    return -2
  end
end
for i = 3, firstDeletion - 1, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
for i = firstDeletion, #ARGV do
  redis.call('HDEL', KEYS[2], ARGV[i])
end
return redis.call('INCR', KEYS[3])
