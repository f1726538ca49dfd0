-- wrk script: POST one valid single-recipient Mail Send body to the sandbox, over and over.
-- Usage: WRK_AUTHORIZATION="Bearer SG.…" wrk -t2 -c64 -d10s -s mail_send.lua http://127.0.0.1:PORT/v3/mail/send -- BODY_FILE
-- The body is the request Mailroom itself sent for a benchmark job (taken from the sandbox), so both
-- clients post the same bytes. The key comes from the environment, never the command line.
local request_text

function init(args)
  local file = assert(io.open(args[1], "rb"), "cannot open the body file")
  local body = file:read("*a")
  file:close()
  local headers = {
    ["Authorization"] = assert(os.getenv("WRK_AUTHORIZATION"), "WRK_AUTHORIZATION is not set"),
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
  }
  request_text = wrk.format("POST", nil, headers, body)
end

function request()
  return request_text
end
