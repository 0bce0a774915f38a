-- Extends the lock while the caller's token still owns the key (in flight: a completed
-- record has no token; an expired lock has no record).
-- KEYS[1] the record; ARGV[1] lock token, ARGV[2] lock timeout (ms)
if redis.call('HGET', KEYS[1], 'tok') ~= ARGV[1] then
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
