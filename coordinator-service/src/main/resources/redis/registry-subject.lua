-- Replaces (or removes) a subject's versions for the active coordinator only, provided the subject is still as the
-- caller read it; removing a subject removes its compatibility level and mode too.
--
-- KEYS[1] fencing-token counter   KEYS[2] subjects hash   KEYS[3] registry version counter
-- KEYS[4] config hash             KEYS[5] mode hash
-- ARGV[1] the caller's fencing token   ARGV[2] subject   ARGV[3] the subject's JSON as read ('' for none)
-- ARGV[4] its new JSON ('' to remove the subject)
--
-- Returns the new registry version; -1 when the token is not the current one, -2 when the subject changed since it
-- was read. Nothing is written unless a version is returned.

if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end
local current = redis.call('HGET', KEYS[2], ARGV[2])
if not current then
  current = ''
end
if current ~= ARGV[3] then
  return -2
end
if ARGV[4] == '' then
  redis.call('HDEL', KEYS[2], ARGV[2])
  redis.call('HDEL', KEYS[4], ARGV[2])
  redis.call('HDEL', KEYS[5], ARGV[2])
else
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
end
return redis.call('INCR', KEYS[3])
