-- The per-task files of issue 15: loginuid, sessionid, personality,
-- oom_adj, timerslack_ns, schedstat, autogroup, cpuset, attr/, stack,
-- syscall and sched, and the state a task reading its own files sees.
--
-- For a world the bytes are written out by hand from Linux's formats
-- (fs/proc/base.c, kernel/sched/debug.c, kernel/sched/autogroup.c,
-- kernel/cgroup/cpuset-v1.c): a world's declared facts and the defaults a
-- task that declares nothing gets.  Mounted, the same world's directory is
-- listed in Linux's order and each file is read by root and by uid 65534
-- with the errno Linux gives.  For the host, host_diff_spec compares the
-- files with the kernel's; here a process reads its own state through the
-- mount and through the kernel's /proc, and both say the same.
local lu = require "luaunit"
local p = require "proclua"
local fsx = require "fsx"
local mnt = require "mnt"
local probe = require "probe"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local NOBODY = 65534

local function fmt(w, name, pid, tid)
  local v, err, errno = w:format(name, pid, tid)
  if v then return v end
  return ("<%s %d>"):format(err, errno)
end

local EINVAL = "<Invalid argument 22>"

-- The debug lines of a task that declares none, for run time r (ms, ns)
-- and switches (voluntary, involuntary), nice 0, SCHED_OTHER.
local function derived_sched(head, runtime, vol, invol)
  local lines = {
    { "se.exec_start", "0.000000" }, { "se.vruntime", "0.000000" },
    { "se.sum_exec_runtime", runtime }, { "se.nr_migrations", "0" },
    { "nr_switches", tostring(vol + invol) }, { "nr_voluntary_switches", tostring(vol) },
    { "nr_involuntary_switches", tostring(invol) }, { "se.load.weight", "1048576" },
    { "se.avg.load_sum", "0" }, { "se.avg.runnable_sum", "0" }, { "se.avg.util_sum", "0" },
    { "se.avg.load_avg", "0" }, { "se.avg.runnable_avg", "0" }, { "se.avg.util_avg", "0" },
    { "se.avg.last_update_time", "0" }, { "se.avg.util_est", "0" },
    { "policy", "0" }, { "prio", "120" }, { "clock-delta", "0" },
  }
  local out = { head, "\n", ("-"):rep(67), "\n" }
  for _, l in ipairs(lines) do out[#out + 1] = ("%-45s:%21s\n"):format(l[1], l[2]) end
  return table.concat(out)
end

TestWorldDefaults = {}

-- A task that declares none of these facts shows what an exec'd process
-- of a kernel without a security module and without a login shows.
function TestWorldDefaults.test_a_task_that_declares_nothing()
  local w = p.world { tasks = {
    { pid = 1, argv = { "/sbin/init" }, utime = 5, stime = 3, nvcsw = 10, nivcsw = 2 },
  } }
  lu.assertEquals(fmt(w, "loginuid", 1), "4294967295")
  lu.assertEquals(fmt(w, "sessionid", 1), "4294967295")
  lu.assertEquals(fmt(w, "personality", 1), "00000000\n")
  lu.assertEquals(fmt(w, "oom_adj", 1), "0\n")
  lu.assertEquals(fmt(w, "timerslack_ns", 1), "50000\n")
  -- 8 ticks of 10 ms; a run for each of the 12 switches
  lu.assertEquals(fmt(w, "schedstat", 1), "80000000 0 12\n")
  lu.assertEquals(fmt(w, "autogroup", 1), "")
  lu.assertEquals(fmt(w, "cpuset", 1), "/\n")
  for _, f in ipairs { "current", "prev", "exec", "fscreate", "keycreate", "sockcreate" } do
    lu.assertEquals(fmt(w, "attr_" .. f, 1), EINVAL, f)
  end
  lu.assertEquals(fmt(w, "stack", 1), "")
  lu.assertEquals(fmt(w, "syscall", 1), "-1 0x0 0x0\n")
  lu.assertEquals(fmt(w, "sched", 1), derived_sched("init (1, #threads: 1)", "80.000000", 10, 2))
end

function TestWorldDefaults.test_what_follows_from_other_facts()
  local w = p.world { tasks = {
    { pid = 1, argv = { "init" }, state = "R" },
    { pid = 2, argv = { "rt" }, policy = 1, rt_priority = 50 },
    { pid = 3, argv = { "kthreadd" }, kthread = 1, flags = 0x208040 },
    { pid = 4, argv = { "gone" }, zombie = true, syscall = "7 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8\n",
      stack = "[<0>] do_exit+0x1/0x2\n" },
    { pid = 5, argv = { "srv" }, threads = { { tid = 6, state = "R" }, { tid = 7 } } },
  } }
  lu.assertEquals(fmt(w, "syscall", 1), "running\n")
  lu.assertEquals(fmt(w, "timerslack_ns", 2), "0\n") -- realtime: no slack (6.x)
  lu.assertEquals(fmt(w, "syscall", 3), "0 0x0 0x0 0x0 0x0 0x0 0x0 0x0 0x0\n")
  -- a zombie's kernel stack is freed: no call, no frames
  lu.assertEquals(fmt(w, "syscall", 4), "-1 0x0 0x0\n")
  lu.assertEquals(fmt(w, "stack", 4), "")
  lu.assertEquals(fmt(w, "syscall", 5, 6), "running\n")
  lu.assertEquals(fmt(w, "syscall", 5, 7), "-1 0x0 0x0\n")
  lu.assertEquals(fmt(w, "sched", 5), derived_sched("srv (5, #threads: 3)", "0.000000", 0, 0))
  lu.assertEquals(fmt(w, "sched", 5, 7), derived_sched("srv (7, #threads: 3)", "0.000000", 0, 0))
end

-- oom_adj is oom_score_adj on the legacy scale: 15 for the maximum, else
-- the value times 17 over 1000 truncated (-17 for -1000), at most 15.
function TestWorldDefaults.test_oom_adj_is_the_legacy_scale()
  local cases = { [1000] = "15", [999] = "15", [941] = "15", [882] = "14", [59] = "1",
    [58] = "0", [0] = "0", [-58] = "0", [-59] = "-1", [-500] = "-8", [-941] = "-15",
    [-942] = "-16", [-1000] = "-17" }
  local tasks, pids = {}, {}
  for adj, want in pairs(cases) do
    local pid = #tasks + 1
    tasks[pid] = { pid = pid, argv = { "t" }, oom_score_adj = adj }
    pids[pid] = want
  end
  local w = p.world { tasks = tasks }
  for pid, want in ipairs(pids) do
    lu.assertEquals(fmt(w, "oom_adj", pid), want .. "\n", "oom_score_adj " .. tasks[pid].oom_score_adj)
  end
end

TestWorldDeclared = {}

local declared = {
  pid = 7, argv = { "/bin/app" }, loginuid = 1000, sessionid = 3, personality = 0x400000,
  timerslack_ns = 1, sum_exec_runtime = 123456789, run_delay = 42, pcount = 9,
  autogroup_id = 12, autogroup_nice = -5, cpuset = "/batch",
  attr = { current = "unconfined\n", prev = false, exec = 13, fscreate = "u:r:t:s0\0" },
  stack = "[<0>] hrtimer_nanosleep+0xb5/0x130\n[<0>] do_syscall_64+0x82/0x190\n",
  syscall = "230 0x0 0x0 0x7ffc5b34c8c0 0x7ffc5b34c900 0x0 0x0 0x7ffc5b34c8a8 0x7f559636e503\n",
  sched = "app (99, #threads: 1)\n" .. ("-"):rep(67) .. "\n"
    .. ("%-45s:%21s\n"):format("se.exec_start", "19084351.089200")
    .. ("%-45s:%21s\n"):format("nr_switches", "99")
    .. ("%-45s:%21s\n"):format("mm->numa_scan_seq", "0")
    .. "current_node=0, numa_group_id=0\n"
    .. "numa_faults node=0 task_private=0 task_shared=0 group_private=0 group_shared=0\n",
}

function TestWorldDeclared.test_each_file_shows_what_the_world_says()
  local w = p.world { tasks = { declared } }
  lu.assertEquals(fmt(w, "loginuid", 7), "1000")
  lu.assertEquals(fmt(w, "sessionid", 7), "3")
  lu.assertEquals(fmt(w, "personality", 7), "00400000\n")
  lu.assertEquals(fmt(w, "timerslack_ns", 7), "1\n")
  lu.assertEquals(fmt(w, "schedstat", 7), "123456789 42 9\n")
  lu.assertEquals(fmt(w, "autogroup", 7), "/autogroup-12 nice -5\n")
  lu.assertEquals(fmt(w, "cpuset", 7), "/batch\n")
  lu.assertEquals(fmt(w, "attr_current", 7), "unconfined\n")
  lu.assertEquals(fmt(w, "attr_prev", 7), EINVAL)
  lu.assertEquals(fmt(w, "attr_exec", 7), "<Permission denied 13>")
  lu.assertEquals(fmt(w, "attr_fscreate", 7), "u:r:t:s0\0")
  lu.assertEquals(fmt(w, "attr_keycreate", 7), EINVAL)
  lu.assertEquals(fmt(w, "stack", 7), declared.stack)
  lu.assertEquals(fmt(w, "syscall", 7), declared.syscall)
  -- the header names the task as it is numbered, whatever the text said
  lu.assertEquals(fmt(w, "sched", 7), (declared.sched:gsub("%(99,", "(7,")))
end

-- A task object reads each fact under the name a world declares it by.
function TestWorldDeclared.test_the_facts_read_back()
  local dir = fsx.mktemp_dir("proclua-taskfacts")
  suite.defer("remove " .. dir, function() fsx.remove_tree(dir) end)
  local layout, world = dir .. "/layout.lua", dir .. "/world.lua"
  fsx.write(layout, [[
local p = require "proclua"
return p.layout { root = {}, task = {
  p.file("facts", "0444", function(t)
    return ("%d %d %d %d %d %d %d %d %d %s %s %s|%s|%s"):format(t.loginuid, t.sessionid,
      t.personality, t.timerslack_ns, t.sum_exec_runtime, t.run_delay, t.pcount,
      t.autogroup_id, t.autogroup_nice, t.cpuset, t.attr.current, tostring(t.attr.prev),
      t.syscall, t.stack)
  end),
} }
]])
  fsx.write(world, [[
local p = require "proclua"
return p.world { tasks = { { pid = 7, loginuid = 1000, sessionid = 3, personality = 0x400000,
  timerslack_ns = 1, sum_exec_runtime = 123456789, run_delay = 42, pcount = 9,
  autogroup_id = 12, autogroup_nice = -5, cpuset = "/batch", attr = { current = "unconfined" },
  stack = "[<0>] f+0x1/0x2\n", syscall = "running\n" } } }
]])
  local m = mnt.start { layout = layout, args = { "--world", world } }
  suite.defer("unmount the facts world", function() return m:stop() end)
  lu.assertEquals(fsx.read(m:path("7/facts")),
    "1000 3 4194304 1 123456789 42 9 12 -5 /batch unconfined nil|running\n|[<0>] f+0x1/0x2\n")
end

function TestWorldDeclared.test_what_the_kernel_would_not_print_is_refused()
  local bad = {
    { syscall = "running" }, { syscall = "7 0x1\n" }, { syscall = "-1 0x0 0x0 0x0\n" },
    { attr = { current2 = "x" } }, { attr = { current = true } }, { stack = "no newline" },
    { personality = "x" }, { sched = "app (7, #threads: 1)\nno dashes\n" },
  }
  for _, b in ipairs(bad) do
    local t = { pid = 1, argv = { "t" } }
    for k, v in pairs(b) do t[k] = v end
    local ok, err = pcall(p.world, { tasks = { t } })
    lu.assertFalse(ok, next(b))
    lu.assertStrContains(tostring(err), "world task 1")
  end
end

------------------------------------------------------------------------------
-- Mounted: the world's directories, their order, and the checks.

local W = suite.once(function()
  local m = mnt.start { world = ([[
local p = require "proclua"
return p.world { tasks = {
  { pid = 1, argv = { "/sbin/init" } },
  { pid = 20, ppid = 1, argv = { "/bin/mine" }, uid = %d, gid = %d,
    threads = { { tid = 21 } } },
  { pid = 30, ppid = 1, argv = { "/bin/roots" }, loginuid = 0, sessionid = 1 },
} }
]]):format(NOBODY, NOBODY), options = "allow_other" }
  suite.defer("unmount the world", function() return m:stop() end)
  return m
end)

TestMounted = {}

-- Linux's order (tgid_base_stuff, tid_base_stuff) for what the stock
-- layout serves.
local TGID = [[task fd map_files fdinfo ns net environ auxv status personality limits sched autogroup
  timens_offsets comm
  syscall cmdline stat statm maps mem cwd root exe mounts mountinfo mountstats smaps smaps_rollup
  attr wchan stack schedstat cpuset cgroup oom_score oom_adj oom_score_adj loginuid sessionid
  coredump_filter io uid_map gid_map setgroups timers timerslack_ns arch_status ksm_merging_pages
  ksm_stat]]
local TID = [[fd fdinfo ns net environ auxv status personality limits sched comm syscall cmdline
  stat statm maps children mem cwd root exe mounts mountinfo smaps smaps_rollup attr wchan stack
  schedstat cpuset cgroup oom_score oom_adj oom_score_adj loginuid sessionid io uid_map gid_map
  setgroups arch_status ksm_merging_pages ksm_stat]]

local function words(s)
  local out = {}
  for w in s:gmatch("%S+") do out[#out + 1] = w end
  return out
end

function TestMounted.test_directories_in_linux_order()
  local m = W()
  lu.assertEquals(probe.names(m:path("20")), words(TGID))
  lu.assertEquals(probe.names(m:path("20/task/21")), words(TID))
  lu.assertEquals(probe.names(m:path("20/attr")),
    { "current", "prev", "exec", "fscreate", "keycreate", "sockcreate" })
  -- modes as Linux's, owners as task_dump_owner's
  local r = probe.lstat { m:path("20/attr"), m:path("20/attr/current"), m:path("20/attr/prev"),
    m:path("20/personality"), m:path("20/stack"), m:path("20/syscall"), m:path("20/loginuid"),
    m:path("20/sessionid"), m:path("20/oom_adj"), m:path("20/timerslack_ns"),
    m:path("20/schedstat"), m:path("20/autogroup"), m:path("20/cpuset"), m:path("20/sched") }
  local want = { "d 555", "- 666", "- 444", "- 400", "- 400", "- 400", "- 644", "- 444", "- 644",
    "- 666", "- 444", "- 644", "- 444", "- 644" }
  for i, w in ipairs(want) do
    lu.assertEquals(r[i], "OK " .. w .. " " .. NOBODY .. " " .. NOBODY, i)
  end
end

-- What each reader gets, as "OK <len> <hash>" or the stage and errno.
local function outcome(m, rel, uid)
  return probe.read({ m:path(rel) }, uid and { uid = uid } or nil)[1]
end

local function ok(s) return s:match("^OK ") ~= nil end

function TestMounted.test_what_root_reads()
  local m = W()
  for _, f in ipairs { "loginuid", "sessionid", "personality", "oom_adj", "timerslack_ns",
                       "schedstat", "autogroup", "cpuset", "stack", "syscall", "sched" } do
    lu.assertTrue(ok(outcome(m, "20/" .. f)), f)
  end
  lu.assertEquals(fsx.read(m:path("30/loginuid")), "0")
  lu.assertEquals(fsx.read(m:path("30/sessionid")), "1")
  for _, f in ipairs { "current", "prev", "exec", "fscreate", "keycreate", "sockcreate" } do
    lu.assertEquals(outcome(m, "20/attr/" .. f), "read:EINVAL", f)
  end
  lu.assertEquals(outcome(m, "20/task/21/timerslack_ns"), "open:ENOENT")
  lu.assertEquals(outcome(m, "20/task/21/autogroup"), "open:ENOENT")
end

-- uid 65534 on its own task and on root's: the mode bits first (0400 files
-- of another's task: open EACCES), then lock_trace's ATTACH check (EPERM,
-- at read), stack's CAP_SYS_ADMIN (EACCES, at read), timerslack_ns's
-- CAP_SYS_NICE for a task not the reader (EPERM, at read).
function TestMounted.test_what_uid_65534_reads()
  local m = W()
  lu.assertTrue(ok(outcome(m, "20/personality", NOBODY)))
  lu.assertTrue(ok(outcome(m, "20/syscall", NOBODY)))
  lu.assertTrue(ok(outcome(m, "20/task/21/personality", NOBODY)))
  lu.assertEquals(outcome(m, "20/stack", NOBODY), "read:EACCES")
  lu.assertEquals(outcome(m, "20/timerslack_ns", NOBODY), "read:EPERM")
  lu.assertEquals(outcome(m, "30/personality", NOBODY), "open:EACCES")
  lu.assertEquals(outcome(m, "30/stack", NOBODY), "open:EACCES")
  lu.assertEquals(outcome(m, "30/timerslack_ns", NOBODY), "read:EPERM")
  for _, f in ipairs { "loginuid", "sessionid", "oom_adj", "schedstat", "autogroup", "cpuset", "sched" } do
    lu.assertTrue(ok(outcome(m, "30/" .. f, NOBODY)), f)
  end
  lu.assertEquals(outcome(m, "30/attr/current", NOBODY), "read:EINVAL")
end

------------------------------------------------------------------------------
-- Writes to a world's task, by the kernel's rules: the count or errno, and
-- what the files then show.

local WW = suite.once(function()
  -- pid 1 is the world's self: a host process writing is that task
  local m = mnt.start { world = ([[
local p = require "proclua"
return p.world { tasks = {
  { pid = 1, argv = { "/sbin/init" }, uid = %d, gid = %d, loginuid = 5, sessionid = 2 },
  { pid = 20, argv = { "/bin/mine" }, uid = %d, gid = %d, autogroup_id = 6 },
  { pid = 40, argv = { "/bin/a" }, autogroup_id = 5, sessionid = 7 },
  { pid = 41, argv = { "/bin/b" }, autogroup_id = 5, threads = { { tid = 42 } } },
  { pid = 50, argv = { "/bin/rt" }, policy = 1 },
  { pid = 60, argv = { "/bin/solo" } },
} }
]]):format(NOBODY, NOBODY, NOBODY, NOBODY), options = "allow_other" }
  suite.defer("unmount the written world", function() return m:stop() end)
  return m
end)

local function write(m, rel, data, uid)
  return probe.write(m:path(rel), data, uid and { uid = uid } or nil)
end

TestWorldWrites = {}

-- oom_adj: the legacy scale into oom_score_adj (15 is 1000, else times
-- 1000 over 17), which then reads back truncated: 5 is 294, shown as 4.
function TestWorldWrites.test_oom_adj()
  local m = WW()
  lu.assertEquals(write(m, "40/oom_adj", "5"), "OK 1")
  lu.assertEquals(fsx.read(m:path("40/oom_score_adj")), "294\n")
  lu.assertEquals(fsx.read(m:path("40/oom_adj")), "4\n")
  lu.assertEquals(fsx.read(m:path("41/oom_adj")), "0\n") -- another group
  lu.assertEquals(write(m, "40/oom_adj", "16"), "write:EINVAL")
  lu.assertEquals(write(m, "40/oom_adj", "x"), "write:EINVAL")
  -- below the current value needs CAP_SYS_RESOURCE; uid 65534 on its own
  lu.assertEquals(write(m, "20/oom_adj", "15", NOBODY), "OK 2")
  lu.assertEquals(fsx.read(m:path("20/oom_score_adj")), "1000\n")
  lu.assertEquals(write(m, "20/oom_adj", "3", NOBODY), "write:EACCES")
  lu.assertEquals(write(m, "20/oom_adj", "-17", NOBODY), "write:EACCES")
  lu.assertEquals(fsx.read(m:path("20/oom_adj")), "15\n")
  lu.assertEquals(write(m, "40/oom_adj", "1", NOBODY), "open:EACCES")
end

-- loginuid: only the task itself (here the world's self, as every host
-- process is to a world); once set only with CAP_AUDIT_CONTROL; setting it
-- starts a session: the next id past every one the world's tasks hold.
function TestWorldWrites.test_loginuid()
  local m = WW()
  lu.assertEquals(write(m, "40/loginuid", "1000"), "write:EPERM")
  lu.assertEquals(write(m, "1/loginuid", "abc"), "write:EINVAL")
  lu.assertEquals(write(m, "1/loginuid", "6", NOBODY), "write:EPERM") -- set: needs the capability
  lu.assertEquals(fsx.read(m:path("1/loginuid")), "5")
  lu.assertEquals(write(m, "1/loginuid", "1000"), "OK 4") -- root holds it
  lu.assertEquals(fsx.read(m:path("1/loginuid")), "1000")
  lu.assertEquals(fsx.read(m:path("1/sessionid")), "8")
  lu.assertEquals(write(m, "1/loginuid", "4294967295"), "OK 10")
  lu.assertEquals(fsx.read(m:path("1/loginuid")), "4294967295")
  lu.assertEquals(fsx.read(m:path("1/sessionid")), "4294967295")
  lu.assertEquals(fsx.read(m:path("40/loginuid")), "4294967295")
end

-- timerslack_ns: the task itself, or CAP_SYS_NICE over it; 0 restores the
-- default; a realtime task keeps none.
function TestWorldWrites.test_timerslack_ns()
  local m = WW()
  lu.assertEquals(write(m, "40/timerslack_ns", "7"), "OK 1")
  lu.assertEquals(fsx.read(m:path("40/timerslack_ns")), "7\n")
  lu.assertEquals(write(m, "40/timerslack_ns", "0"), "OK 1")
  lu.assertEquals(fsx.read(m:path("40/timerslack_ns")), "50000\n")
  lu.assertEquals(write(m, "50/timerslack_ns", "7"), "OK 1")
  lu.assertEquals(fsx.read(m:path("50/timerslack_ns")), "0\n")
  lu.assertEquals(write(m, "40/timerslack_ns", "-1"), "write:EINVAL")
  lu.assertEquals(write(m, "20/timerslack_ns", "9", NOBODY), "write:EPERM")
  lu.assertEquals(write(m, "1/timerslack_ns", "9", NOBODY), "OK 1") -- itself
  lu.assertEquals(fsx.read(m:path("1/timerslack_ns")), "9\n")
end

-- autogroup: the group's nice, shown by every task of the group; below 0
-- only with CAP_SYS_NICE; a task of the root group takes none; without
-- CAP_SYS_ADMIN, one change per 100 ms.
function TestWorldWrites.test_autogroup()
  local m = WW()
  lu.assertEquals(write(m, "40/autogroup", "-3"), "OK 2")
  lu.assertEquals(fsx.read(m:path("40/autogroup")), "/autogroup-5 nice -3\n")
  lu.assertEquals(fsx.read(m:path("41/autogroup")), "/autogroup-5 nice -3\n")
  lu.assertEquals(fsx.read(m:path("20/autogroup")), "/autogroup-6 nice 0\n")
  lu.assertEquals(write(m, "40/autogroup", "20"), "write:EINVAL")
  lu.assertEquals(write(m, "60/autogroup", "1"), "write:EINVAL")
  lu.assertEquals(write(m, "20/autogroup", "-1", NOBODY), "write:EPERM")
  sh.sleep(0.2)
  -- two writes by one process, microseconds apart
  local path = m:path("20/autogroup")
  lu.assertEquals(probe.run({ "write", path, "2", path, "3" }, { uid = NOBODY }),
    { "OK 1", "write:EAGAIN" })
  lu.assertEquals(fsx.read(m:path("20/autogroup")), "/autogroup-6 nice 2\n")
end

-- sched takes any write; attr/ only the task's own, which no module takes.
function TestWorldWrites.test_sched_and_attr()
  local m = WW()
  lu.assertEquals(write(m, "40/sched", "0"), "OK 1")
  lu.assertEquals(write(m, "40/attr/current", "x"), "write:EPERM")
  lu.assertEquals(write(m, "1/attr/current", "x"), "write:EINVAL")
  lu.assertEquals(write(m, "1/attr/prev", "x"), "write:EINVAL") -- 0444: root's DAC override
  lu.assertEquals(write(m, "20/attr/prev", "x", NOBODY), "open:EACCES")
end

------------------------------------------------------------------------------
-- A task reading its own state.

-- Each line of selfstate (spec/helpers/selfstate.c) under PROC.
local function selfstate(proc)
  local r = sh.run { testenv.helper("selfstate"), proc }
  lu.assertEquals(r.code, 0, r.err)
  return r.out
end

TestSelf = {}

-- The kernel shows a task that reads its own stat, status and wchan as
-- running; the group's file shows its leader, here asleep waiting for the
-- reading thread.  Through the mount the reader is asleep in the mount's
-- request, where the host's /proc sees it: proclua shows it as the kernel
-- shows it to itself.
function TestSelf.test_a_task_reads_itself_running()
  local m = mnt.start {}
  suite.defer("unmount " .. m.dir, function() return m:stop() end)
  local want = "self S\nthread-self R\nstatus R (running)\nwchan 0\n"
  lu.assertEquals(selfstate("/proc"), want)
  lu.assertEquals(selfstate(m:path()), want)
end

-- A world's tasks are never the reader: its self task shows its own state.
function TestSelf.test_a_worlds_self_is_not_the_reader()
  local m = W()
  lu.assertEquals(selfstate(m:path()), "self S\nthread-self S\nstatus S (sleeping)\nwchan 0\n")
end

suite.run()
