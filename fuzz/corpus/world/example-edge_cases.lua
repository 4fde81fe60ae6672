-- States no live system produces on demand, for experiments and specs:
-- "what does a tool do when /proc says this?"
local p = require "proclua"

return p.world {
  tasks = {
    { pid = 1, argv = { "/sbin/init" } },

    -- comm with spaces and ')': stat prints it raw inside parentheses
    { pid = 10, ppid = 1, comm = "a) (b c", argv = { "weird" } },

    -- an empty argv: cmdline reads empty
    { pid = 11, ppid = 1, comm = "noargs", argv = {}, env = { "A=1" } },

    -- setproctitle over argv and the environment, longer than a page: the
    -- last argv byte is no longer NUL, so cmdline reads one page at most
    { pid = 12, ppid = 1, argv = { "daemon", "--flag" },
      env = { "A=" .. string.rep("a", 3000), "B=" .. string.rep("b", 3000) },
      mem = { { at = "arg_start", bytes = "daemon: worker " .. string.rep("x", 5000) } } },

    -- the same with a NUL inside the first page: cmdline stops after it
    { pid = 15, ppid = 1, argv = { "short", "arg" }, env = { "HOME=/root" },
      mem = { { at = "arg_start", bytes = "titled\0" } , { at = "arg_end", offset = -1, bytes = "x" } } },

    -- an unmapped hole inside argv: cmdline ends short at the hole
    { pid = 13, ppid = 1, argv = { "holey", string.rep("y", 200), "tail" },
      unmap = { { at = "arg_start", offset = 100, len = 50 } } },

    -- the environment is not adjacent to argv: cmdline ignores it
    { pid = 16, ppid = 1, argv = { "apart" }, env = { "X=1" },
      env_start = 0x7ffffff00000, env_end = 0x7ffffff00004,
      mem = { { addr = 0x7ffffff00000, bytes = "Y=2\0" } } },

    -- a zombie: exited, not reaped
    { pid = 14, ppid = 1, zombie = true, exit_code = 256, argv = { "gone" } },

    -- a multi-threaded task
    { pid = 20, ppid = 1, argv = { "server" },
      threads = { { tid = 21, comm = "worker-1" }, { tid = 22, comm = "worker-2", state = "R" } } },

    -- a non-dumpable task (setuid): its files are owned by root
    { pid = 30, ppid = 1, argv = { "/usr/bin/sudo", "true" }, uid = { 1000, 0, 0, 0 }, dumpable = 0 },
  },
}
