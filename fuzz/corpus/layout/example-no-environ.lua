-- No process shows its environment: the default layout (scripts/proc.lua)
-- with every environ file an empty stub, in /proc/<pid>/ and in
-- /proc/<pid>/task/<tid>/ alike.  A program reading it sees an empty
-- environment (ps e, psutil's environ(), tr '\0' '\n' < /proc/PID/environ)
-- instead of secrets passed through variables.  To make the file vanish
-- altogether (reads fail with ENOENT), delete the environ line instead.
--
--   proclua --layout examples/layouts/no-environ.lua MNT
--   proclua-run --layout examples/layouts/no-environ.lua -- ps eww -e
local p = require "proclua"
local stock = require "proc" -- the default layout, scripts/proc.lua

return p.layout {
  root = stock.root,
  task = p.edit(stock.task, { environ = p.stub("environ", "0400", "") }),
}
