-- bench/layout.lua: the benchmark layout = the stock layout
-- (scripts/proc.lua, through `require "proc"`, so the two never drift
-- apart) plus three per-task entries the benchmark reads at the depth of a
-- built-in file (/<pid>/NAME):
--   bench_stub     static content (p.stub): no task facts, no Lua call
--   bench_lua      a Lua function that reads task facts (task.comm etc.;
--                  the first access loads the task's facts)
--   bench_lua_pid  a Lua function that uses only the pid (no fact load):
--                  the bare cost of a Lua call
local p = require "proclua"
local stock = require "proc"

local task = {}
for _, e in ipairs(stock.task) do task[#task + 1] = e end
task[#task + 1] = p.stub("bench_stub", "0444",
  "1 (bench) S 0 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n")
task[#task + 1] = p.file("bench_lua", "0444", function(t)
  return string.format("%d (%s) %s %d %d %d %d\n", t.pid, t.comm, t.state,
    t.ppid, t.pgrp, t.session, t.num_threads)
end)
task[#task + 1] = p.file("bench_lua_pid", "0444", function(t)
  return string.format("%d\n", t.pid)
end)

return p.layout { root = stock.root, task = task }
