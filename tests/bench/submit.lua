-- wrk script for the quiz-submission benchmark: every request is a distinct, valid submission.
-- Arguments (after --): a file holding the form body without the submission token, a file of
-- quiz URL paths (one a line; requests take them in turn, as learners work through modules),
-- and a hex nonce for this round. The token is nonce (8 hex) + thread (8 hex) + counter (16).
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
end

function init(args)
  local handle = assert(io.open(args[1], "r"))
  form = handle:read("*a")
  handle:close()
  paths = {}
  for line in io.lines(args[2]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  nonce = tonumber(args[3], 16) % 4294967296
  counter = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  counter = counter + 1
  local token = string.format("%08x%08x%08x%08x", nonce, thread_id, 0, counter)
  local path = paths[(counter + thread_id) % #paths + 1]
  return wrk.format(nil, path, nil, form .. "&submission=" .. token)
end
