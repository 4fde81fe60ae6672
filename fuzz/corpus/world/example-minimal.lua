-- The smallest world: one task; everything else takes the defaults of a
-- freshly exec'd process.  proclua --world examples/worlds/minimal.lua MNT
local p = require "proclua"
return p.world { tasks = { { pid = 1, argv = { "/sbin/init" } } } }
