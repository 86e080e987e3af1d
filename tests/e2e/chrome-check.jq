# tests/e2e/chrome-check.jq - validates a Chrome trace-event file written by
# `vstrace export --format chrome` (jq -e -f chrome-check.jq FILE): prints
# "ok" or the first problem.  Checks: a traceEvents array; process_name
# and thread_name metadata for every track before its first event; ts
# present and never decreasing per (pid, tid); every B closed by an E of
# the same name on the same track, innermost first; nothing left open.
def key: "\(.pid):\(.tid)";
if (.traceEvents | type) != "array" then "no traceEvents array"
else
  reduce .traceEvents[] as $e ({err: null, procs: {}, named: {}, ts: {}, st: {}};
    if .err != null then .
    elif $e.ph == "M" then
      if $e.name == "process_name" then .procs[($e.pid | tostring)] = true
      elif $e.name == "thread_name" then .named[$e | key] = true
      else . end
    elif (.named[$e | key] | not) then .err = "event before thread_name: \($e)"
    elif (.procs[($e.pid | tostring)] | not) then .err = "event before process_name: \($e)"
    elif ($e.ts | type) != "number" then .err = "no ts: \($e)"
    elif (.ts[$e | key] // -1) > $e.ts then .err = "ts goes back: \($e)"
    else
      .ts[$e | key] = $e.ts
      | if $e.ph == "B" then .st[$e | key] += [$e.name]
        elif $e.ph == "E" then
          if ((.st[$e | key] // []) | length) == 0 or .st[$e | key][-1] != $e.name
          then .err = "E without its B: \($e)"
          else .st[$e | key] |= .[:-1] end
        elif ($e.ph | IN("i", "s", "t", "f")) then .
        else .err = "unknown phase: \($e)" end
    end)
  | if .err != null then .err
    elif ([.st[] | length] | add // 0) != 0 then "a B without its E"
    else "ok" end
end
