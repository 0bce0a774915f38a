-- Reads a record for an operator: what it holds, when it was acquired, how long it lives.
-- KEYS[1] the record
-- Returns {} when there is none, else {fingerprint, response or nil, acquired at (µs) or nil,
-- pttl (ms), Redis' clock (µs)}. 'cr' is missing on a completed record that a two-layer store
-- put here (it was acquired in the database).
local record = redis.call('HMGET', KEYS[1], 'fp', 'res', 'cr')
if not record[1] then
  return {}
end
local now = redis.call('TIME')
return {record[1], record[2], record[3], redis.call('PTTL', KEYS[1]),
  now[1] .. string.format('%06d', tonumber(now[2]))}
