-- Registers a schema under a subject for the active coordinator only, all or nothing: the schema's id (the one its
-- fingerprint already has, the one an IMPORT names, or a new one), and a new version of the subject, provided the
-- subject is still as the caller read it.
--
-- KEYS[1] fencing-token counter   KEYS[2] subjects hash   KEYS[3] schemas hash   KEYS[4] fingerprints hash
-- KEYS[5] next-id counter         KEYS[6] registry version counter
-- ARGV[1] the caller's fencing token   ARGV[2] subject   ARGV[3] the subject's JSON as read ('' for none)
-- ARGV[4] the schema's fingerprint     ARGV[5] the schema's JSON   ARGV[6] the id an IMPORT names ('' for none)
-- ARGV[7] the new version's number
--
-- Returns the schema id; -1 when the token is not the current one (a deposed coordinator), -2 when the subject changed
-- since it was read (read again and retry), -3 when the named id is another schema's or this schema has another id.
-- Nothing is written unless an id is returned.

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

local id = redis.call('HGET', KEYS[4], ARGV[4])
if ARGV[6] ~= '' then
  if id and id ~= ARGV[6] then
    return -3
  end
  if not id and redis.call('HEXISTS', KEYS[3], ARGV[6]) == 1 then
    return -3
  end
  id = ARGV[6]
  if tonumber(redis.call('GET', KEYS[5]) or '0') < tonumber(id) then
    redis.call('SET', KEYS[5], id)
  end
elseif not id then
  id = tostring(redis.call('INCR', KEYS[5]))
end
redis.call('HSET', KEYS[3], id, ARGV[5])
redis.call('HSET', KEYS[4], ARGV[4], id)

local doc
if current == '' then
  doc = {versions = {}}
else
  doc = cjson.decode(current)
end
table.insert(doc.versions, {version = tonumber(ARGV[7]), id = tonumber(id), deleted = false})
redis.call('HSET', KEYS[2], ARGV[2], cjson.encode(doc))
redis.call('INCR', KEYS[6])
return tonumber(id)
