-- Applies a metadata change only for the active coordinator and only against the partition epochs it was computed
-- from; then bumps the metadata version. All or nothing: every check runs before the first write.
--
-- KEYS[1]   fencing-token counter      KEYS[2]  metadata version counter      KEYS[3..]  keys the ops touch
-- ARGV[1]   the caller's fencing token ARGV[2]  number of ops
-- then five ARGV per op: kind, index into KEYS, hash field, value, partition-epoch guard
--   kind   'put'    write the field whatever is there
--          'create' write the field; it must not exist yet
--          'update' write the field; it must exist (and match the guard)
--          'delete' remove the field; it must exist (and match the guard)
--          'drop'   remove the keys KEYS[index .. index + n - 1], n being the op's hash field, whatever they hold
--                   (a deleted topic's remote logs); no check
--   guard  '' or 'p:e,p:e…': partition p of the stored topic JSON must have partition_epoch e
--
-- Returns the new metadata version (> 0), -1 when the token is not the current one (a deposed coordinator),
-- or -(i + 2) when the check of op i (counting from 0) failed: it existed, did not, or had another epoch.

if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end

local count = tonumber(ARGV[2])
for i = 0, count - 1 do
  local at = 3 + i * 5
  local kind = ARGV[at]
  local key = KEYS[tonumber(ARGV[at + 1])]
  local field = ARGV[at + 2]
  local guard = ARGV[at + 4]
  local exists = kind ~= 'drop' and redis.call('HEXISTS', key, field) == 1
  if (kind == 'create' and exists) or ((kind == 'update' or kind == 'delete') and not exists) then
    return -(i + 2)
  end
  if guard ~= '' then
    local stored = cjson.decode(redis.call('HGET', key, field))
    for partition, epoch in string.gmatch(guard, '(%d+):(%d+)') do
      local state = stored['partitions'][tonumber(partition) + 1]
      if state == nil or tonumber(state['partition_epoch']) ~= tonumber(epoch) then
        return -(i + 2)
      end
    end
  end
end

for i = 0, count - 1 do
  local at = 3 + i * 5
  local key = KEYS[tonumber(ARGV[at + 1])]
  if ARGV[at] == 'delete' then
    redis.call('HDEL', key, ARGV[at + 2])
  elseif ARGV[at] == 'drop' then
    local first = tonumber(ARGV[at + 1])
    for k = first, first + tonumber(ARGV[at + 2]) - 1 do
      redis.call('DEL', KEYS[k])
    end
  else
    redis.call('HSET', key, ARGV[at + 2], ARGV[at + 3])
  end
end
return redis.call('INCR', KEYS[2])
