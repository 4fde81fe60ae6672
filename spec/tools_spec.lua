-- Real tools, unmodified, with proclua as their /proc.
--
-- Each tool runs through build/proclua-run: proclua mounts at a temporary
-- directory, the tool runs in a private mount namespace with the mount
-- bound over /proc, and the mount and the daemon are gone when it exits
-- (checked after every run).  The tools run with a clean environment
-- (env -i, TZ=UTC, LC_ALL=C, HOME with no toprc).
--
--   * Over a world (spec/support/toolworld.lua) whose every fact is known:
--     the exact output of ps -ef, ps aux, ps -eo, ps -L, top -b -n1,
--     pgrep -a, pidof, pmap, pmap -x, pmap -XX, free and uptime.  The only
--     text not compared is what does not come from /proc: the wall clock
--     of top's and uptime's first line, and their count of logged-in users
--     (utmp/logind).
--   * Over the host's tasks (default layout, no world): ps's lines for
--     stopped test processes (ps -eo with many columns, ps -eLo) equal
--     ps's lines on the kernel's /proc.
--   * htop under tmux (TestHtop): its header's task counts, over two worlds
--     (exactly what they declare) and over the host's tasks (what the
--     kernel's own /proc counts at the same moment).
local lu = require "luaunit"
local fsx = require "fsx"
local procs = require "procs"
local prun = require "prun"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"
local toolworld = require "toolworld"

local F = suite.once(function()
  local work = fsx.mktemp_dir("proclua-tools")
  suite.defer("remove " .. work, function() assert(fsx.remove_tree(work)) end)
  return { work = work, rundir = prun.rundir(), world = toolworld.write(work .. "/world.lua") }
end)

-- A tool's stdout, run in the world with a clean environment; it must
-- exit with `code` (default 0).
local function in_world(argv, code, world)
  local r = prun.tool(F().rundir, { "--world", world or F().world }, argv)
  lu.assertEquals(r.code, code or 0, table.concat(argv, " ") .. " failed: " .. r.err)
  return r.out, r.err
end

local assert_text = prun.assert_text

-- top's and uptime's first line: the wall clock (HH:MM:SS, the current
-- time, not a /proc value) and the number of logged-in users (counted from
-- utmp/logind, not from /proc) are replaced; everything else is kept.
local function strip_clock_and_users(line)
  local s = line:gsub("^(top %- )%d%d:%d%d:%d%d ", "%1HH:MM:SS ", 1)
  s = s:gsub("^ %d%d:%d%d:%d%d ", " HH:MM:SS ", 1)
  s = s:gsub(",  %d+ users?,  load", ",  N users,  load", 1)
  return s
end

TestWorld = {}

function TestWorld.test_ps_ef()
  assert_text(in_world { "ps", "-ef" }, table.concat({
    "UID          PID    PPID  C STIME TTY          TIME CMD",
    "root           1       0  0  2023 ?        00:00:04 /sbin/init splash",
    "root           2       0  0  2023 ?        00:00:00 [kthreadd]",
    "root          50       1  0  2023 ?        00:00:00 /usr/sbin/sshd -D",
    "www-data     100      50  0  2023 ?        00:00:00 -bash",
    -- 7200 s of cpu in 98680 s since it started: C 7
    "nobody       200       1  7  2023 ?        02:00:00 /usr/bin/server --port 8080",
    "www-data     300     100  0  2023 ?        00:00:00 cat /etc/motd",
    "www-data     400     100  0  2023 ?        00:00:00 [gone] <defunct>",
    "4321         500       1  0  2023 ?        00:00:00 /opt/job/run --once",
    "",
  }, "\n"), "ps -ef")
end

function TestWorld.test_ps_aux()
  assert_text(in_world { "ps", "aux" }, table.concat({
    "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND",
    "root           1  0.0  0.1 168000  4800 ?        Ss    2023   0:04 /sbin/init splash",
    "root           2  0.0  0.0      0     0 ?        S     2023   0:00 [kthreadd]",
    "root          50  0.0  0.1  15200  4800 ?        Ss    2023   0:00 /usr/sbin/sshd -D",
    "www-data     100  0.0  0.1   8800  5200 ?        Ss    2023   0:00 -bash",
    "nobody       200  7.2  2.6 1048576 110592 ?      SNsl  2023 120:00 /usr/bin/server --port 8080",
    "www-data     300  0.0  0.0   2544  1232 ?        S     2023   0:00 cat /etc/motd",
    "www-data     400  0.0  0.0      0     0 ?        Z     2023   0:00 [gone] <defunct>",
    "4321         500  0.0  0.0   4000   800 ?        Ts    2023   0:00 /opt/job/run --once",
    "",
  }, "\n"), "ps aux")
end

function TestWorld.test_ps_eo()
  assert_text(in_world { "ps", "-eo", "pid,ppid,stat,comm,args" }, table.concat({
    "    PID    PPID STAT COMMAND         COMMAND",
    "      1       0 Ss   init            /sbin/init splash",
    "      2       0 S    kthreadd        [kthreadd]",
    "     50       1 Ss   sshd            /usr/sbin/sshd -D",
    "    100      50 Ss   bash            -bash",
    "    200       1 SNsl server          /usr/bin/server --port 8080",
    "    300     100 S    cat             cat /etc/motd",
    "    400     100 Z    gone            [gone] <defunct>",
    "    500       1 Ts   run             /opt/job/run --once",
    "",
  }, "\n"), "ps -eo")
end

-- Threads: task/<tid>/.  ps shows the group's time for the leader's line
-- (procps reuses the process's own stat for it, as it does on the kernel's
-- /proc), each other thread's own.
function TestWorld.test_ps_threads()
  assert_text(in_world { "ps", "-L", "-p", "200", "-o", "pid,lwp,nlwp,stat,time,comm" }, table.concat({
    "    PID     LWP NLWP STAT     TIME COMMAND",
    "    200     200    3 SNsl 02:00:00 server",
    "    200     201    3 SNsl 01:20:00 worker-1",
    "    200     202    3 RNsl 00:39:45 worker-2",
    "",
  }, "\n"), "ps -L")
end

function TestWorld.test_top()
  local out = in_world { "top", "-b", "-n1" }
  local lines = fsx.lines(out)
  lines[1] = strip_clock_and_users(lines[1] or "")
  assert_text(table.concat(lines, "\n") .. "\n", table.concat({
    "top - HH:MM:SS up 1 day,  3:25,  N users,  load average: 0.52, 0.31, 0.07",
    "Tasks:   8 total,   0 running,   6 sleeping,   1 stopped,   1 zombie",
    -- one sample of a /proc/stat that does not move: all idle
    "%Cpu(s):  0.0 us,  0.0 sy,  0.0 ni,100.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st ",
    "MiB Mem :   4096.0 total,   2048.0 free,   1536.0 used,    640.0 buff/cache     ",
    "MiB Swap:      0.0 total,      0.0 free,      0.0 used.   2560.0 avail Mem ",
    "",
    "    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND",
    "      1 root      20   0  168000   4800   3600 S   0.0   0.1   0:04.00 init",
    "      2 root      20   0       0      0      0 S   0.0   0.0   0:00.00 kthreadd",
    "     50 root      20   0   15200   4800   4000 S   0.0   0.1   0:00.30 sshd",
    "    100 www-data  20   0    8800   5200   3200 S   0.0   0.1   0:00.42 bash",
    "    200 nobody    25   5 1048576 110592   8192 S   0.0   2.6 120:00.00 server",
    "    300 www-data  20   0    2544   1232   1160 S   0.0   0.0   0:00.03 cat",
    "    400 www-data  20   0       0      0      0 Z   0.0   0.0   0:00.00 gone",
    "    500 4321      20   0    4000    800    400 T   0.0   0.0   0:00.10 run",
    "",
  }, "\n"), "top -b -n1")
end

function TestWorld.test_pgrep()
  assert_text(in_world { "pgrep", "-a", "." }, table.concat({
    "1 /sbin/init splash",
    "2 [kthreadd]",
    "50 /usr/sbin/sshd -D",
    "100 -bash",
    "200 /usr/bin/server --port 8080",
    "300 cat /etc/motd",
    "400 [gone] <defunct>",
    "500 /opt/job/run --once",
    "",
  }, "\n"), "pgrep -a .")
  assert_text(in_world { "pgrep", "-a", "-u", "www-data", "." },
    "100 -bash\n300 cat /etc/motd\n400 [gone] <defunct>\n", "pgrep -a -u www-data")
  assert_text(in_world { "pgrep", "-a", "-P", "100" }, "300 cat /etc/motd\n400 [gone] <defunct>\n",
    "pgrep -a -P 100")
  assert_text(in_world { "pgrep", "-a", "-f", "port 8080" }, "200 /usr/bin/server --port 8080\n",
    "pgrep -a -f")
end

-- pidof matches argv[0]'s basename (a login shell's '-' dropped) or the
-- exe link's.  As on the kernel's /proc (checked with procps 4.0.2), it
-- reports a kernel thread by its name but not a zombie.
function TestWorld.test_pidof()
  assert_text(in_world { "pidof", "server" }, "200\n", "pidof server")
  assert_text(in_world { "pidof", "bash", "cat", "run" }, "100 300 500\n", "pidof bash cat run")
  assert_text(in_world { "pidof", "kthreadd" }, "2\n", "pidof kthreadd")
  assert_text(in_world({ "pidof", "gone" }, 1), "", "pidof gone")
  assert_text(in_world({ "pidof", "worker-1" }, 1), "", "pidof worker-1 (a thread)")
end

local PMAP_LINES = {
  -- address, kbytes, mode, mapping (pmap's name for it), rss, dirty
  { "000055d4c8a00000", 8, "r----", "cat", 8, 0 },
  { "000055d4c8a02000", 20, "r-x--", "cat", 20, 0 },
  { "000055d4c8a07000", 12, "r----", "cat", 8, 0 },
  { "000055d4c8a0a000", 4, "r----", "cat", 4, 4 },
  { "000055d4c8a0b000", 4, "rw---", "cat", 4, 4 },
  { "000055d4c9b1e000", 132, "rw---", "  [ anon ]", 8, 8 },
  { "00007f1e2c600000", 160, "r----", "libc.so.6", 160, 0 },
  { "00007f1e2c628000", 1620, "r-x--", "libc.so.6", 896, 0 },
  { "00007f1e2c7bd000", 352, "r----", "libc.so.6", 64, 0 },
  { "00007f1e2c815000", 16, "r----", "libc.so.6", 16, 16 },
  { "00007f1e2c819000", 8, "rw---", "libc.so.6", 8, 8 },
  { "00007f1e2c81b000", 52, "rw---", "  [ anon ]", 20, 20 },
  -- the region holding stat's start_stack
  { "00007ffd1a2b0000", 132, "rw---", "  [ stack ]", 12, 12 },
  { "00007ffd1a3f2000", 16, "r----", "  [ anon ]", 0, 0 },
  { "00007ffd1a3f6000", 8, "r-x--", "  [ anon ]", 4, 0 },
}

function TestWorld.test_pmap()
  local want = { "300:   cat /etc/motd" }
  for _, l in ipairs(PMAP_LINES) do
    want[#want + 1] = ("%s %6dK %s %s"):format(l[1], l[2], l[3], l[4])
  end
  want[#want + 1] = " total             2544K"
  want[#want + 1] = ""
  assert_text(in_world { "pmap", "300" }, table.concat(want, "\n"), "pmap 300")
end

function TestWorld.test_pmap_x()
  local want = { "300:   cat /etc/motd", "Address           Kbytes     RSS   Dirty Mode  Mapping" }
  for _, l in ipairs(PMAP_LINES) do
    want[#want + 1] = ("%s %7d %7d %7d %s %s"):format(l[1], l[2], l[5], l[6], l[3], l[4])
  end
  want[#want + 1] = "---------------- ------- ------- ------- "
  want[#want + 1] = "total kB            2544    1232      72"
  want[#want + 1] = ""
  assert_text(in_world { "pmap", "-x", "300" }, table.concat(want, "\n"), "pmap -x 300")
end

-- pmap -XX prints every smaps counter as a column; Size, Rss, Private_Dirty
-- and VmFlags are checked for every region, and the total of Size.
function TestWorld.test_pmap_XX()
  local out = in_world { "pmap", "-XX", "300" }
  local lines = fsx.lines(out)
  lu.assertEquals(lines[1], "300:   cat /etc/motd")
  local cols = {}
  for w in lines[2]:gmatch("%S+") do cols[#cols + 1] = w end
  local at = {}
  for i, c in ipairs(cols) do at[c] = i end
  lu.assertNotNil(at.Size, lines[2])
  lu.assertNotNil(at.VmFlags, lines[2])
  local regions = toolworld.decl().regions.cat
  lu.assertEquals(#lines, 2 + #regions + 2, out)
  for i, r in ipairs(regions) do
    local w = {}
    for x in lines[2 + i]:gmatch("%S+") do w[#w + 1] = x end
    local lo, hi = r[1]:match("^(%x+)-(%x+)$")
    lu.assertEquals(w[1], lo, lines[2 + i])
    lu.assertEquals(tonumber(w[at.Size]), (tonumber(hi, 16) - tonumber(lo, 16)) // 1024, lines[2 + i])
    lu.assertEquals(tonumber(w[at.Rss]), r.rss or 0, lines[2 + i])
    lu.assertEquals(tonumber(w[at.Private_Dirty]), r.dirty or 0, lines[2 + i])
    -- VmFlags is printed with its spaces: its words start at its column
    local flags = table.concat(w, " ", at.VmFlags, at.VmFlags + select(2, r.flags:gsub(" ", "")))
    lu.assertEquals(flags, r.flags, lines[2 + i])
  end
  local totals = {}
  for x in lines[#lines]:gmatch("%S+") do totals[#totals + 1] = x end
  lu.assertEquals(totals[1], "2544", lines[#lines]) -- Size, the first counter
  lu.assertEquals(totals[#totals], "KB")
end

function TestWorld.test_free()
  -- used = MemTotal - MemAvailable; buff/cache = Buffers + Cached + SReclaimable
  assert_text(in_world { "free" }, table.concat({
    "               total        used        free      shared  buff/cache   available",
    "Mem:         4194304     1572864     2097152       16384      655360     2621440",
    "Swap:              0           0           0",
    "",
  }, "\n"), "free")
  assert_text(in_world { "free", "-m" }, table.concat({
    "               total        used        free      shared  buff/cache   available",
    "Mem:            4096        1536        2048          16         640        2560",
    "Swap:              0           0           0",
    "",
  }, "\n"), "free -m")
end

function TestWorld.test_uptime()
  local out = in_world { "uptime" }
  assert_text(strip_clock_and_users(out),
    " HH:MM:SS up 1 day,  3:25,  N users,  load average: 0.52, 0.31, 0.07\n", "uptime")
  assert_text(in_world { "uptime", "-p" }, "up 1 day, 3 hours, 25 minutes\n", "uptime -p")
end

-- The world's `self`: a tool asking for /proc/self or its own pid gets
-- task 1 (procps needs both to resolve).
function TestWorld.test_self_and_own_pid()
  local out = in_world { "sh", "-c", "read l < /proc/self/stat; echo \"$l\" | cut -d' ' -f1-2; "
                                   .. "read l < /proc/$$/stat; echo \"$l\" | cut -d' ' -f1-2" }
  assert_text(out, "1 (init)\n1 (init)\n", "self")
end

------------------------------------------------------------------------------
-- Host tasks: ps through proclua (default layout, no world) against ps on
-- the kernel's /proc, for stopped test processes.

local host = suite.once(function()
  local H = procs.fixture("proclua-tools-host")
  local start = H.spawn
  local sleeper = '$| = 1; print "ready\\n"; sleep 1000 while 1'
  local waits = {
    start("args", { "perl", "-e", sleeper, "--", "an argument", "", "tab\there" }),
    start("nobody", { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                      "perl", "-e", sleeper }),
    start("niced", { "nice", "-n", "7", "perl", "-e", sleeper }),
    start("threads", { testenv.helper("threads"), H.work }),
    start("title", { testenv.helper("spt"), "1" }),
  }
  local zparent = start("zombie_parent", { "sh", "-c", "sleep 0 & exec sleep 1000" })
  for _, p in ipairs(waits) do p:wait_output("^ready") end
  H.zombie = procs.zombie_of(zparent.pid)
  for _, p in ipairs(H.started) do p:stop_and_wait() end
  H.pids = { [H.zombie] = true }
  for _, p in ipairs(H.started) do H.pids[p.pid] = true end
  return H
end)

-- The header and the lines of the test pids, from ps's output (the PID
-- column is found by its heading).
local function ps_lines(out, pids)
  local lines = fsx.lines(out)
  local col = 0
  for w in (lines[1] or ""):gmatch("%S+") do
    col = col + 1
    if w == "PID" then break end
  end
  local keep = { lines[1] }
  for i = 2, #lines do
    local n, pid = 0, nil
    for w in lines[i]:gmatch("%S+") do
      n = n + 1
      if n == col then pid = tonumber(w) break end
    end
    if pid and pids[pid] then keep[#keep + 1] = lines[i] end
  end
  return keep
end

local function compare_host_ps(options)
  local H = host()
  local argv = {}
  for _, w in ipairs(prun.TOOL_ENV) do argv[#argv + 1] = w end
  argv[#argv + 1] = "ps"
  for _, w in ipairs(options) do argv[#argv + 1] = w end
  local native = sh.run(argv)
  lu.assertEquals(native.code, 0, native.err)
  local ours = prun.run(F().rundir, {}, argv)
  lu.assertEquals(ours.code, 0, ours.err)
  local want, got = ps_lines(native.out, H.pids), ps_lines(ours.out, H.pids)
  local n = 0
  for _ in pairs(H.pids) do n = n + 1 end
  lu.assertTrue(#want >= 1 + n, "native ps did not list every test process:\n" .. native.out)
  assert_text(table.concat(got, "\n"), table.concat(want, "\n"),
              "ps " .. table.concat(options, " ") .. " (native vs proclua)")
end

TestHost = {}

function TestHost.test_ps_eo_matches_the_kernel()
  compare_host_ps { "-eo", "pid,ppid,stat,comm,args" }
end

-- More columns: owners, sizes, times, start (from btime), scheduling, wchan.
function TestHost.test_ps_more_columns_match_the_kernel()
  compare_host_ps { "-eo", "pid,user,uid,gid,nlwp,vsz,rss,sz,tty,time,lstart,ni,pri,f,psr,wchan:32,comm" }
end

-- One line per thread (task/<tid>/); and ps -ef's columns but C (a cpu
-- share over the time since the process started: it moves between the
-- two runs of ps while a young process's elapsed time grows).
function TestHost.test_ps_threads_match_the_kernel()
  compare_host_ps { "-eLo", "pid,tid,nlwp,stat,time,comm,args" }
end

function TestHost.test_ps_ef_columns_match_the_kernel()
  compare_host_ps { "-eo", "user,pid,ppid,stime,tty,time,cmd" }
end

------------------------------------------------------------------------------
-- htop in a detached tmux session (spec/support/htop_tasks.sh), its header
-- "Tasks: P, T thr, K kthr; R running": P processes, T threads other than
-- a process's first, K kernel threads (PF_KTHREAD in stat's flags), R
-- /proc/stat's procs_running capped at the online cpus (htop 3.2).

local htop_runs = 0

-- One run of the script through proclua-run: its lines as
-- { tasks = "...", cpus = n, counts = { "ours P T K", ... } }.
local function htop_run(args, kernel_dir)
  htop_runs = htop_runs + 1
  local sock = ("%s/tmux-%d"):format(F().work, htop_runs)
  suite.defer("end the tmux server of " .. sock, function()
    sh.run({ "tmux", "-S", sock, "kill-server" })
    os.remove(sock)
    return true
  end)
  local argv = { "bash", testenv.src() .. "/spec/support/htop_tasks.sh", sock, kernel_dir }
  local r = prun.tool(F().rundir, args, argv)
  lu.assertEquals(r.code, 0, "htop_tasks.sh failed: " .. r.err .. r.out)
  local got = { counts = {} }
  for line in r.out:gmatch("[^\n]+") do
    local k, v = line:match("^(%S+) (.*)$")
    if k == "counts" then got.counts[#got.counts + 1] = v
    elseif k == "tasks" then got.tasks = v
    elseif k == "cpus" then got.cpus = tonumber(v) end
  end
  lu.assertNotNil(got.tasks, r.out)
  lu.assertNotNil(got.cpus, r.out)
  return got
end

TestHtop = {}

-- The tool world: 8 tasks, kthreadd (pid 2) a kernel thread, the server's
-- two threads besides its first; procs_running 1 (the world's default).
function TestHtop.test_task_counts_of_the_tool_world()
  local got = htop_run({ "--world", F().world })
  lu.assertEquals(got.tasks, "Tasks: 7, 2 thr, 1 kthr; 1 running")
end

-- The example container: 6 processes, python3's two threads, no kernel
-- thread.
function TestHtop.test_task_counts_of_the_example_container()
  local got = htop_run({ "--world", testenv.src() .. "/examples/worlds/container.lua" })
  lu.assertEquals(got.tasks, "Tasks: 6, 2 thr, 0 kthr; 1 running")
end

-- Host tasks: the counts htop shows through proclua equal the kernel's,
-- counted over a proc of its own (mounted in the run's namespace) just
-- before htop's last scan and again after its screen is read.  A run whose
-- counts did not move (nothing started or ended on the machine meanwhile)
-- must match exactly, and the spec ends at the first; on a machine busy
-- enough that they always move, each of htop's counts must lie between the
-- kernel's two (up to 8 runs).  procs_running moves at every read, so R is
-- only checked to be between 1 (the one reading) and the cpus.
function TestHtop.test_task_counts_of_the_host_match_the_kernel()
  local kernel_dir = F().work .. "/kernel-proc"
  assert(sh.ok("mkdir -p " .. sh.quote(kernel_dir)))
  local wrong = {}
  for _ = 1, 8 do
    local got = htop_run({}, kernel_dir)
    lu.assertEquals(#got.counts, 4, "counts ours/kernel before and after")
    local r = tonumber(got.tasks:match("; (%d+) running$"))
    lu.assertNotNil(r, got.tasks)
    lu.assertTrue(r >= 1 and r <= got.cpus, got.tasks)
    local shown = { got.tasks:match("^Tasks: (%d+), (%d+) thr, (%d+) kthr;") }
    lu.assertEquals(#shown, 3, got.tasks)
    local still = true
    for i = 2, 4 do still = still and got.counts[i]:match("%d.*") == got.counts[1]:match("%d.*") end
    local before = { got.counts[2]:match("^kernel (%d+) (%d+) (%d+)$") }
    local after = { got.counts[4]:match("^kernel (%d+) (%d+) (%d+)$") }
    local fits = true
    for i = 1, 3 do
      local n, a, b = tonumber(shown[i]), tonumber(before[i]), tonumber(after[i])
      if still then fits = fits and n == a
      else fits = fits and n >= math.min(a, b) and n <= math.max(a, b) end
    end
    if still and fits then return end
    if not fits then
      wrong[#wrong + 1] = got.tasks .. " where the kernel counted " .. got.counts[2] .. ", then " .. got.counts[4]
    end
  end
  lu.assertEquals(wrong, {}, "htop's task counts against the kernel's")
  print("tools_spec: the machine's tasks moved in every htop run; its counts lay between the kernel's")
end

suite.run()
