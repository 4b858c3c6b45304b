-- Claims an Idempotency-Key for one attempt of a produce request, atomically.
--
-- KEYS[1]  the key's hash (fingerprint, producer_id, assignment, holder, held_until, response_status, response_body)
-- KEYS[2]  the producer id counter (the next unused producer id)
-- ARGV[1]  fingerprint of the request   ARGV[2]  the attempt's token   ARGV[3]  the caller's assignment (JSON)
-- ARGV[4]  retention (ms, the hash's TTL, set when the key is first used)   ARGV[5]  hold (ms)   ARGV[6]  now (ms)
--
-- Returns {status, producer_id, assignment, response_status, response_body, retry_after_ms} where status is
--   NEW        first use: a fresh producer id, the caller's assignment stored, held by the caller
--   RETRY      used before without a stored response: held by the caller now, send the stored assignment again
--   COMPLETED  the stored response answers it; not held
--   REUSED     the key belongs to another request (another fingerprint)
--   IN_USE     another attempt holds it for retry_after_ms more

local now = tonumber(ARGV[6])
local f = redis.call('HMGET', KEYS[1], 'fingerprint', 'producer_id', 'assignment', 'holder', 'held_until',
    'response_status', 'response_body')
if not f[1] then
  local id = redis.call('INCR', KEYS[2]) - 1
  redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'producer_id', id, 'assignment', ARGV[3],
      'holder', ARGV[2], 'held_until', now + tonumber(ARGV[5]))
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return {'NEW', tostring(id), ARGV[3], '', '', '0'}
end
if f[1] ~= ARGV[1] then
  return {'REUSED', f[2], '', '', '', '0'}
end
if f[6] then
  return {'COMPLETED', f[2], f[3], f[6], f[7], '0'}
end
if f[4] and f[4] ~= ARGV[2] and tonumber(f[5]) > now then
  return {'IN_USE', f[2], '', '', '', tostring(tonumber(f[5]) - now)}
end
redis.call('HSET', KEYS[1], 'holder', ARGV[2], 'held_until', now + tonumber(ARGV[5]))
return {'RETRY', f[2], f[3], '', '', '0'}
