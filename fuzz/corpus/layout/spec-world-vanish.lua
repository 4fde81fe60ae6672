local p = require "proclua"
local base = require "proc"
local root = { p.link("self", "self"), p.link("thread-self", "thread_self"),
  p.file("vanish-30", "0444", function()
    return tostring(p.mounted_world():vanish(30)) .. "\n"
  end),
  p.file("zombify-20", "0444", function()
    return tostring(p.mounted_world():zombify(20)) .. "\n"
  end) }
local task = { p.dir("private", "0500", { p.stub("secret", "0444", "s3cret\n") }) }
for _, e in ipairs(base.task) do task[#task + 1] = e end
return p.layout { root = root, task = task }
