-- The test fixtures themselves, checked against the host kernel's /proc
-- (no proclua involved): the helper programs do what the differential spec
-- relies on, and the support modules start, stop, reap and clean up.
local lu = require "luaunit"
local compare = require "compare"
local fsx = require "fsx"
local mnt = require "mnt"
local probe = require "probe"
local procs = require "procs"
local suite = require "suite"
local testenv = require "testenv"

-- A directory for the processes' output, removed after they are reaped.
local started = {}
local work = suite.once(function()
  local dir = fsx.mktemp_dir("proclua-helpers")
  suite.defer("remove " .. dir, function() assert(fsx.remove_tree(dir)) end)
  suite.defer("reap helper processes", function()
    for _, p in ipairs(started) do p:reap() end
  end)
  return dir
end)

local function start(argv, name)
  local out = work() .. "/" .. name .. ".out"
  local p = procs.spawn(argv, { stdout = out, stderr = out .. ".err", name = name })
  started[#started + 1] = p
  return p
end

local function read_mem(pid, addr, len)
  return probe.pread(("/proc/%d/mem"):format(pid), addr, len)
end

-- The title spt writes: its pattern, repeated.
local function spt_title(n)
  local pat = "spt-title-0123456789-"
  return (pat:rep(n // #pat + 1)):sub(1, n)
end

TestProbe = {}

function TestProbe:test_reports_errno_names()
  lu.assertEquals(probe.read({ "/nonexistent/file" }), { "open:ENOENT" })
  lu.assertEquals(probe.read({ "/" }), { "read:EISDIR" })
  lu.assertEquals(probe.readlink({ "/" }), { "readlink:EINVAL" })
  lu.assertEquals(probe.write("/", "x"), "open:EISDIR")
  lu.assertEquals(probe.lstat({ "/nonexistent" }), { "lstat:ENOENT" })
  lu.assertEquals(probe.list({ "/nonexistent" }), { "open:ENOENT" })
end

function TestProbe:test_reads_lists_and_stats()
  local dir = work() .. "/probe"
  os.execute("chmod 755 " .. work() .. " && mkdir " .. dir .. " && ln -s target " .. dir .. "/link")
  fsx.write(dir .. "/file", "hello\n")
  local names = probe.names(dir); table.sort(names)
  lu.assertEquals(names, { "file", "link" })
  lu.assertEquals(probe.readlink({ dir .. "/link" }), { "OK target" })
  lu.assertStrMatches(probe.lstat({ dir .. "/link" })[1], "OK l 777 0 0")
  lu.assertStrMatches(probe.read({ dir .. "/file" })[1], "OK 6 %x+")
  lu.assertEquals(probe.pread(dir .. "/file", 1, 100), "OK 5 656c6c6f0a")
  -- the same bytes hash the same, whoever reads them
  lu.assertEquals(probe.read({ dir .. "/file" })[1], probe.read({ dir .. "/file" }, { uid = 65534 })[1])
end

function TestProbe:test_held_directory_outlives_its_process()
  local p = start({ "sleep", "1000" }, "held-victim")
  local go = work() .. "/held.go"
  local h = start({ testenv.helper("probe"), "held", go, "/proc/" .. p.pid, "read:status", "list:." }, "held")
  h:wait_output("^ready$")
  p:reap()
  fsx.write(go, "")
  lu.assertTrue(h:wait_exit(30))
  -- Linux: a lookup under the directory of a reaped task is ESRCH
  lu.assertEquals(fsx.lines(h:output()), { "ready", "read:status open:ESRCH", "list:. open:ESRCH" })
end

TestSpt = {}

-- Mode 1: the title runs past the argv area into the first environment
-- string; Linux shows the title and the NUL that ends it.
function TestSpt:test_title_runs_into_the_environment()
  local p = start({ testenv.helper("spt"), "1" }, "spt1")
  local arg_len, title_len = p:wait_output("^ready (%d+) (%d+)$")
  arg_len, title_len = tonumber(arg_len), tonumber(title_len)
  p:stop_and_wait()
  local st = procs.stat(p.pid)
  local arg_start, arg_end, env_start = st[48], st[49], st[50]
  lu.assertEquals(arg_end - arg_start, arg_len)
  lu.assertEquals(env_start, arg_end, "the environment follows argv")
  lu.assertTrue(title_len > arg_len and title_len < arg_len + 64)
  -- the last byte of the argv area is no longer NUL
  lu.assertNotEquals(read_mem(p.pid, arg_end - 1, 1), "OK 1 00")
  lu.assertEquals(fsx.read(("/proc/%d/cmdline"):format(p.pid)), spt_title(title_len) .. "\0")
end

-- Mode 2: the title covers argv and the environment past one page;
-- Linux shows exactly one page of it, with no NUL.
function TestSpt:test_title_past_a_page()
  local p = start({ testenv.helper("spt"), "2" }, "spt2")
  local _, title_len = p:wait_output("^ready (%d+) (%d+)$")
  p:stop_and_wait()
  local st = procs.stat(p.pid)
  local arg_start, arg_end, env_end = st[48], st[49], st[51]
  lu.assertTrue(tonumber(title_len) > 4096)
  lu.assertTrue(env_end - arg_start > tonumber(title_len))
  lu.assertNotEquals(read_mem(p.pid, arg_end - 1, 1), "OK 1 00")
  local cmdline = fsx.read(("/proc/%d/cmdline"):format(p.pid))
  lu.assertEquals(#cmdline, 4096)
  lu.assertEquals(cmdline, spt_title(4096))
end

TestOthers = {}

function TestOthers:test_perl_dollar0()
  local p = start({ "perl", "-e", '$0 = "renamed by perl"; $| = 1; print "ready\\n"; sleep 1000 while 1' }, "perl0")
  p:wait_output("^ready$")
  lu.assertEquals(fsx.read(("/proc/%d/cmdline"):format(p.pid)), "renamed by perl\0")
  lu.assertEquals(fsx.read(("/proc/%d/comm"):format(p.pid)), "renamed by perl\n")
end

function TestOthers:test_threads_helper()
  local p = start({ testenv.helper("threads"), work() }, "threads")
  local worker = tonumber(p:wait_output("^ready (%d+)$"))
  p:stop_and_wait()
  lu.assertEquals(procs.tids(p.pid), { p.pid, worker })
  lu.assertEquals(fsx.read(("/proc/%d/task/%d/comm"):format(p.pid, worker)), "spec-worker\n")
  local targets = {}
  for _, fd in ipairs(probe.names(("/proc/%d/fd"):format(p.pid))) do
    targets[#targets + 1] = probe.readlink({ ("/proc/%d/fd/%s"):format(p.pid, fd) })[1]
  end
  local all = table.concat(targets, "\n")
  for _, kind in ipairs { "pipe:%[", "socket:%[", "anon_inode:%[eventfd%]", "anon_inode:%[eventpoll%]",
                          "anon_inode:inotify", "/memfd:spec%-memfd %(deleted%)", "spec%-unlinked%.%w+ %(deleted%)" } do
    lu.assertStrContains(all, kind, true)
  end
end

function TestOthers:test_zombie()
  local parent = start({ "sh", "-c", "sleep 0 & exec sleep 1000" }, "zombie-parent")
  local zombie = procs.wait_for(function()
    for _, c in ipairs(procs.children(parent.pid)) do
      if procs.state(c) == "Z" then return c end
    end
  end, 30, "a zombie child")
  lu.assertEquals(fsx.read(("/proc/%d/cmdline"):format(zombie)), "")
  lu.assertEquals(probe.readlink({ ("/proc/%d/exe"):format(zombie) }), { "readlink:ENOENT" })
  parent:reap()
  -- Under the reaper (as CTest runs the specs) the orphaned zombie is
  -- re-parented to it and reaped.
  local my_parent = procs.parse_stat(fsx.read("/proc/self/stat"))[4]
  if fsx.read(("/proc/%d/comm"):format(my_parent)) == "reaper\n" then
    procs.wait_for(function() return procs.state(zombie) == nil end, 30, "the orphaned zombie to be reaped")
  end
end

TestSupport = {}

function TestSupport:test_stat_parsing_takes_comm_up_to_the_last_paren()
  local f = procs.parse_stat("42 (a) b) (c) S 1 2 3 4")
  lu.assertEquals(f[1], 42)
  lu.assertEquals(f[2], "a) b) (c")
  lu.assertEquals(f[3], "S")
  lu.assertEquals(f[7], 4)
end

function TestSupport:test_process_lifecycle()
  local p = start({ "sleep", "1000" }, "lifecycle")
  lu.assertTrue(p:alive())
  p:stop_and_wait()
  lu.assertEquals(procs.state(p.pid), "T")
  p:signal("KILL")
  procs.wait_for(function() return procs.state(p.pid) == "Z" end, 30, "a zombie")
  lu.assertFalse(p:alive())
  local how, code = p:reap()
  lu.assertEquals({ how, code }, { "signal", 9 })
  lu.assertNil(procs.state(p.pid))
  lu.assertErrorMsgContains("already reaped", function() p:signal("KILL") end)
end

function TestSupport:test_mount_helper_cleans_up_after_a_daemon_that_fails()
  local before = fsx.mount_points()
  lu.assertErrorMsgContains("exited without mounting", mnt.start, {
    command = { "sh", "-c", "echo broken layout >&2; exit 3", "fake" } })
  lu.assertErrorMsgContains("broken layout", mnt.start, {
    command = { "sh", "-c", "echo broken layout >&2; exit 3", "fake" } })
  -- a daemon that never mounts and never exits is ended by its pid
  lu.assertErrorMsgContains("gave up waiting", mnt.start, {
    command = { "sh", "-c", "exec sleep 1000", "fake" }, timeout = 1 })
  lu.assertEquals(fsx.mount_points(), before)
end

function TestSupport:test_compare_describes_the_first_difference()
  lu.assertStrContains(compare.describe("a\nb\nc\n", "a\nB\nc\n"), "line 2")
  lu.assertStrContains(compare.describe("\1\2\3", "\1\2\4"), "byte 2")
  lu.assertStrContains(compare.describe("x", "<error read:EIO>"), "read:EIO")
end

suite.run()
