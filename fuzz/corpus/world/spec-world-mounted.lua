local p = require "proclua"
return p.world { tasks = {
  { pid = 1, argv = { "/sbin/init" } },
  { pid = 20, ppid = 1, argv = { "server", "-v" }, threads = { { tid = 21, comm = "worker" } } },
  { pid = 30, ppid = 1, argv = { "doomed" } },
  { pid = 14, ppid = 1, zombie = true, argv = { "gone" } },
} }
