-- Who reads what: the default layout plus /proc/access-log, which lists
-- the last 100 opens of any task's status through this mount (the reader's
-- pid, uid and command, and the task read), newest last.  The caller object
-- each function gets is the process that opened the file, as the kernel
-- sees it.  `shared = true` runs every call in one Lua state, so the log
-- one call keeps is the log the next call sees.
--
--   proclua --layout examples/layouts/access-log.lua MNT
--   cat MNT/1/status > /dev/null; cat MNT/access-log
local p = require "proclua"
local stock = require "proc"

local log, KEEP = {}, 100

local function logged_status(task, caller)
  log[#log + 1] = ("%s %d uid=%d read %d/status"):format(caller.comm or "?", caller.pid or 0,
                                                         caller.uid, task.pid)
  if #log > KEEP then table.remove(log, 1) end
  return task:read("status")
end

local root = {}
for _, entry in ipairs(stock.root) do root[#root + 1] = entry end
root[#root + 1] = p.file("access-log", "0444", function()
  return #log > 0 and table.concat(log, "\n") .. "\n" or ""
end)

return p.layout {
  shared = true,
  root = root,
  task = p.edit(stock.task, { status = p.file("status", "0444", logged_status) }),
}
