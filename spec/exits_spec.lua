-- Host task names cached until the task exits (core/source/exitwatch.c,
-- bindings/fuse/exits.c).
--
-- A daemon that the kernel's proc connector reports exits to lets the
-- kernel keep /proc/<pid> and /proc/<pid>/task/<tid> and drops them when
-- the task exits.  The drop is made by the daemon's watch thread when the
-- exit is reported, which is before the parent is woken to reap, but races
-- with it; a request that walked a kept name past the reap is answered
-- ENOENT, as Linux's walk fails at the pid's name.  Checked against the
-- kernel's /proc:
--
--   * the watch is on (the daemon holds a NETLINK_CONNECTOR socket in the
--     proc connector's group);
--   * a child walked while alive (so its names are kept), let exit and
--     reaped: stat of <pid>, <pid>/stat, <pid>/task/<pid>, open, opendir
--     fd/, readlink exe, access, chdir all answer ENOENT right after the
--     reap, every time over many iterations, as the kernel's /proc does
--     (spec/helpers/reapwalk.c);
--   * an O_PATH open sends the daemon nothing: it finds a kept name until
--     the drop reaches the kernel, so it may succeed right after the reap.
--     Checked: ENOENT in all but a small share (the drops are made), and
--     always with PROCLUA_EXITWATCH=0, where nothing is kept;
--   * a pid reused by a new process after its names were kept shows the
--     new process (its start time in stat is the kernel's).
-- (A directory held open from before the reap answers ESRCH as Linux's
-- does: host_diff_spec's test_after_the_process_is_killed_and_reaped.)
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local ITER = 1500
local NETLINK_CONNECTOR = 11

local F = suite.once(function()
  local m = mnt.start({})
  suite.defer("stop the mount", function() return m:stop() end)
  return { m = m }
end)

local function reapwalk(root, n)
  local r = sh.run({ testenv.helper("reapwalk"), root, tostring(n) }, { timeout = 600 })
  lu.assertEquals(r.code, 0, "reapwalk: " .. r.err)
  local counts = {}
  for what, name, count in r.out:gmatch("(%S+) (%S+) (%d+)\n") do
    counts[what] = counts[what] or {}
    counts[what][name] = tonumber(count)
  end
  local alive = tonumber(r.out:match("alive%-ok (%d+)"))
  return counts, alive, r.out
end

local ASKED = { "stat-dir", "stat-file", "stat-task", "open", "opendir-fd", "readlink-exe", "access", "chdir" }

-- Every kind but O_PATH: ENOENT n times out of n.
local function assert_exact(counts, n, out)
  for _, what in ipairs(ASKED) do
    lu.assertEquals(counts[what], { ENOENT = n }, what .. " right after the reap:\n" .. out)
  end
end

TestExits = {}

function TestExits.test_the_kernel_answers_enoent()
  -- what the specs below hold proclua to
  local counts, alive, out = reapwalk("/proc", 200)
  lu.assertEquals(alive, 200)
  assert_exact(counts, 200, out)
  lu.assertEquals(counts["open-opath"], { ENOENT = 200 }, out)
end

function TestExits.test_the_watch_is_on()
  local m = F().m
  local found = false
  for line in (fsx.read("/proc/net/netlink") or ""):gmatch("[^\n]+") do
    local _, eth, pid, groups = line:match("^(%x+)%s+(%d+)%s+(%d+)%s+(%x+)")
    if tonumber(eth) == NETLINK_CONNECTOR and tonumber(pid) == m.proc.pid and tonumber(groups, 16) & 1 == 1 then
      found = true
    end
  end
  lu.assertTrue(found, "the daemon (pid " .. m.proc.pid .. ") listens to the proc connector")
end

function TestExits.test_reaped_names_answer_enoent()
  local m = F().m
  local counts, alive, out = reapwalk(m.dir, ITER)
  m:check()
  lu.assertEquals(alive, ITER, "walks while the child lived:\n" .. out)
  assert_exact(counts, ITER, out)
  -- the drops are made: a name kept with none would be found every time
  local opath = counts["open-opath"]
  local late = opath.OK or 0
  lu.assertEquals((opath.ENOENT or 0) + late, ITER, out)
  lu.assertTrue(late <= ITER // 20, "O_PATH opens that found a reaped name: " .. late .. " of " .. ITER)
end

function TestExits.test_nothing_is_cached_without_the_watch()
  local m = mnt.start({ command = { "env", "PROCLUA_EXITWATCH=0", testenv.bin(), "-f" } })
  local ok, err = pcall(function()
    local counts, alive, out = reapwalk(m.dir, 300)
    m:check()
    lu.assertEquals(alive, 300)
    assert_exact(counts, 300, out)
    lu.assertEquals(counts["open-opath"], { ENOENT = 300 }, out)
  end)
  local problems = m:stop()
  if not ok then error(err, 0) end
  lu.assertEquals(problems, {})
end

function TestExits.test_a_reused_pid_is_the_new_process()
  local m = F().m
  local old = procs.spawn({ "sleep", "600" }, { name = "first" })
  local pid = old.pid
  lu.assertNotNil(fsx.read(m:path(pid .. "/stat")), "the first process through the mount")
  lu.assertNotNil(fsx.read(m:path(pid .. "/task/" .. pid .. "/stat")))
  old:reap()
  local new = procs.spawn_as_pid(pid, { "sleep", "600" }, { name = "second" })
  if not new then
    print("pid " .. pid .. " could not be had again: the reuse case is not checked")
    return
  end
  local ok, err = pcall(function()
    local native = procs.parse_stat(assert(fsx.read("/proc/" .. pid .. "/stat")))
    local through = procs.parse_stat(assert(fsx.read(m:path(pid .. "/stat"))))
    local task = procs.parse_stat(assert(fsx.read(m:path(pid .. "/task/" .. pid .. "/stat"))))
    lu.assertEquals(through[22], native[22], "starttime through the mount: the new process's")
    lu.assertEquals(task[22], native[22], "starttime through task/: the new process's")
  end)
  new:reap()
  if not ok then error(err, 0) end
end

suite.run()
