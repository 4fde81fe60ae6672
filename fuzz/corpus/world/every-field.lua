-- Most task fields a world can give, as text the kernel prints or as numbers.
local p = require "proclua"
local function region(prefix, name) return ("%-72s %s\n"):format(prefix, name) end
local maps = region("00400000-00401000 r-xp 00000000 08:01 12 ", "/opt/app")
          .. region("7ffc0000000-7ffc0021000 rw-p 00000000 00:00 0 ", "[stack]")
local w = p.world {
  self = 7,
  machine = { cpus = 3, uptime = "1234.56 3000.12\n", loadavg = "0.50 0.25 0.10 2/300 4242\n",
              meminfo = "MemTotal:        1000000 kB\nMemFree:          500000 kB\nHugePages_Total:       0\n",
              cpuinfo = "processor\t: 0\nflags\t\t: fpu\n\nprocessor\t: 1\nflags\t\t: fpu\n\n",
              filesystems = "nodev\tproc\n\text4\n", hostname = "box", osrelease = "6.18.0",
              ostype = "Linux", version = "Linux version 6.18.0 (x) #1", pid_max = 32768, last_pid = 99 },
  tasks = {
    { pid = 1, argv = { "/sbin/init" }, env = { "HOME=/", "TERM=linux" } },
    { pid = 7, ppid = 1, comm = "app", state = "R", nice = -5, priority = 15, uid = { 1000, 1000, 1000, 1000 },
      gid = 1000, groups = { 4, 24, 27 }, nspid = { 7, 1 }, umask = "0027", cpus_allowed = "7",
      mems_allowed = "1", cap_eff = "0x1", cap_prm = "0x3", no_new_privs = 1, seccomp_mode = 2,
      seccomp_filters = 1, wchan = "do_epoll_wait", exe = "/opt/app", cwd = "/srv", root = "/",
      oom_score = 666, oom_score_adj = -100, coredump_filter = 0x23, dumpable = 0,
      rchar = 1, wchar = 2, syscr = 3, syscw = 4, read_bytes = 4096, write_bytes = 8192,
      maps = maps, cgroup = "0::/user.slice/app.scope\n",
      mountinfo = "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n23 22 0:21 / /proc rw,nosuid - proc proc rw\n",
      limits = nil, uid_map = "         0       1000          1\n",
      gid_map = "         0       1000          1\n", setgroups = "deny",
      auxv = { { 6, 4096 }, { 25, 0x7ffc0001000 }, { 0, 0 } },
      ns = { net = 4026532000, user = 4026532100 },
      fds = { { fd = 0, target = "/dev/null" }, { fd = 1, target = "pipe:[1234]", mode = "w" },
              { fd = 5, target = "/srv/data.db", mode = "rw", pos = 4096, flags = 02, mnt_id = 22, ino = 77 } },
      argv = { "app", "--serve" }, env = { "A=1" },
      mem = { { at = "env_end", offset = -2, bytes = "Z" }, { addr = 0x10000, bytes = "\0\1\2" } },
      unmap = { { addr = 0x10001, len = 1 } },
      threads = { { tid = 7 }, { tid = 8, comm = "app-worker", state = "D" } } },
    { pid = 9, ppid = 7, zombie = true, exit_code = 9 },
    { pid = 10, ppid = 1, kthread = 1, has_mm = 0, flags = 0x208040, comm = "kworker/0:1" },
  },
}
w:zombify(10)
return w
