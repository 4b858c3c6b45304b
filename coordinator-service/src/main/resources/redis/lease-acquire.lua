-- Takes the active-coordinator lease if nobody holds it, and with it a new fencing token, greater than every token
-- handed out before; records who is active so standbys can redirect.
-- KEYS[1] lease   KEYS[2] fencing-token counter   KEYS[3] active-coordinator hash
-- ARGV[1] instance id   ARGV[2] lease ttl (ms)   ARGV[3] instance URL
-- Returns the token, or -1 when the lease is held by someone else.
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local token = redis.call('INCR', KEYS[2])
  redis.call('DEL', KEYS[3])
  redis.call('HSET', KEYS[3], 'instance_id', ARGV[1], 'url', ARGV[3], 'fencing_token', token)
  return token
end
return -1
