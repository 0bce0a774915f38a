-- Stores a completed record whatever the key holds: the database already has it.
-- KEYS[1] the record; ARGV[1] fingerprint, ARGV[2] response, ARGV[3] retention (ms)
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'res', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
