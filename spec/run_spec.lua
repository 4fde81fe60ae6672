-- proclua-run (bindings/fuse/proclua-run) and the README's recipes for
-- running a program against a custom /proc: the manual unshare recipe and
-- the bubblewrap one.  After every proclua-run, nothing may be left behind
-- (no mount, no mount point, no daemon: prun.assert_clean).
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local prun = require "prun"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

-- A world whose hostname says where a reader is.
local WORLD = [[
local p = require "proclua"
return p.world { machine = { hostname = "inside-the-world" },
                 tasks = { { pid = 1, argv = { "/sbin/init" } },
                           { pid = 7, ppid = 1, argv = { "/usr/bin/app", "--serve" } } } }
]]

local F = suite.once(function()
  local work = fsx.mktemp_dir("proclua-run")
  suite.defer("remove " .. work, function() assert(fsx.remove_tree(work)) end)
  assert(sh.ok("chmod 755 " .. sh.quote(work)))
  local world = work .. "/world.lua"
  fsx.write(world, WORLD)
  -- the same world at a path with a space and a quote in it
  local odd = work .. "/a dir/it's a world.lua"
  assert(sh.ok("mkdir " .. sh.quote(work .. "/a dir")))
  fsx.write(odd, WORLD)
  return { work = work, world = world, odd = odd, rundir = prun.rundir() }
end)

local function run(args, argv, opts) return prun.run(F().rundir, args, argv, opts) end

TestRun = {}

function TestRun.test_the_command_sees_the_mount_as_proc()
  local r = run({ "--world", F().world }, { "sh", "-c",
    "cat /proc/sys/kernel/hostname; tr '\\0' ' ' < /proc/7/cmdline; echo; ls /proc | grep -c '^[0-9]'" })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.out, "inside-the-world\n/usr/bin/app --serve \n2\n")
end

-- Only the command's namespace: this process's /proc is still the kernel's.
function TestRun.test_outside_is_untouched()
  local before = fsx.read("/proc/sys/kernel/hostname")
  local r = run({ "--world", F().world }, { "cat", "/proc/sys/kernel/hostname" })
  lu.assertEquals(r.out, "inside-the-world\n")
  lu.assertEquals(fsx.read("/proc/sys/kernel/hostname"), before)
  lu.assertStrContains(fsx.mountinfo_line("/proc"), " - proc ")
end

function TestRun.test_exit_status_is_the_commands()
  lu.assertEquals(run({ "--world", F().world }, { "true" }).code, 0)
  lu.assertEquals(run({ "--world", F().world }, { "sh", "-c", "exit 7" }).code, 7)
  -- killed by a signal: 128 + its number, as a shell reports it
  lu.assertEquals(run({ "--world", F().world }, { "sh", "-c", "kill -TERM $$" }).code, 143)
  local r = run({ "--world", F().world }, { "/nonexistent/command" })
  lu.assertEquals(r.code, 127)
end

-- --pid: the command has a pid namespace of its own, so a signal to a pid
-- it read from a world reaches no process of the machine (here a host
-- process holds the world task's number); proclua still knows its caller.
function TestRun.test_pid_namespace_keeps_signals_in()
  local host = procs.spawn({ "sleep", "300" }, { name = "holder of a world pid" })
  local ok, err = pcall(function()
    local world = F().work .. "/pid-world.lua"
    fsx.write(world, ([[
local p = require "proclua"
return p.world { tasks = { { pid = 1, argv = { "init" } }, { pid = %d, ppid = 1, argv = { "victim" } } } }
]]):format(host.pid))
    local probe = ("kill -0 %d 2>/dev/null; echo $?; cat /proc/%d/cmdline | tr '\\0' ' '; echo; "
                   .. "cat /proc/self/stat | cut -d' ' -f1"):format(host.pid, host.pid)
    local plain = run({ "--world", world }, { "sh", "-c", probe })
    lu.assertEquals(fsx.lines(plain.out)[1], "0", "without --pid the world's pid is the host's process")
    local r = run({ "--pid", "--world", world }, { "sh", "-c", probe })
    lu.assertEquals(r.code, 0, r.err)
    lu.assertEquals(fsx.lines(r.out), { "1", "victim ", "1" })
    lu.assertTrue(host:alive())
  end)
  host:reap()
  if not ok then error(err, 0) end
end

-- Options before `--` reach proclua as words, whatever they contain; the
-- command's arguments reach the command the same way; a TMPDIR with odd
-- characters still gets its mount point found and removed.
function TestRun.test_words_are_kept_whole()
  local r = run({ "--world", F().odd }, { "sh", "-c", 'cat /proc/sys/kernel/hostname; printf "[%s]" "$@"',
                                           "sh", "two words", "it's", "", "new\nline\n" })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.out, "inside-the-world\n[two words][it's][][new\nline\n]")
  local odd = F().rundir .. "/a dir, it's\todd\\"
  assert(sh.ok("mkdir " .. sh.quote(odd)))
  r = prun.run(odd, { "--world", F().world }, { "cat", "/proc/sys/kernel/hostname" })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.out, "inside-the-world\n")
  assert(sh.ok("rmdir " .. sh.quote(odd)))
end

-- The host's tasks, with the default layout: the command finds itself.
function TestRun.test_default_layout_over_the_host()
  local r = run({}, { "sh", "-c", 'read a b c < /proc/$$/stat; echo "$a $b"; echo $$' })
  lu.assertEquals(r.code, 0, r.err)
  local pid, comm, pid2 = r.out:match("^(%d+) (%(sh%))\n(%d+)\n$")
  lu.assertNotNil(pid, r.out)
  lu.assertEquals(pid, pid2)
end

-- util-linux unshare -T writes the new time namespace's offsets through
-- /proc/self/timens_offsets, here the mount's: the host's kernel takes the
-- write, and the command reads them back.  (/proc/uptime is the host's
-- boot time, not the reader's namespace's: README, known limits.)
function TestRun.test_a_time_namespace_with_offsets_over_the_host()
  local r = run({}, { "unshare", "-T", "--boottime", "100", "cat", "/proc/uptime" })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertStrMatches(r.out, "%d+%.%d%d %d+%.%d%d\n")
  r = run({}, { "unshare", "-T", "--monotonic", "1000", "--boottime", "2000", "cat",
                "/proc/self/timens_offsets" })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.out, "monotonic        1000         0\nboottime         2000         0\n")
end

function TestRun.test_failures_are_125()
  local r = run({ "--world", F().work .. "/missing.lua" }, { "true" })
  lu.assertEquals(r.code, 125)
  lu.assertStrContains(r.err, "missing.lua")
  lu.assertStrContains(r.err, "proclua-run: proclua exited")
  -- no `--`, or no command after it
  local usage = sh.run({ "env", "TMPDIR=" .. F().rundir, testenv.run_script(), "true" })
  lu.assertEquals(usage.code, 125)
  lu.assertStrContains(usage.err, "usage: proclua-run")
  usage = sh.run({ "env", "TMPDIR=" .. F().rundir, testenv.run_script(), "--" })
  lu.assertEquals(usage.code, 125)
  prun.assert_clean(F().rundir)
  -- a program that is not there
  r = run({}, { "true" }, { env = { "PROCLUA=/nonexistent/proclua" } })
  lu.assertEquals(r.code, 125)
end

-- A command that leaves a process in its namespace: that process keeps the
-- mount in use, so the daemon does not exit on the unmount; proclua-run
-- still ends it (SIGTERM, by pid) and returns the command's status.
function TestRun.test_a_process_left_behind_does_not_keep_the_daemon()
  local r = run({ "--world", F().world }, { "sh", "-c", "sleep 60 >/dev/null 2>&1 & echo $!; exit 3" })
  local left = tonumber(r.out:match("^(%d+)\n$"))
  if left then
    -- End it by pid, once it is surely our sleep: right after the fork it
    -- may still be the shell's child on its way to exec.  Left alive, its
    -- mount namespace would keep copies of other specs' mounts busy.
    local is_ours = function() return fsx.read("/proc/" .. left .. "/cmdline") == "sleep\0" .. "60\0" end
    if pcall(procs.wait_for, is_ours, 10, "the left-behind sleep to exec") then
      sh.ok("kill -KILL " .. math.tointeger(left))
    end
  end
  lu.assertEquals(r.code, 3)
  lu.assertNotNil(left, r.out)
  lu.assertStrContains(r.err, "still running after the unmount")
end

-- `cmake --install`: the script lands beside the program and finds it (and
-- the program its installed default layout).
function TestRun.test_installed_beside_the_program()
  local prefix = F().work .. "/prefix"
  local build = testenv.bin():gsub("/[^/]*$", "")
  local inst = sh.run({ "cmake", "--install", build, "--prefix", prefix })
  lu.assertEquals(inst.code, 0, inst.err)
  lu.assertTrue(fsx.exists(prefix .. "/bin/proclua-run"))
  local r = run({}, { "cat", "/proc/sys/kernel/ostype" }, { script = prefix .. "/bin/proclua-run" })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.out, "Linux\n")
end

------------------------------------------------------------------------------
-- The README's recipes without proclua-run.

local world_mount = suite.once(function()
  local m = mnt.start { options = "allow_other", args = { "--world", F().world } }
  suite.defer("unmount the world", function() return m:stop() end)
  return m
end)

TestRecipes = {}

function TestRecipes.test_unshare_and_mount_bind()
  local r = sh.run({ "unshare", "-m", "--propagation", "private", "sh", "-c",
    "mount --bind " .. sh.quote(world_mount():path()) .. " /proc && exec cat /proc/sys/kernel/hostname" })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.out, "inside-the-world\n")
  lu.assertStrContains(fsx.mountinfo_line("/proc"), " - proc ")
end

function TestRecipes.test_bubblewrap()
  local m = world_mount()
  local r = sh.run({ "bwrap", "--bind", "/", "/", "--bind", m:path(), "/proc", "--",
                     "cat", "/proc/sys/kernel/hostname", "/proc/7/comm" })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.out, "inside-the-world\napp\n")
  -- the README's second form: its own /dev
  r = sh.run({ "bwrap", "--bind", "/", "/", "--dev", "/dev", "--bind", m:path(), "/proc",
               "--die-with-parent", "--",
               "env", "-i", "PATH=/usr/bin:/bin", "LC_ALL=C", "ps", "-eo", "pid,comm,args" })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.out, "    PID COMMAND         COMMAND\n"
                      .. "      1 init            /sbin/init\n"
                      .. "      7 app             /usr/bin/app --serve\n")
  lu.assertStrContains(fsx.mountinfo_line("/proc"), " - proc ")
end

suite.run()
