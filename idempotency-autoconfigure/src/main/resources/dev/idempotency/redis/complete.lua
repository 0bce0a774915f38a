-- Stores the response while the caller's token still owns the key.
-- KEYS[1] the record; ARGV[1] lock token, ARGV[2] response, ARGV[3] retention (ms)
if redis.call('HGET', KEYS[1], 'tok') ~= ARGV[1] then
  return 0
end
redis.call('HDEL', KEYS[1], 'tok')
redis.call('HSET', KEYS[1], 'res', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
