local p = require "proclua"
return p.world { tasks = {
  { pid = 1, argv = { "/sbin/init" } },
  { pid = 40, ppid = 1, pgrp = 40, session = 1, comm = "facts", state = "S", nice = 5,
    starttime = 1234, vsize = 8192000, rss = 100,
    uid = { 1000, 1001, 1002, 1003 }, gid = { 100, 101, 102, 103 },
    argv = { "facts" }, threads = { { tid = 41, comm = "helper" } },
    exe = "/opt/facts", cwd = "/srv", cap_eff = "0x8000000000000001", wchan = "do_wait",
    rchar = 4242, oom_score_adj = -500, groups = { 4, 27 }, ns = { net = 4026532000 },
    cpus_allowed = "f", maps = "00400000-00401000 r-xp 00000000 08:01 12                                 /opt/facts\n" },
  { pid = 50, ppid = 1, argv = { "doomed" } },
} }
