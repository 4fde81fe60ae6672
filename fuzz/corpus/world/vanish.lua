local p = require "proclua"
local w = p.world { tasks = { { pid = 1 }, { pid = 2, ppid = 1, threads = { { tid = 3 } } }, { pid = 4, ppid = 2 } } }
w:vanish(2)
assert(w:read_mem(1, 0x7ffffffdf000, 16) == nil)
return w
