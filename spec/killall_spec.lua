-- killall (psmisc) through proclua-run: what works and what cannot.
--
-- killall finds its targets by reading /proc, then opens /proc/<pid>
-- (O_DIRECTORY) and signals through that fd with pidfd_send_signal(2),
-- signal 0 too.  The kernel takes only a pidfd or a directory of procfs's
-- own for it (tgid_pidfd_to_pid: f_op must be proc_tgid_base_operations);
-- a FUSE directory is neither, and the call fails EBADF before any request
-- reaches the daemon, so no layout or world can change it.  With -g,
-- killall asks the kernel for the process group (getpgid(2)) and signals
-- it with kill(-pgid): no fd, so that works.
--
--   TestHost    killall NAME (-s 0 and the default TERM): "NAME(PID): Bad
--               file descriptor", exit 1, nothing signalled (the kernel's
--               /proc: signalled, exit 0); killall -g works as on the
--               kernel's /proc; an unknown name is "no process found" on
--               both.
--   TestWorld   a world task with the pid of a real process: with
--               proclua-run --pid, neither killall NAME nor killall -g
--               reaches it; without --pid, killall -g does (getpgid asks
--               the kernel about the real pid).
local lu = require "luaunit"
local fsx = require "fsx"
local procs = require "procs"
local prun = require "prun"
local sh = require "sh"
local suite = require "suite"

local NAME = "plkilltarget"

local F = suite.once(function()
  local work = fsx.mktemp_dir("proclua-killall")
  suite.defer("remove " .. work, function() assert(fsx.remove_tree(work)) end)
  assert(sh.ok("chmod 755 " .. sh.quote(work)))
  -- a sleep whose comm is NAME (the exec'd name's basename), unique on
  -- the machine
  local exe = work .. "/" .. NAME
  assert(sh.ok("ln -s /bin/sleep " .. sh.quote(exe)))
  return { work = work, exe = exe, rundir = prun.rundir(), started = {} }
end)

-- fn(p) with a target p: NAME, in a session (and process group) of its
-- own, so that killall -g signals nothing else; the only NAME while fn
-- runs, reaped by its pid when fn returns or fails.
local function with_target(fn)
  local p = procs.spawn({ "setsid", F().exe, "1000" }, { name = NAME })
  local ok, err = pcall(function()
    procs.wait_for(function() return fsx.read("/proc/" .. p.pid .. "/comm") == NAME .. "\n" end,
                   30, NAME .. " to exec")
    fn(p)
  end)
  p:reap()
  if not ok then error(err, 0) end
end

local function killall(args, argv)
  local cmd = { "killall" }
  for _, a in ipairs(argv) do cmd[#cmd + 1] = a end
  return prun.tool(F().rundir, args, cmd)
end

local function native(argv)
  local cmd = { "env", "-i", "PATH=/usr/bin:/bin", "LC_ALL=C", "killall" }
  for _, a in ipairs(argv) do cmd[#cmd + 1] = a end
  return sh.run(cmd)
end

TestHost = {}

function TestHost.test_by_name_is_ebadf()
  with_target(function(p)
    local r = killall({}, { "-v", "-s", "0", NAME })
    lu.assertEquals(r.err, ("%s(%d): Bad file descriptor\n%s: no process found\n"):format(NAME, p.pid, NAME))
    lu.assertEquals(r.out, "")
    lu.assertEquals(r.code, 1)
    -- the kernel's /proc: the same killall finds and signals it
    local n = native { "-v", "-s", "0", NAME }
    lu.assertEquals(n.err, ("Killed %s(%d) with signal 0\n"):format(NAME, p.pid))
    lu.assertEquals(n.code, 0)
  end)
end

function TestHost.test_by_name_signals_nothing()
  with_target(function(p)
    local r = killall({}, { NAME })
    lu.assertEquals(r.err, ("%s(%d): Bad file descriptor\n%s: no process found\n"):format(NAME, p.pid, NAME))
    lu.assertEquals(r.code, 1)
    lu.assertTrue(p:alive(), "killall's TERM reached " .. NAME)
  end)
end

function TestHost.test_process_group_works()
  with_target(function(p)
    local want = ("Killed %s(pgid %d) with signal 0\n"):format(NAME, p.pid)
    local n = native { "-v", "-g", "-s", "0", NAME }
    lu.assertEquals({ n.err, n.code }, { want, 0 })
    local r = killall({}, { "-v", "-g", "-s", "0", NAME })
    lu.assertEquals({ r.err, r.out, r.code }, { want, "", 0 })
    r = killall({}, { "-v", "-g", NAME })
    lu.assertEquals({ r.err, r.code }, { ("Killed %s(pgid %d) with signal 15\n"):format(NAME, p.pid), 0 })
    lu.assertTrue(p:wait_exit(30), "killall -g's TERM did not end " .. NAME)
    lu.assertEquals({ p:reap() }, { "signal", 15 })
  end)
end

function TestHost.test_unknown_name_as_linux()
  local n = native { "-s", "0", "plnosuchname" }
  local r = killall({}, { "-s", "0", "plnosuchname" })
  lu.assertEquals({ r.err, r.out, r.code }, { n.err, n.out, n.code })
  lu.assertEquals(r.err, "plnosuchname: no process found\n")
end

TestWorld = {}

-- A world whose task `p.pid` is named NAME: the number a real process holds.
local function world_with(p)
  local path = ("%s/world-%d.lua"):format(F().work, p.pid)
  fsx.write(path, table.concat({
    'local p = require "proclua"',
    "return p.world { tasks = {",
    '  { pid = 1, argv = { "/sbin/init" } },',
    ("  { pid = %d, ppid = 1, pgrp = %d, session = %d, argv = { %q, \"1000\" } },"):format(
      p.pid, p.pid, p.pid, NAME),
    "} }",
    "",
  }, "\n"))
  return path
end

function TestWorld.test_own_pid_namespace_reaches_nothing()
  with_target(function(p)
    local world = world_with(p)
    local r = killall({ "--pid", "--world", world }, { "-v", NAME })
    lu.assertEquals(r.err, ("%s(%d): Bad file descriptor\n%s: no process found\n"):format(NAME, p.pid, NAME))
    lu.assertEquals(r.code, 1)
    -- -g: getpgid of the world's pid, in a pid namespace holding only the
    -- command, is ESRCH; killall then goes on to its pidfd, EBADF
    r = killall({ "--pid", "--world", world }, { "-v", "-g", NAME })
    lu.assertEquals(r.err, ("killall: getpgid(%d): No such process\n%s(-1): Bad file descriptor\n"
                            .. "%s: no process found\n"):format(p.pid, NAME, NAME))
    lu.assertEquals(r.code, 1)
    lu.assertTrue(p:alive(), "a signal to a world pid reached the real process")
  end)
end

-- Without --pid the world's pid is the real one's to the kernel.
function TestWorld.test_without_pid_namespace_a_group_signal_is_real()
  with_target(function(p)
    local r = killall({ "--world", world_with(p) }, { "-v", "-g", "-s", "0", NAME })
    lu.assertEquals({ r.err, r.code }, { ("Killed %s(pgid %d) with signal 0\n"):format(NAME, p.pid), 0 })
  end)
end

suite.run()
