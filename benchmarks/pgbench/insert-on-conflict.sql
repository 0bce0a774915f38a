\set id random(1, 1000000000)
INSERT INTO bench_keys (k) VALUES (:id) ON CONFLICT DO NOTHING;
