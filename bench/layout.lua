-- bench/layout.lua: the benchmark layout = the stock layout
-- (scripts/proc.lua, loaded as it is, so the two never drift apart) plus
-- three per-task entries the benchmark reads at the depth of a built-in
-- file (/<pid>/NAME):
--   bench_stub     static content (p.stub): no task facts, no Lua call
--   bench_lua      a Lua function that reads task facts (task.comm etc.;
--                  the first access loads the task's facts)
--   bench_lua_pid  a Lua function that uses only the pid (no fact load):
--                  the bare cost of a Lua call
--
-- How: p.layout is wrapped while scripts/proc.lua runs, so the table it
-- declares gets the three entries appended to its `task` list before the
-- real p.layout checks it.  `require "proclua"` returns the same module
-- table to both scripts.
local p = require "proclua"

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
local stock = here .. "/../scripts/proc.lua"

local bench_entries = {
  p.stub("bench_stub", "0444",
    "1 (bench) S 0 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"),
  p.file("bench_lua", "0444", function(task)
    return string.format("%d (%s) %s %d %d %d %d\n", task.pid, task.comm, task.state,
      task.ppid, task.pgrp, task.session, task.num_threads)
  end),
  p.file("bench_lua_pid", "0444", function(task)
    return string.format("%d\n", task.pid)
  end),
}

local real_layout = p.layout
p.layout = function(spec)
  for _, e in ipairs(bench_entries) do
    table.insert(spec.task, e)
  end
  return real_layout(spec)
end
local ok, result = pcall(dofile, stock)
p.layout = real_layout
if not ok then
  error(result, 0)
end
return result
