-- Capture round trip: `proclua capture` of stopped live processes, mounted
-- with --world, serves every readable per-task file with the kernel's bytes.
--
-- The kernel's files are read just before and just after the capture, and
-- the capture is retried until the two reads agree: then the capture holds
-- exactly that state, and our mount is compared with it.  Machine-wide
-- numbers move even for stopped processes: a shared library's Pss in
-- smaps when any process maps or unmaps it, SigQ in status (the pending
-- signals of the whole user), mounts when anything mounts.  On a busy
-- machine the two reads may never agree; then, after the last try, a file
-- that moved during the capture must equal one of the two kernel reads.
--
-- Excluded, by name: the proportional set sizes of smaps and
-- smaps_rollup (Pss, Pss_Dirty, Pss_Anon, Pss_File, Pss_Shmem, SwapPss):
-- a page's share is divided among all that map it, and the capture process
-- itself maps shared libraries (libc, ld.so) it has in common with the
-- captured processes, so while it runs they have one more mapper than when
-- the kernel's file is read before or after.  (Whether a page is shared
-- at all does not move: the spec's own interpreter maps those libraries
-- throughout.)
local PSS_LINES = { Pss = true, Pss_Dirty = true, Pss_Anon = true, Pss_File = true,
                    Pss_Shmem = true, SwapPss = true }
local function without_pss(text)
  return (text:gsub("([%w_]+):[^\n]*\n", function(name)
    if PSS_LINES[name] then return "" end
  end))
end
-- And the split of a region's clean and dirty pages between Shared_ and
-- Private_: a page counts as shared once any other process maps it, which
-- processes starting elsewhere on the machine (the suite's own) do while
-- the capture runs; the sums, and so Rss, still compare exactly.
local function without_sharing_split(text)
  return (text:gsub("Shared_Clean: +(%d+) kB\nShared_Dirty: +(%d+) kB\n"
                    .. "Private_Clean: +(%d+) kB\nPrivate_Dirty: +(%d+) kB\n", function(sc, sd, pc, pd)
    return ("Clean: %d kB\nDirty: %d kB\n"):format(tonumber(sc) + tonumber(pc), tonumber(sd) + tonumber(pd))
  end))
end
-- Also excluded, by name: sched's clock-delta, two reads of the cpu clock
-- in a row made afresh at each read of the file (proc_sched_show_task).
local function without_clock_delta(text)
  return (text:gsub("\nclock%-delta +: *%d+\n", "\n"))
end
local lu = require "luaunit"
local compare = require "compare"
local fsx = require "fsx"
local mnt = require "mnt"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local FILES = { "auxv", "cmdline", "environ", "comm", "uid_map", "gid_map", "setgroups", "maps",
  "smaps", "smaps_rollup", "stat", "statm", "status", "io", "limits", "cgroup", "oom_score",
  "oom_score_adj", "coredump_filter", "wchan", "mounts", "mountinfo", "loginuid", "sessionid",
  "personality", "oom_adj", "timerslack_ns", "schedstat", "autogroup", "cpuset", "stack",
  "syscall", "sched", "attr/current", "attr/prev", "attr/exec", "attr/fscreate",
  "attr/keycreate", "attr/sockcreate" }
local LINKS = { "exe", "cwd", "root", "ns/net", "ns/uts", "ns/ipc", "ns/pid",
  "ns/pid_for_children", "ns/user", "ns/mnt", "ns/cgroup", "ns/time", "ns/time_for_children" }

local function readlink(path)
  local h = assert(io.popen("readlink " .. sh.quote(path) .. " 2>/dev/null"))
  local s = h:read("a")
  h:close()
  return s
end

local function list(dir)
  local names = {}
  local h = assert(io.popen("ls " .. sh.quote(dir) .. " 2>/dev/null"))
  for l in h:lines() do names[#names + 1] = l end
  h:close()
  return names
end

-- Every file, link and fdinfo of a task directory, as outcomes.
local function snapshot(dir)
  local s = {}
  for _, f in ipairs(FILES) do s[f] = fsx.outcome(dir .. "/" .. f) end
  s.smaps = without_sharing_split(without_pss(s.smaps))
  s.smaps_rollup = without_sharing_split(without_pss(s.smaps_rollup))
  s.sched = without_clock_delta(s.sched)
  for _, l in ipairs(LINKS) do s[l] = readlink(dir .. "/" .. l) end
  for _, fd in ipairs(list(dir .. "/fd")) do
    s["fd/" .. fd] = readlink(dir .. "/fd/" .. fd)
    s["fdinfo/" .. fd] = fsx.outcome(dir .. "/fdinfo/" .. fd)
  end
  s["task/"] = table.concat(list(dir .. "/task"), " ")
  return s
end

-- The same, with each thread's own view (task/<tid>/) under "task/<tid>/".
local function snapshot_with_threads(dir)
  local s = snapshot(dir)
  for _, tid in ipairs(list(dir .. "/task")) do
    for k, v in pairs(snapshot(dir .. "/task/" .. tid)) do
      if k ~= "task/" then s["task/" .. tid .. "/" .. k] = v end
    end
  end
  return s
end

local function same(a, b)
  for k, v in pairs(a) do if b[k] ~= v then return false, k end end
  for k in pairs(b) do if a[k] == nil then return false, k end end
  return true
end

local F = suite.once(function()
  local work = fsx.mktemp_dir("proclua-capture")
  suite.defer("remove " .. work, function() fsx.remove_tree(work) end)
  assert(sh.ok("chmod 1777 " .. sh.quote(work)))
  local started = {}
  -- The test processes run as a user of their own: SigQ in status counts
  -- the pending signals of the task's whole user, which for root moves
  -- with everything else on the machine.
  local function start(argv)
    local as_user = { "setpriv", "--reuid=40123", "--regid=40123", "--clear-groups" }
    for _, w in ipairs(argv) do as_user[#as_user + 1] = w end
    local p = procs.spawn(as_user, { stdout = work .. "/" .. #started .. ".out" })
    started[#started + 1] = p
    suite.defer("reap " .. p.pid, function() p:reap() end)
    return p
  end
  local plain = start { "perl", "-e", "sleep 1000", "--", string.rep("arg ", 50), "x" }
  local title_env = start { testenv.helper("spt"), "1" }
  local title_page = start { testenv.helper("spt"), "2" }
  local threads = start { testenv.helper("threads"), work }
  local perl0 = start { "perl", "-e", '$0 = "renamed by perl"; sleep 1000' }
  local parent = start { "sh", "-c", "sleep 0 & exec sleep 1000" }
  title_env:wait_output("^ready")
  title_page:wait_output("^ready")
  threads:wait_output("^ready")
  local zombie = procs.wait_for(function()
    local c = procs.children(parent.pid, parent.pid)
    return c[1] and procs.state(c[1]) == "Z" and c[1]
  end, 30, "the zombie")
  local pids = { zombie }
  for _, p in ipairs { plain, title_env, title_page, threads, perl0, parent } do
    p:stop_and_wait()
    pids[#pids + 1] = p.pid
  end
  -- the kernel's view, stable across the capture
  local world = work .. "/world.lua"
  local kernel, later
  for _ = 1, 10 do
    local before = {}
    for _, pid in ipairs(pids) do before[pid] = snapshot_with_threads("/proc/" .. pid) end
    local argv = { testenv.bin(), "capture" }
    for _, pid in ipairs(pids) do argv[#argv + 1] = tostring(pid) end
    assert(sh.ok(sh.join(argv) .. " > " .. sh.quote(world)), "proclua capture failed")
    local stable, after = true, {}
    for _, pid in ipairs(pids) do
      after[pid] = snapshot_with_threads("/proc/" .. pid)
      local ok, key = same(before[pid], after[pid])
      if not ok then
        stable = false
        io.stderr:write("capture: pid ", pid, " ", key, " changed; capturing again\n")
      end
    end
    kernel, later = before, after
    if stable then break end
  end
  local m = mnt.start { args = { "--world", world } }
  suite.defer("unmount", function() return m:stop() end)
  return { pids = pids, kernel = kernel, later = later, mount = m, threads = threads.pid }
end)

TestCapture = {}

function TestCapture.test_every_file_round_trips()
  local f = F()
  local problems = {}
  for _, pid in ipairs(f.pids) do
    local ours = snapshot_with_threads(f.mount:path(tostring(pid)))
    for k, v in pairs(f.kernel[pid]) do
      if ours[k] ~= v and ours[k] ~= f.later[pid][k] then
        problems[#problems + 1] = ("pid %d %s: %s"):format(pid, k, compare.describe(v, ours[k] or "<missing>"))
      end
    end
  end
  lu.assertEquals(problems, {})
end

-- Each thread's own view (task/<tid>/), of single- and multi-threaded
-- processes alike, is in the comparison above: Linux prints the thread's
-- exit code, io, times and faults there, the group's in /proc/<pid>/.
function TestCapture.test_threads_are_compared()
  local f = F()
  for _, pid in ipairs(f.pids) do
    for _, tid in ipairs(list("/proc/" .. pid .. "/task")) do
      lu.assertNotNil(f.kernel[pid]["task/" .. tid .. "/stat"], pid .. "/task/" .. tid)
    end
  end
end

-- A saved tree (files copied out of /proc, as support tools collect them):
-- memory then comes from the saved cmdline and environ files.
function TestCapture.test_saved_tree_round_trips()
  local f = F()
  local pid = f.pids[2] -- the plain process, stopped
  local saved = f.mount.work .. "/saved"
  local dir = saved .. "/" .. pid
  assert(sh.ok("mkdir -p " .. sh.quote(dir)))
  for _, name in ipairs(FILES) do
    local text = fsx.outcome("/proc/" .. pid .. "/" .. name)
    if not text:match("^<error") then fsx.write(dir .. "/" .. name, text) end
  end
  local world = saved .. "/world.lua"
  assert(sh.ok(sh.join { testenv.bin(), "capture", "--proc", saved, tostring(pid) }
               .. " > " .. sh.quote(world)))
  local m = mnt.start { args = { "--world", world } }
  suite.defer("unmount the saved world", function() return m:stop() end)
  for _, name in ipairs(FILES) do
    local want = fsx.outcome(dir .. "/" .. name)
    if not want:match("^<error") then
      lu.assertEquals(fsx.outcome(m:path(pid .. "/" .. name)), want, name)
    end
  end
end

suite.run()
