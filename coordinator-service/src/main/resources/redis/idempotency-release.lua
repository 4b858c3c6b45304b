-- Ends the attempt holding an Idempotency-Key: stores its response (if given) and lets the key go.
--
-- KEYS[1]  the key's hash   ARGV[1]  the attempt's token   ARGV[2]  response status ('' for none)   ARGV[3]  body
--
-- Returns 1, or 0 when the token does not hold the key (its hold expired and another attempt took it): nothing done.

if redis.call('HGET', KEYS[1], 'holder') ~= ARGV[1] then
  return 0
end
if ARGV[2] ~= '' then
  redis.call('HSET', KEYS[1], 'response_status', ARGV[2], 'response_body', ARGV[3])
end
redis.call('HDEL', KEYS[1], 'holder', 'held_until')
return 1
