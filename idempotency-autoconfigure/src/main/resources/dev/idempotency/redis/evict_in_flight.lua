-- Removes an in-flight marker, whoever owns it; a completed record stays.
-- KEYS[1] the record
if redis.call('HEXISTS', KEYS[1], 'res') == 1 then
  return 0
end
return redis.call('DEL', KEYS[1])
