-- Places where real tools once showed proclua wrong, kept as regressions:
-- each test runs a tool (through proclua-run, or bwrap) and expects what it
-- would print on a Linux whose /proc had the same facts.
--
--   TestWorldDefaults   a world that leaves a fact out must get a default
--                       consistent with the facts it did give (priority from
--                       nice, the stack where maps says, smaps of a maps-only
--                       task, no exe for a kernel thread)
--   TestPidNamespace    a caller in a pid namespace of its own finds itself
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local prun = require "prun"
local sh = require "sh"
local suite = require "suite"
local toolworld = require "toolworld"

local assert_text = prun.assert_text

local F = suite.once(function()
  local work = fsx.mktemp_dir("proclua-gaps")
  suite.defer("remove " .. work, function() assert(fsx.remove_tree(work)) end)
  assert(sh.ok("chmod 755 " .. sh.quote(work)))
  local decl = toolworld.decl()
  local world = work .. "/world.lua"
  fsx.write(world, table.concat({
    'local p = require "proclua"',
    "return p.world { tasks = {",
    '  { pid = 1, argv = { "/sbin/init" } },',
    "  -- a kernel thread: no mm, no argv (pid 3: no task here is pid 2, the",
    "  -- pid ps has in bwrap's pid namespace)",
    '  { pid = 3, ppid = 0, pgrp = 0, session = 0, comm = "kthreadd", kthread = 1, has_mm = 0 },',
    "  -- nice 10, priority left out",
    '  { pid = 10, ppid = 1, argv = { "/usr/bin/batch-job" }, nice = 10 },',
    "  -- a maps text (no smaps), start_stack left out",
    '  { pid = 20, ppid = 1, argv = { "cat" }, exe = "/usr/bin/cat",',
    ("    maps = %q },"):format(decl.maps(decl.regions.cat)),
    "} }",
    "",
  }, "\n"))
  return { work = work, world = world, rundir = prun.rundir() }
end)

local function in_world(argv)
  local r = prun.tool(F().rundir, { "--world", F().world }, argv)
  return r.out, r.err, r.code
end

TestWorldDefaults = {}

-- Linux's stat field 18 is the priority: 20 + nice for a normal task
-- (task_prio: p->prio - MAX_RT_PRIO).  top prints it as PR, ps as PRI.
-- proclua keeps 20 whatever the nice.
function TestWorldDefaults.test_priority_follows_nice()
  local out, err = in_world { "ps", "-o", "pid=,ni=,priority=", "-p", "10" }
  assert_text(out, "     10  10  30\n", "ps -o pid,ni,priority of a task declared with nice = 10: " .. err)
end

-- execve leaves argv and the stack pointer at the top of the [stack] that
-- maps shows; pmap names the region holding stat's start_stack
-- "[ stack ]".  proclua places argv, env and start_stack at its own stack
-- top (0x7ffffffff000) whatever [stack] the declared maps has, so stat's
-- start_stack points outside every mapping and pmap says "[ anon ]".
function TestWorldDefaults.test_pmap_finds_the_declared_stack()
  local out = in_world { "pmap", "20" }
  lu.assertStrContains(out, "00007ffd1a2b0000    132K rw---   [ stack ]\n")
end

-- smaps of a region known only from a maps text: Linux always prints Size
-- (the range), KernelPageSize and MMUPageSize (4 kB), and VmFlags from the
-- permissions (rd wr ex sh, mr mw me, ...).  proclua prints Size 0 kB, page
-- sizes 0 kB and an empty "VmFlags: ", which pmap -X refuses: "pmap:
-- Unknown format in smaps file!", exit 1.
function TestWorldDefaults.test_pmap_X_over_a_maps_only_task()
  local out, err, code = in_world { "pmap", "-X", "20" }
  lu.assertEquals(err, "")
  lu.assertEquals(code, 0)
  local header, first = fsx.lines(out)[2] or "", fsx.lines(out)[3] or ""
  local at, i = {}, 0
  for w in header:gmatch("%S+") do i = i + 1; at[w] = i end
  local w, n = {}, 0
  for x in first:gmatch("%S+") do n = n + 1; w[n] = x end
  lu.assertEquals(w[at.Size or 0], "8", "the first region's Size:\n" .. out)
end

-- Linux's exe link of a kernel thread (of any task without an mm) fails
-- with ENOENT: get_task_exe_file finds no mm.  proclua gives it the
-- world's default exe, /usr/bin/task (read by pidof, psutil's exe(), ls -l).
function TestWorldDefaults.test_kernel_thread_has_no_exe()
  local out = in_world { "sh", "-c", "readlink /proc/3/exe; echo $?" }
  assert_text(out, "1\n", "readlink /proc/3/exe of a kernel thread (kthread = 1, has_mm = 0)")
end

------------------------------------------------------------------------------

local world_mount = suite.once(function()
  local m = mnt.start { args = { "--world", F().world } }
  suite.defer("unmount the world", function() return m:stop() end)
  return m
end)

TestPidNamespace = {}

-- In a pid namespace of its own (bwrap --unshare-pid, unshare -p), a
-- process's own pid is its pid there: procps' ps (pid 2 in bwrap's
-- namespace) looks up /proc/2 as itself.  proclua knows a caller by the pid
-- the kernel reports to the daemon (the pid in the daemon's namespace), so
-- /proc/<own pid> is some other task or, here, missing, and ps stops with
-- "fatal library error, lookup self", exit 1.
function TestPidNamespace.test_ps_in_bwrap_with_its_own_pid_namespace()
  local r = sh.run({ "bwrap", "--bind", "/", "/", "--bind", world_mount():path(), "/proc",
                     "--unshare-pid", "--die-with-parent", "--",
                     "env", "-i", "PATH=/usr/bin:/bin", "LC_ALL=C", "ps", "-eo", "pid,comm" })
  lu.assertEquals(r.err, "")
  lu.assertEquals(r.code, 0)
  assert_text(r.out, "    PID COMMAND\n      1 init\n      3 kthreadd\n     10 batch-job\n     20 cat\n",
              "ps -eo pid,comm under bwrap --unshare-pid")
end

suite.run()
