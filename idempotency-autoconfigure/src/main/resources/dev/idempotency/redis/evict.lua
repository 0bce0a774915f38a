-- Removes the record, in flight or completed, whoever owns it (an operator's eviction).
-- Redis expires records itself, so any record found is live.
-- KEYS[1] the record
return redis.call('DEL', KEYS[1])
