-- Writable Lua files: the default layout plus /proc/notes, a board anyone
-- may add a line to (signed with the writer's uid and pid), and
-- /proc/<pid>/label, a note on a process that its owner (or root) may set.
-- What the write functions keep lives in the daemon's Lua state for the
-- mount's life; the read functions show it (shared = true, the default for
-- a layout with write functions: every call runs in that one state).
--
--   proclua -o allow_other --layout examples/layouts/notes.lua MNT
--   echo "backup at 2am" > MNT/notes; cat MNT/notes
--   echo web > MNT/$$/label; cat MNT/$$/label
local p = require "proclua"
local stock = require "proc" -- the default layout, scripts/proc.lua

local MAX_LINES, MAX_LABEL = 100, 64
local lines, labels = {}, {}

-- A label belongs to a process, not to its number: a pid reused later
-- starts without one.
local function key(task) return task.pid .. "@" .. task.starttime end

local root = { table.unpack(stock.root) }
root[#root + 1] = p.file("notes", "0666", function() return table.concat(lines) end, {
  write = function(_, bytes, _, caller)
    if bytes:find("\0", 1, true) then return "EINVAL" end
    if #lines >= MAX_LINES then return "ENOSPC" end
    local text = bytes:gsub("\n+$", "")
    lines[#lines + 1] = ("%d %s: %s\n"):format(caller.uid, caller.pid or "?", text)
  end,
})

local task = { table.unpack(stock.task) }
task[#task + 1] = p.file("label", "0644", function(t) return labels[key(t)] or "" end, {
  write = function(t, bytes)
    if #bytes > MAX_LABEL then return "EINVAL" end
    labels[key(t)] = bytes
  end,
})

return p.layout { root = root, task = task, shared = true }
