-- Gives the lease up at shutdown so a standby takes over at once instead of after the ttl.
-- KEYS[1] lease   ARGV[1] instance id.  Returns 1 when released.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
