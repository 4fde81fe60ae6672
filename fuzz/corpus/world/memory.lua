local p = require "proclua"
local big = {}
for i = 1, 200 do big[i] = ("arg%d"):format(i) end
return p.world { tasks = {
  { pid = 1, argv = big, env = { "X=" .. string.rep("x", 5000) },
    mem = { { at = "arg_start", bytes = "title" }, { at = "arg_end", offset = -1, bytes = "!" } },
    unmap = { { at = "env_start", offset = 4096, len = 10 } } },
  { pid = 2, argv = { "a" }, arg_start = 0x1000, arg_end = 0x1002, env_start = 0x1002, env_end = 0x1002,
    mem = { { addr = 0x1000, bytes = "a\0" } } },
} }
