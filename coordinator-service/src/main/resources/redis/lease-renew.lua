-- Extends the lease if the caller still holds it, under the token it was given.
-- KEYS[1] lease   KEYS[2] fencing-token counter   ARGV[1] instance id   ARGV[2] ttl (ms)   ARGV[3] caller's token
-- Returns 1 when renewed, 0 when the lease or the token belongs to someone else now.
if redis.call('GET', KEYS[1]) == ARGV[1] and redis.call('GET', KEYS[2]) == ARGV[3] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
