local p = require "proclua"
local stock = require "proc"
return p.layout {
  root = { p.dir("extra", "0555", { p.stub("motd", "0444", "hello\n"), p.symlink("up", "../uptime"),
            p.file("who", "0444", function() return "root\n" end) }),
           p.file("uptime", "0444", "uptime"), p.link("self", "self") },
  task = (function()
    local task = p.edit(stock.task, { environ = p.stub("environ", "0400", "") })
    task[#task + 1] = p.file("summary", "0444", function(t)
      return ("%d %s %s %d %d %s\n"):format(t.pid, t.comm, t.state, t.ppid, t.num_threads, tostring(t.exe))
    end)
    task[#task + 1] = p.file("groups", "0444", function(t) return table.concat(t.groups or {}, " ") .. "\n" end)
    return task
  end)(),
  view = { select = function(t) return t.uid == 0 end },
}
