-- psutil (Debian's python3-psutil, run by /usr/bin/python3) with
-- psutil.PROCFS_PATH set to a proclua mount: no namespace is needed, psutil
-- reads whatever directory it is told.
--
--   * Over the tool world (spec/support/toolworld.lua): pids(), and for
--     every task name, cmdline, status, ppid, memory_info, uids,
--     io_counters, create_time (btime + starttime / USER_HZ) and
--     num_threads agree with the facts the world declares.
--   * Over the host (default layout): for stopped test processes, psutil
--     through the mount says what psutil on the kernel's /proc says.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"
local toolworld = require "toolworld"

local PYTHON = "/usr/bin/python3"

-- Prints one line per fact: "PID what value"; with no pids, first "pids ..."
-- and then every pid.  A call that raises prints <ExceptionName>.
local SCRIPT = [==[
import sys
import psutil

psutil.PROCFS_PATH = sys.argv[1]
pids = [int(a) for a in sys.argv[2:]]
if not pids:
    pids = psutil.pids()
    print("pids", " ".join(str(p) for p in pids))

for pid in pids:
    def show(what, f):
        try:
            v = f()
        except Exception as e:
            v = "<%s>" % type(e).__name__
        print(pid, what, v)
    try:
        p = psutil.Process(pid)
    except Exception as e:
        print(pid, "Process", "<%s>" % type(e).__name__)
        continue
    show("name", p.name)
    show("cmdline", p.cmdline)
    show("status", p.status)
    show("ppid", p.ppid)
    show("memory_info", lambda: "rss=%d vms=%d" % (p.memory_info().rss, p.memory_info().vms))
    show("uids", lambda: "%d %d %d" % tuple(p.uids()))
    show("io_counters", lambda: "syscr=%d syscw=%d read_bytes=%d write_bytes=%d rchar=%d wchar=%d" % (
        p.io_counters().read_count, p.io_counters().write_count, p.io_counters().read_bytes,
        p.io_counters().write_bytes, p.io_counters().read_chars, p.io_counters().write_chars))
    show("create_time", lambda: "%.2f" % p.create_time())
    show("num_threads", p.num_threads)
]==]

local F = suite.once(function()
  local work = fsx.mktemp_dir("proclua-psutil")
  suite.defer("remove " .. work, function() assert(fsx.remove_tree(work)) end)
  fsx.write(work .. "/facts.py", SCRIPT)
  return { work = work, world = toolworld.write(work .. "/world.lua") }
end)

-- psutil's view of procfs at `root`: a table "PID what" -> value, plus the
-- ordered lines.
local function psutil_facts(root, pids)
  local argv = { PYTHON, F().work .. "/facts.py", root }
  for _, pid in ipairs(pids or {}) do argv[#argv + 1] = tostring(pid) end
  local r = sh.run(argv)
  lu.assertEquals(r.code, 0, "psutil failed: " .. r.err)
  local facts, lines = {}, fsx.lines(r.out)
  for _, line in ipairs(lines) do
    local pids = line:match("^pids (.*)$")
    if pids then
      facts.pids = pids
    else
      local key, value = line:match("^(%d+ %S+) (.*)$")
      facts[key or line] = value
    end
  end
  return facts, lines
end

------------------------------------------------------------------------------

local world_mount = suite.once(function()
  local m = mnt.start { args = { "--world", F().world } }
  suite.defer("unmount the world", function() return m:stop() end)
  return m
end)

-- What psutil must say of a declared task.
local function expected(t, machine)
  local e = {}
  local argv = t.argv or {}
  e.name = t.comm or (argv[1] or "task"):match("[^/]*$"):sub(1, 15)
  local words = {}
  if not t.zombie then
    for i, a in ipairs(argv) do words[i] = "'" .. a .. "'" end
  end
  e.cmdline = "[" .. table.concat(words, ", ") .. "]"
  e.status = t.zombie and "zombie" or t.state == "T" and "stopped"
    or t.state == "R" and "running" or "sleeping"
  e.ppid = tostring(t.ppid or 0)
  if t.zombie or t.has_mm == 0 then
    e.memory_info = "rss=0 vms=0"
  else
    e.memory_info = ("rss=%d vms=%d"):format(
      ((t.rss_anon or 0) + (t.rss_file or 0) + (t.rss_shmem or 0)) * 4096, t.total_vm * 4096)
  end
  local uid = t.uid or 0
  e.uids = ("%d %d %d"):format(uid, uid, uid)
  e.io_counters = ("syscr=%d syscw=%d read_bytes=%d write_bytes=%d rchar=%d wchar=%d"):format(
    t.syscr or 0, t.syscw or 0, t.read_bytes or 0, t.write_bytes or 0, t.rchar or 0, t.wchar or 0)
  e.create_time = ("%.2f"):format(machine.btime + (t.starttime or 0) / 100)
  local nthreads = 1
  if t.threads then
    nthreads = #t.threads + 1
    for _, th in ipairs(t.threads) do
      if th.tid == t.pid then nthreads = #t.threads end
    end
  end
  e.num_threads = tostring(nthreads)
  return e
end

TestWorld = {}

function TestWorld.test_pids()
  local decl = toolworld.decl()
  local want = {}
  for _, t in ipairs(decl.tasks) do want[#want + 1] = t.pid end
  table.sort(want)
  local facts = psutil_facts(world_mount():path())
  lu.assertEquals(facts.pids, table.concat(want, " "))
end

function TestWorld.test_every_task_agrees_with_the_world()
  local decl = toolworld.decl()
  local facts = psutil_facts(world_mount():path())
  local wrong = {}
  for _, t in ipairs(decl.tasks) do
    local e = expected(t, decl.machine)
    for _, what in ipairs { "name", "cmdline", "status", "ppid", "memory_info", "uids",
                            "io_counters", "create_time", "num_threads" } do
      local got = facts[t.pid .. " " .. what]
      if got ~= e[what] then
        wrong[#wrong + 1] = ("%d %s: world %s, psutil %s"):format(t.pid, what, e[what], tostring(got))
      end
    end
  end
  if #wrong > 0 then lu.fail(table.concat(wrong, "\n")) end
end

------------------------------------------------------------------------------

local host = suite.once(function()
  local H = { started = {} }
  suite.defer("reap the test processes", function()
    for _, p in ipairs(H.started) do p:reap() end
  end)
  local work = F().work
  local function start(kind, argv)
    local p = procs.spawn(argv, { stdout = work .. "/" .. kind .. ".out", name = kind })
    H.started[#H.started + 1] = p
    return p
  end
  local sleeper = '$| = 1; my $x = "y" x 3000000; print "ready\\n"; sleep 1000 while 1'
  start("args", { "perl", "-e", sleeper, "--", "an argument", "", "x" })
  start("nobody", { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                    "perl", "-e", sleeper })
  start("threads", { testenv.helper("threads"), work })
  for _, p in ipairs(H.started) do p:wait_output("^ready") end
  -- some io of its own: cat reads a file, then stops itself
  fsx.write(work .. "/data", ("z"):rep(100000))
  local reader = start("reader", { "sh", "-c", "cat " .. work .. "/data > /dev/null; kill -STOP $$; exit 0" })
  reader:wait_state("T")
  for _, p in ipairs(H.started) do p:stop_and_wait() end
  H.pids = {}
  for _, p in ipairs(H.started) do H.pids[#H.pids + 1] = p.pid end
  H.mount = mnt.start {}
  suite.defer("unmount the host mount", function() return H.mount:stop() end)
  return H
end)

TestHost = {}

function TestHost.test_psutil_through_the_mount_equals_the_kernel()
  local H = host()
  local _, native = psutil_facts("/proc", H.pids)
  local _, ours = psutil_facts(H.mount:path(), H.pids)
  lu.assertEquals(#native, #H.pids * 9)
  for i = 1, math.max(#native, #ours) do
    lu.assertEquals(ours[i], native[i], "psutil on the kernel's /proc vs through proclua")
  end
  -- and they are real values, not errors
  for _, line in ipairs(native) do lu.assertNotStrContains(line, "<", line) end
end

suite.run()
