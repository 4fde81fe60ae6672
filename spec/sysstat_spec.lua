-- sysstat's tools (mpstat, iostat, pidstat), unmodified, with proclua as
-- their /proc (build/proclua-run, as tools_spec runs its tools).
--
--   * Over the host's tasks: every line natively and through proclua has
--     the same words, numbers aside (the counters move between the two
--     runs): the cpus, interrupts and softirqs of mpstat -A, the devices
--     of iostat -dx, the threads of pidstat -t for a stopped test process.
--   * Over the tool world (spec/support/toolworld.lua): pidstat's per-task
--     and per-thread %usr and %system, which it derives from stat's utime,
--     stime and starttime and the uptime (since boot: the share of the
--     time the task has lived), equal what the world declares.
local lu = require "luaunit"
local fsx = require "fsx"
local procs = require "procs"
local prun = require "prun"
local sh = require "sh"
local suite = require "suite"
local toolworld = require "toolworld"

local F = suite.once(function()
  local F = procs.fixture("proclua-sysstat")
  F.rundir = prun.rundir()
  F.world = toolworld.write(F.work .. "/world.lua")
  local sleeper = F.spawn("sleeper", { "perl", "-e", '$| = 1; print "ready\\n"; sleep 1000 while 1' })
  sleeper:wait_output("^ready")
  sleeper:stop_and_wait()
  F.pid = sleeper.pid
  return F
end)

local function tool_argv(argv)
  local out = {}
  for _, w in ipairs(prun.TOOL_ENV) do out[#out + 1] = w end
  out[#out + 1] = "S_TIME_FORMAT=ISO"
  for _, w in ipairs(argv) do out[#out + 1] = w end
  return out
end

-- Numbers (and the clock) as N: what is left is the tool's structure.
local function shape(text)
  return (text:gsub("%d%d:%d%d:%d%d", "HH:MM:SS"):gsub("%-?%d+[%.,]?%d*", "N"))
end

local function compare_host(argv)
  local native = sh.run(tool_argv(argv))
  lu.assertEquals(native.code, 0, native.err)
  local ours = prun.run(F().rundir, {}, tool_argv(argv))
  lu.assertEquals(ours.code, 0, ours.err)
  lu.assertTrue(#fsx.lines(native.out) > 3, native.out)
  prun.assert_text(shape(ours.out), shape(native.out), table.concat(argv, " ") .. " (native vs proclua)")
end

TestHost = {}

function TestHost.test_mpstat_all()
  compare_host { "mpstat", "-A" }
end

function TestHost.test_iostat_devices()
  compare_host { "iostat", "-dx" }
end

function TestHost.test_pidstat_threads_of_a_process()
  compare_host { "pidstat", "-t", "-u", "-d", "-r", "-p", tostring(F().pid) }
end

TestWorld = {}

-- pidstat with no interval: each task's share of its lifetime, from boot
-- (stat's starttime) to the uptime, spent in user and system mode; only
-- tasks that have used some CPU ("active" ones), a line for the process and
-- one for each of its threads.
function TestWorld.test_pidstat_shares_of_each_task_and_thread()
  local decl = toolworld.decl()
  local uptime_ticks = decl.machine.uptime * 100
  local want = {}
  local function active(t) return (t.utime or 0) + (t.stime or 0) > 0 end
  local function line(tgid, tid, t, start)
    local function share(ticks) return ("%.2f"):format(100 * (ticks or 0) / (uptime_ticks - start)) end
    want[#want + 1] = ("%s %s %s %s"):format(tgid, tid, share(t.utime), share(t.stime))
  end
  for _, t in ipairs(decl.tasks) do
    if active(t) then
      local start = t.starttime or 0
      line(t.pid, "-", t, start)
      for _, th in ipairs(t.threads or { { tid = t.pid, utime = t.utime, stime = t.stime } }) do
        if active(th) then line("-", th.tid, th, start) end
      end
    end
  end
  lu.assertTrue(#want >= 8)
  local r = prun.run(F().rundir, { "--world", F().world }, tool_argv { "pidstat", "-t", "-u" })
  lu.assertEquals(r.code, 0, r.err)
  local got = {}
  for _, line in ipairs(fsx.lines(r.out)) do
    -- time, UID, TGID, TID, %usr, %system, ...
    local tgid, tid, usr, sys = line:match("^%S+%s+%d+%s+(%S+)%s+(%S+)%s+([%d.]+)%s+([%d.]+)")
    if tgid then got[#got + 1] = ("%s %s %s %s"):format(tgid, tid, usr, sys) end
  end
  lu.assertEquals(got, want)
end

suite.run()
