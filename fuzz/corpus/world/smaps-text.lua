local p = require "proclua"
local text = p.world { tasks = { { pid = 1 } } }:format("smaps", 1)
local rollup = p.world { tasks = { { pid = 1 } } }:format("smaps_rollup", 1)
return p.world { tasks = { { pid = 1, smaps = text, smaps_rollup = rollup },
                           { pid = 2, ppid = 1, argv = { "x" }, vsize = 4096 } } }
