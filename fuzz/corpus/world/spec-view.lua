local p = require "proclua"
return p.world { tasks = {
  { pid = 1, argv = { "/sbin/init" } },
  { pid = 40, ppid = 1, argv = { "worker" } },
  { pid = 41, ppid = 40, argv = { "helper" } },
  { pid = 50, ppid = 1, argv = { "worker" } },
  { pid = 60, ppid = 1, argv = { "other" } },
} }
