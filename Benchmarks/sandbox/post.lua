-- wrk script: valid one-recipient Mail Send requests against `mailroom sandbox`.
-- The key is a placeholder; the sandbox accepts any key starting "SG." unless started with --key.
wrk.method = "POST"
wrk.path = "/v3/mail/send"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer SG.xxxxxxxxxxxxxxxxxxxx"
wrk.body = '{"personalizations":[{"to":[{"email":"bench@example.com","name":"Bench"}]}],'
    .. '"from":{"email":"sender@example.com","name":"Mailroom"},"subject":"Benchmark",'
    .. '"content":[{"type":"text/plain","value":"Hello from wrk"},{"type":"text/html","value":"<p>Hello from wrk</p>"}],'
    .. '"custom_args":{"mailroom_job":"bench"}}'

-- No response() callback: it makes wrk parse every answer in Lua and halves its rate.
-- run.sh prints GET /stats afterwards, whose "requests" shows every status answered.
