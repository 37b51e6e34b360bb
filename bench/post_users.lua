-- wrk script: every request registers a new, unique user.
local counter = 0
local prefix = string.format("w%d%04d", os.time() % 100000, math.random(0, 9999))

request = function()
  counter = counter + 1
  local name = string.format("%s%07d", prefix, counter)
  local body = string.format(
    '{"username":"%s","email":"%s@example.com","password":"bench-password-1","name":"Bench %s"}',
    name, name, name)
  return wrk.format("POST", "/users", {["Content-Type"] = "application/json"}, body)
end
