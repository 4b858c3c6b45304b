-- Changes the ACLs only for the active coordinator, and bumps their version, all or nothing.
--
-- KEYS[1]  fencing-token counter   KEYS[2]  acls hash (binding key -> binding JSON)   KEYS[3]  acl version counter
-- ARGV[1]  the caller's fencing token
-- ARGV[2]  'put' (then pairs: binding key, binding JSON) or 'delete' (then binding keys)
--
-- Returns the new version, or -1 when the token is not the current one (a deposed coordinator): nothing written.

if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end

if ARGV[2] == 'put' then
  for i = 3, #ARGV, 2 do
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  end
else
  for i = 3, #ARGV do
    redis.call('HDEL', KEYS[2], ARGV[i])
  end
end
return redis.call('INCR', KEYS[3])
