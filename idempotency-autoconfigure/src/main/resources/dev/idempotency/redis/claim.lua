-- Claims a key, or reports who has it, in one atomic step.
-- KEYS[1] the record (a hash); ARGV[1] fingerprint, ARGV[2] lock token, ARGV[3] lock timeout (ms)
-- Returns {'acquired', fencing token}, {'completed', response, pttl}, {'in_flight', pttl} or {'mismatch'}.
-- One read for both fields: a replay is the commonest claim of a stored key.
local record = redis.call('HMGET', KEYS[1], 'fp', 'res')
local fingerprint = record[1]
if not fingerprint then
  -- The fencing token is Redis' clock in microseconds: a free key has no record left to
  -- count from. TIME is non-deterministic, so this needs effect replication (Redis >= 6.2).
  -- It is also when the key was acquired: kept as 'cr' (digits, exact) for find.
  local now = redis.call('TIME')
  local fence = tonumber(now[1]) * 1000000 + tonumber(now[2])
  local created = now[1] .. string.format('%06d', tonumber(now[2]))
  redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'tok', ARGV[2], 'cr', created)
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {'acquired', fence}
end
if fingerprint ~= ARGV[1] then
  return {'mismatch'}
end
local response = record[2]
if response then
  return {'completed', response, redis.call('PTTL', KEYS[1])}
end
return {'in_flight', tostring(redis.call('PTTL', KEYS[1]))}
