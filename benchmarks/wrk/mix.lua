-- Realistic mix: 90% new keys, 10% retries of a key this thread sent 32 to 127
-- requests earlier (almost always completed by then, so replayed; a 409 if not).
dofile("common.lua")

local ring_size = 128
local ring = {}
local sent = 0

function request()
  if sent >= ring_size and math.random() < 0.1 then
    return post(ring[(sent - math.random(32, ring_size - 1)) % ring_size])
  end
  local key = new_key()
  ring[sent % ring_size] = key
  sent = sent + 1
  return post(key)
end
