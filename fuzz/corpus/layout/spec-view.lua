local p = require "proclua"
local base = require "proc"
return p.layout { root = base.root, task = base.task,
  view = { select = function(task) return task.comm ~= "other" and task.pid ~= 1 end } }
