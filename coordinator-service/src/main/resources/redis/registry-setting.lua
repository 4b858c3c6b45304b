-- Sets (or removes) a compatibility level or mode of the registry for the active coordinator only.
--
-- KEYS[1] fencing-token counter   KEYS[2] config or mode hash   KEYS[3] registry version counter
-- ARGV[1] the caller's fencing token   ARGV[2] subject ('' for the registry)   ARGV[3] the value ('' to remove it)
--
-- Returns 'F' when the token is not the current one (nothing written), else 'P' followed by the value set before
-- (nothing after the P when none was).

if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 'F'
end
local previous = redis.call('HGET', KEYS[2], ARGV[2])
if not previous then
  previous = ''
end
if ARGV[3] == '' then
  redis.call('HDEL', KEYS[2], ARGV[2])
else
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
end
redis.call('INCR', KEYS[3])
return 'P' .. previous
