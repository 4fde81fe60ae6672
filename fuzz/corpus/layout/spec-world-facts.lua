local p = require "proclua"
return p.layout { task = {
  p.dir("task", "0555", "task", { only = "tgid" }),
  p.file("facts", "0444", function(task)
    return ("%d %d %s %s %d %d %d %d %d %d %d %d\n"):format(task.pid, task.tid, task.comm,
      task.state, task.ppid, task.pgrp, task.session, task.nice, task.num_threads,
      task.starttime, task.vsize, task.rss)
  end),
  p.file("creds", "0444", function(task)
    return ("%d %d %d %d %s\n"):format(task.uid, task.euid, task.gid, task.egid, task.comm)
  end),
  p.file("unknown", "0444", function(task) return tostring(task.colour) .. "\n" end),
  p.file("every", "0444", function(task)
    local out = {}
    for _, name in ipairs(p.facts) do
      local v = task[name]
      if type(v) == "table" then v = "table" end
      out[#out + 1] = ("%s=%s\n"):format(name, tostring(v))
    end
    return table.concat(out)
  end),
  p.file("some", "0444", function(task)
    return ("%s %s %s %s %d %d %s %d %d %s|%s"):format(task.exe, task.cwd, task.cap_eff,
      task.wchan, task.rchar, task.oom_score_adj, table.concat(task.groups, ","),
      task.ns.net, task.nspid[1], task.cpus_allowed, task.maps)
  end),
  p.file("vanish", "0444", function(task)
    p.mounted_world():vanish(task.pid)
    return task.comm -- the line the error names
  end),
} }
