-- Per-task files of issue 15 made from the mm, the mount namespace, the
-- fpu and the signal state: mountstats (fs/proc_namespace.c
-- show_vfsstat), ksm_stat and ksm_merging_pages (fs/proc/base.c
-- proc_pid_ksm_stat, proc_pid_ksm_merging_pages), arch_status
-- (arch/x86/kernel/fpu/xstate.c proc_pid_arch_status) and timers
-- (fs/proc/base.c show_timer).
--
-- For a world the bytes are written out by hand from Linux's formats: the
-- defaults of a task that declares nothing, a kernel thread's and a
-- zombie's (no mm: empty), declared counts (the profit reckoned as Linux
-- 6.18 does where not declared), and mountstats from the declared
-- mountinfo.  Mounted, the files are 0400, owned as task_dump_owner says,
-- and mountstats is a thread group's only.  The host's bytes are
-- host_diff_spec's (a process with KSM's merge_any set among them).
local lu = require "luaunit"
local p = require "proclua"
local fsx = require "fsx"
local mnt = require "mnt"
local probe = require "probe"
local suite = require "suite"

local NOBODY = 65534

local function fmt(w, name, pid, tid)
  local v, err, errno = w:format(name, pid, tid)
  if v then return v end
  return ("<%s %d>"):format(err, errno)
end

local function ksm_stat(rmap, zero, merging, profit, any, mergeable)
  return ("ksm_rmap_items %d\nksm_zero_pages %d\nksm_merging_pages %d\nksm_process_profit %d\n"
          .. "ksm_merge_any: %s\nksm_mergeable: %s\n"):format(rmap, zero, merging, profit,
          any and "yes" or "no", mergeable and "yes" or "no")
end

local MOUNTINFO = table.concat({
  "601 523 0:52 / / rw,relatime master:290 - overlay overlay rw,lowerdir=/l/A,upperdir=/d/diff,workdir=/d/work",
  "602 601 0:55 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw",
  [[603 601 0:56 / /mnt/with\040space rw - tmpfs my\040tmp rw,size=64k]],
  "604 601 0:57 / /run/user/1000/doc rw,nosuid,nodev,relatime - fuse.portal portal rw,user_id=1000",
  "",
}, "\n")

TestWorld = {}

function TestWorld.test_a_task_that_declares_nothing()
  local w = p.world { tasks = {
    { pid = 1, argv = { "/sbin/init" } },
    { pid = 2, ppid = 0, comm = "kthreadd", kthread = 1, has_mm = 0, flags = 0x208040 },
    { pid = 3, argv = { "gone" }, zombie = true },
  } }
  lu.assertEquals(fmt(w, "ksm_stat", 1), ksm_stat(0, 0, 0, 0, false, false))
  lu.assertEquals(fmt(w, "ksm_merging_pages", 1), "0\n")
  -- no mm: get_task_mm is NULL, nothing printed
  for _, pid in ipairs { 2, 3 } do
    lu.assertEquals(fmt(w, "ksm_stat", pid), "", pid)
    lu.assertEquals(fmt(w, "ksm_merging_pages", pid), "", pid)
  end
  -- a zombie has no mount namespace: EINVAL, as mounts
  lu.assertEquals(fmt(w, "mountstats", 3), "<Invalid argument 22>")
end

function TestWorld.test_declared_counts()
  local w = p.world { tasks = {
    { pid = 1, argv = { "a" }, ksm_rmap_items = 100, ksm_zero_pages = 3, ksm_merging_pages = 40,
      ksm_merge_any = 1, ksm_mergeable = 1, threads = { { tid = 2 } } },
    { pid = 5, argv = { "b" }, ksm_rmap_items = 1000, ksm_process_profit = -64000 },
  } }
  -- (40 + 3) pages of 4096 bytes, less 100 rmap items of 64 bytes
  local want = ksm_stat(100, 3, 40, 43 * 4096 - 100 * 64, true, true)
  lu.assertEquals(fmt(w, "ksm_stat", 1), want)
  lu.assertEquals(fmt(w, "ksm_merging_pages", 1), "40\n")
  -- the mm's: a thread shows its group's
  lu.assertEquals(fmt(w, "ksm_stat", 1, 2), want)
  lu.assertEquals(fmt(w, "ksm_stat", 5), ksm_stat(1000, 0, 0, -64000, false, false))
end

function TestWorld.test_mountstats_from_mountinfo()
  local w = p.world { tasks = { { pid = 1, argv = { "a" }, mountinfo = MOUNTINFO } } }
  -- the source, mount point and type as mounts prints them, escapes kept
  lu.assertEquals(fmt(w, "mountstats", 1), table.concat({
    "device overlay mounted on / with fstype overlay",
    "device proc mounted on /proc with fstype proc",
    [[device my\040tmp mounted on /mnt/with\040space with fstype tmpfs]],
    "device portal mounted on /run/user/1000/doc with fstype fuse.portal",
    "",
  }, "\n"))
end

-- arch_status: a line only for a task that declares its AVX-512 time (a
-- cpu with AVX512F); none for a kernel thread, whatever it declares.
function TestWorld.test_arch_status()
  local w = p.world { tasks = {
    { pid = 1, argv = { "/sbin/init" } },
    { pid = 2, argv = { "never" }, avx512_elapsed_ms = -1, threads = { { tid = 7, avx512_elapsed_ms = false } } },
    { pid = 3, argv = { "vec" }, avx512_elapsed_ms = 1500,
      threads = { { tid = 4 }, { tid = 5, avx512_elapsed_ms = 20 } } },
    { pid = 6, comm = "kworker", kthread = 1, has_mm = 0, flags = 0x208040, avx512_elapsed_ms = 3 },
  } }
  lu.assertEquals(fmt(w, "arch_status", 1), "")
  lu.assertEquals(fmt(w, "arch_status", 2), "AVX512_elapsed_ms:\t-1\n")
  lu.assertEquals(fmt(w, "arch_status", 2, 7), "")
  lu.assertEquals(fmt(w, "arch_status", 3), "AVX512_elapsed_ms:\t1500\n")
  -- each thread its own fpu: the leader's unless it says
  lu.assertEquals(fmt(w, "arch_status", 3, 4), "AVX512_elapsed_ms:\t1500\n")
  lu.assertEquals(fmt(w, "arch_status", 3, 5), "AVX512_elapsed_ms:\t20\n")
  lu.assertEquals(fmt(w, "arch_status", 6), "")
end

-- timers: newest first, as declared; the pointer-sized value in 16 hex
-- digits; pid defaults to the task's own.
function TestWorld.test_timers()
  local w = p.world { tasks = {
    { pid = 1, argv = { "/sbin/init" } },
    { pid = 7, argv = { "app" }, threads = { { tid = 8 } }, timers = {
      { id = 3, signo = 14, clock = -6 },
      { id = 2, signo = 34, notify = "tid", pid = 8, clock = 7 },
      { id = 1, signo = 10, value = 0x1234, notify = "none" },
      { id = 0, signo = 10, value = -0x777fedcba988, notify = "thread", clock = 1 },
    } },
  } }
  lu.assertEquals(fmt(w, "timers", 1), "")
  lu.assertEquals(fmt(w, "timers", 7), table.concat({
    "ID: 3", "signal: 14/0000000000000000", "notify: signal/pid.7", "ClockID: -6",
    "ID: 2", "signal: 34/0000000000000000", "notify: signal/tid.8", "ClockID: 7",
    "ID: 1", "signal: 10/0000000000001234", "notify: none/pid.7", "ClockID: 0",
    "ID: 0", "signal: 10/ffff888012345678", "notify: thread/pid.7", "ClockID: 1",
    "",
  }, "\n"))
end

function TestWorld.test_what_the_kernel_would_not_print_is_refused()
  for _, b in ipairs { { ksm_merging_pages = "x" }, { ksm_merge_any = "yes" },
                       { avx512_elapsed_ms = "soon" }, { avx512_elapsed_ms = true },
                       { timers = { { notify = "later" } } },
                       { timers = { { signo = 65 } } }, { timers = { 5 } } } do
    local t = { pid = 1, argv = { "t" } }
    for k, v in pairs(b) do t[k] = v end
    local ok, err = pcall(p.world, { tasks = { t } })
    lu.assertFalse(ok, next(b))
    lu.assertStrContains(tostring(err), "world task 1")
  end
end

------------------------------------------------------------------------------
-- Mounted: modes, owners, where each file is, who reads it.

local W = suite.once(function()
  local m = mnt.start { world = ([[
local p = require "proclua"
return p.world { tasks = {
  { pid = 1, argv = { "/sbin/init" } },
  { pid = 20, ppid = 1, argv = { "/bin/mine" }, uid = %d, gid = %d, ksm_merging_pages = 7,
    avx512_elapsed_ms = 250, timers = { { id = 0, signo = 14 } },
    mountinfo = "602 601 0:55 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n",
    threads = { { tid = 21 } } },
} }
]]):format(NOBODY, NOBODY), options = "allow_other" }
  suite.defer("unmount the world", function() return m:stop() end)
  return m
end)

local function outcome(m, rel, uid)
  return probe.read({ m:path(rel) }, uid and { uid = uid } or nil)[1]
end

TestMounted = {}

function TestMounted.test_modes_and_owners()
  local m = W()
  local r = probe.lstat { m:path("20/mountstats"), m:path("20/ksm_stat"), m:path("20/ksm_merging_pages"),
                          m:path("20/task/21/ksm_stat"), m:path("1/ksm_stat"), m:path("1/arch_status"),
                          m:path("20/task/21/arch_status"), m:path("20/timers") }
  lu.assertEquals(r, { "OK - 400 65534 65534", "OK - 400 65534 65534", "OK - 400 65534 65534",
                       "OK - 400 65534 65534", "OK - 400 0 0", "OK - 444 0 0",
                       "OK - 444 65534 65534", "OK - 444 65534 65534" })
  -- tgid_base_stuff only
  lu.assertEquals(outcome(m, "20/task/21/mountstats"), "open:ENOENT")
end

function TestMounted.test_what_each_reader_gets()
  local m = W()
  lu.assertEquals(fsx.read(m:path("20/mountstats")), "device proc mounted on /proc with fstype proc\n")
  lu.assertEquals(fsx.read(m:path("20/ksm_merging_pages")), "7\n")
  lu.assertEquals(fsx.read(m:path("20/task/21/ksm_merging_pages")), "7\n")
  -- arch_status: 0444, no check: anyone reads anyone's
  lu.assertEquals(probe.read({ m:path("20/arch_status") }, { uid = 0 })[1]:match("^OK"), "OK")
  lu.assertEquals(fsx.read(m:path("20/task/21/arch_status")), "AVX512_elapsed_ms:\t250\n")
  lu.assertEquals(outcome(m, "1/arch_status", NOBODY):match("^OK"), "OK")
  -- timers: the group's only; 0444, but an opener that may not ptrace
  -- (READ) the task is refused at open, as the 6.18 kernel refuses it
  lu.assertEquals(fsx.read(m:path("20/timers")),
                  "ID: 0\nsignal: 14/0000000000000000\nnotify: signal/pid.20\nClockID: 0\n")
  lu.assertEquals(outcome(m, "20/task/21/timers"), "open:ENOENT")
  lu.assertEquals(outcome(m, "20/timers", NOBODY):match("^OK"), "OK")
  lu.assertEquals(outcome(m, "1/timers", NOBODY), "open:EACCES")
  -- the owner reads its own; no ptrace check, only the mode
  for _, f in ipairs { "mountstats", "ksm_stat", "ksm_merging_pages" } do
    lu.assertEquals(outcome(m, "20/" .. f, NOBODY):match("^OK"), "OK", f)
    lu.assertEquals(outcome(m, "1/" .. f, NOBODY), "open:EACCES", f)
  end
end

suite.run()
