-- A busy host for testing a monitoring agent (node_exporter, Telegraf,
-- psutil-based scripts, top/htop dashboards): the states and numbers an
-- agent must handle, declared so its output can be checked exactly.
--
--   * a 4-CPU machine 10 days up, load 3.5, 16 GiB of memory, overcommit
--     disabled (vm.overcommit_memory = 2);
--   * a CPU hog (R) with 90 000 clock ticks of user time, busy now (its
--     `rates`: top and psutil's cpu_percent show it at 100%), a task in D
--     (uninterruptible, e.g. stuck on NFS), a zombie left by its parent,
--     a stopped job (T), a multi-threaded JVM with a running thread;
--   * a process near its memory limit (rss 3.5 GiB), one with an
--     oom_score_adj of 1000 (first to be killed), and a kernel thread
--     (no memory, no cmdline).
--
--   proclua --world examples/worlds/monitoring.lua MNT
--   proclua-run --world examples/worlds/monitoring.lua -- top -b -n 1
local p = require "proclua"

local GiB_pages = 262144 -- 4 KiB pages per GiB

return p.world {
  machine = {
    cpus = 4, uptime = 864000, idle = 2400000, loadavg = { 3.5, 2.75, 1.25 }, running = 2,
    rates = { user = 150, system = 20, iowait = 30 },  -- the clock runs: top's %Cpu moves
    mem_total_kb = 16 * 1024 * 1024, hostname = "db-7",
    sysctl = { ["vm.overcommit_memory"] = 2 },
  },
  tasks = {
    { pid = 1, argv = { "/sbin/init" }, starttime = 100 },
    { pid = 2, ppid = 0, comm = "kthreadd", kthread = 1, has_mm = 0, argv = {}, starttime = 100 },
    { pid = 400, ppid = 1, argv = { "/usr/bin/burn", "--threads=1" }, state = "R",
      utime = 90000, stime = 1200, starttime = 5000, rss_anon = 1000,
      rates = { utime = 95, stime = 5 } },     -- one CPU, busy: top shows it at 100%
    { pid = 410, ppid = 1, argv = { "/usr/bin/rsync", "-a", "/mnt/nfs/", "/backup/" }, state = "D",
      utime = 30, stime = 800, starttime = 7000 },
    { pid = 420, ppid = 1, argv = { "/usr/bin/bash", "./batch.sh" }, starttime = 8000 },
    { pid = 421, ppid = 420, argv = { "worker" }, zombie = true, exit_code = 256, starttime = 8100 },
    { pid = 430, ppid = 1, argv = { "/usr/bin/vim", "notes.txt" }, state = "T", starttime = 9000 },
    { pid = 500, ppid = 1, argv = { "/usr/bin/java", "-Xmx4g", "-jar", "app.jar" }, comm = "java",
      uid = 1000, gid = 1000, starttime = 10000, utime = 52000, stime = 4000,
      rates = { utime = 40, stime = 10, rchar = 65536, wchar = 8192 },
      rss_anon = 3 * GiB_pages + GiB_pages // 2, rss_file = 20000,
      threads = { { tid = 501, comm = "GC Thread#0" }, { tid = 502, comm = "http-nio-8080", state = "R" } } },
    { pid = 600, ppid = 1, argv = { "/usr/bin/cache-warmer" }, uid = 1000, gid = 1000,
      oom_score_adj = 1000, starttime = 12000, rss_anon = 50000 },
  },
}
