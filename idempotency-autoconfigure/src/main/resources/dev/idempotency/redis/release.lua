-- Frees the key while the caller's token still owns it.
-- KEYS[1] the record; ARGV[1] lock token
if redis.call('HGET', KEYS[1], 'tok') ~= ARGV[1] then
  return 0
end
return redis.call('DEL', KEYS[1])
