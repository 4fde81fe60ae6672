-- Model worlds: crafted tasks and the exact bytes Linux would show for them.
--
-- Most checks format in-process (world:format, no FUSE): the expected bytes
-- are written out by hand from Linux's formats (fs/proc/array.c, base.c).
-- The last ones mount a world and read it through the kernel: vanishing and
-- zombie tasks, thread directories, offsets past the end.
local probe = require "probe"
local lu = require "luaunit"
local p = require "proclua"
local fsx = require "fsx"
local mnt = require "mnt"
local suite = require "suite"
local testenv = require "testenv"

local sh = require "sh"

local function bytes(s) return (s:gsub("%z", "\\0")) end

local tmp = suite.once(function()
  local dir = fsx.mktemp_dir("proclua-world")
  suite.defer("remove " .. dir, function() fsx.remove_tree(dir) end)
  return dir
end)

-- Write a file under this spec's temporary directory; returns its path.
local function write_temp(name, content)
  local path = tmp() .. "/" .. name
  fsx.write(path, content)
  return path
end

-- Names in a directory (without . and ..).
local function list_dir(dir)
  local names = {}
  local h = assert(io.popen("ls -A " .. sh.quote(dir)))
  for line in h:lines() do names[#names + 1] = line end
  h:close()
  return names
end

-- A task whose every stat field is set, so the expected line is all ours.
local stat_task = {
  pid = 42, ppid = 1, pgrp = 42, session = 42, comm = "a) (b", state = "R", tty_nr = 34816,
  tpgid = 42, flags = 4194560, minflt = 10, cminflt = 11, majflt = 12, cmajflt = 13,
  utime = 14, stime = 15, cutime = 16, cstime = 17, starttime = 1000, vsize = 8192000, rss = 100,
  start_code = 0x400000, end_code = 0x401000, start_stack = 0x7ffc0000, sig_caught = 0x4000,
  processor = 1, blkio_ticks = 3, start_data = 0x402000, end_data = 0x403000,
  start_brk = 0x404000, arg_start = 0x7ffc1000, arg_end = 0x7ffc1010, env_start = 0x7ffc1010,
  env_end = 0x7ffc1020,
}

TestStat = {}

function TestStat.test_every_field()
  local w = p.world { tasks = { stat_task } }
  lu.assertEquals(w:format("stat", 42),
    "42 (a) (b) R 1 42 42 34816 42 4194560 10 11 12 13 14 15 16 17 20 0 1 0 1000 8192000 100 "
    .. "18446744073709551615 4194304 4198400 2147221504 0 0 0 0 0 16384 0 0 0 17 1 0 0 3 0 0 "
    .. "4202496 4206592 4210688 2147225600 2147225616 2147225616 2147225632 0\n")
end

-- A reader who may not ptrace the task sees the code range as 1 1 and the
-- stack, wchan, addresses and exit code as 0 (do_task_stat's `permitted`).
function TestStat.test_masked_for_a_reader_without_ptrace()
  local w = p.world { tasks = { stat_task } }
  lu.assertEquals(w:format("stat", 42, nil, false),
    "42 (a) (b) R 1 42 42 34816 42 4194560 10 11 12 13 14 15 16 17 20 0 1 0 1000 8192000 100 "
    .. "18446744073709551615 1 1 0 0 0 0 0 0 16384 0 0 0 17 1 0 0 3 0 0 0 0 0 0 0 0 0 0\n")
end

function TestStat.test_statm_text_is_the_page_aligned_code_range()
  local w = p.world { tasks = { stat_task } }
  -- 33 pages: the default [stack] region of 132 KiB
  lu.assertEquals(w:format("statm", 42), "33 0 0 1 0 0 0\n")
end

function TestStat.test_threads_and_zombies()
  local w = p.world { tasks = {
    { pid = 1, argv = { "init" } },
    { pid = 5, ppid = 1, argv = { "srv" }, threads = { { tid = 6, comm = "worker" } } },
    { pid = 9, ppid = 1, zombie = true, argv = { "gone" }, exit_code = 256 },
  } }
  -- a non-leader thread's exit_signal is -1; a whole group of two threads
  -- shows wchan 0, each thread 1 (sleeping)
  local group = p.world and w:format("stat", 5)
  lu.assertStrContains(group, " 0 0 0 17 0 0 0 0 0 0 ")
  local thread = w:format("stat", 5, 6)
  lu.assertEquals(thread:match("^6 %(worker%) S 1 5 5 "), "6 (worker) S 1 5 5 ")
  lu.assertStrContains(thread, " 1 0 0 -1 0 0 0 ")
  -- a zombie: no mm (vsize, rss, code range 0), its exit code at the end
  lu.assertEquals(w:format("stat", 9),
    "9 (gone) Z 1 9 9 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 0 0 0 18446744073709551615 "
    .. "0 0 0 0 0 0 0 0 0 1 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 256\n")
  lu.assertEquals(w:format("children", 1, 1), "5 9 ")
  lu.assertEquals(w:format("cmdline", 9), "")
  local none, _, errno = w:format("environ", 9)
  lu.assertNil(none)
  lu.assertEquals(errno, 3) -- ESRCH: mm_access finds no mm
end

TestStatus = {}

function TestStatus.test_every_line()
  local w = p.world { tasks = {
    { pid = 1, argv = { "init" } },
    { pid = 5, ppid = 1, comm = "back\\slash\nnl", uid = { 1000, 1001, 1002, 1003 },
      gid = { 100, 101, 102, 103 }, groups = { 4, 27 }, umask = "0077", rss_anon = 10,
      rss_file = 20, rss_shmem = 1, data_vm = 50, stack_vm = 33, sig_blocked = 0x10000,
      cap_prm = "0x1ffffffffff", cpus = 4, nvcsw = 7, nivcsw = 8, threads = { { tid = 6 } } },
  } }
  local mems = string.rep("00000000,", 31) .. "00000001"
  lu.assertEquals(w:format("status", 5), table.concat({
    "Name:\tback\\\\slash\\nnl", "Umask:\t0077", "State:\tS (sleeping)", "Tgid:\t5", "Ngid:\t0",
    "Pid:\t5", "PPid:\t1", "TracerPid:\t0", "Uid:\t1000\t1001\t1002\t1003",
    "Gid:\t100\t101\t102\t103", "FDSize:\t64", "Groups:\t4 27 ", "NStgid:\t5", "NSpid:\t5",
    "NSpgid:\t5", "NSsid:\t5", "Kthread:\t0",
    "VmPeak:\t     132 kB", "VmSize:\t     132 kB", "VmLck:\t       0 kB", "VmPin:\t       0 kB",
    "VmHWM:\t     124 kB", "VmRSS:\t     124 kB", "RssAnon:\t      40 kB", "RssFile:\t      80 kB",
    "RssShmem:\t       4 kB", "VmData:\t     200 kB", "VmStk:\t     132 kB", "VmExe:\t       0 kB",
    "VmLib:\t       0 kB", "VmPTE:\t       0 kB", "VmSwap:\t       0 kB",
    "HugetlbPages:\t       0 kB", "CoreDumping:\t0", "THP_enabled:\t1",
    "untag_mask:\t0xffffffffffffffff", "Threads:\t2", "SigQ:\t0/63432",
    "SigPnd:\t0000000000000000", "ShdPnd:\t0000000000000000", "SigBlk:\t0000000000010000",
    "SigIgn:\t0000000000000000", "SigCgt:\t0000000000000000", "CapInh:\t0000000000000000",
    "CapPrm:\t000001ffffffffff", "CapEff:\t0000000000000000", "CapBnd:\t000001ffffffffff",
    "CapAmb:\t0000000000000000", "NoNewPrivs:\t0", "Seccomp:\t0", "Seccomp_filters:\t0",
    "Speculation_Store_Bypass:\tnot vulnerable", "SpeculationIndirectBranch:\tnot affected",
    "Cpus_allowed:\tf", "Cpus_allowed_list:\t0-3", "Mems_allowed:\t" .. mems,
    "Mems_allowed_list:\t0", "voluntary_ctxt_switches:\t7", "nonvoluntary_ctxt_switches:\t8", "",
  }, "\n"))
end

-- A zombie has no fs (no Umask line), no mm (no Vm block), no files.
function TestStatus.test_zombie()
  local w = p.world { tasks = { { pid = 1, argv = { "init" } },
                                { pid = 9, ppid = 1, uid = 1000, zombie = true } } }
  local s = w:format("status", 9)
  lu.assertNotStrContains(s, "Umask:")
  lu.assertNotStrContains(s, "VmSize:")
  lu.assertStrContains(s, "State:\tZ (zombie)\n")
  lu.assertStrContains(s, "FDSize:\t0\n")
  lu.assertStrContains(s, "Threads:\t1\n")
end

-- Each branch of Linux's get_mm_cmdline.
TestCmdline = {}

local function cmdline_of(task)
  local w = p.world { tasks = { task } }
  return w:format("cmdline", task.pid)
end

function TestCmdline.test_terminated_argv_is_returned_whole()
  lu.assertEquals(bytes(cmdline_of { pid = 1, argv = { "a", "bc", "" }, env = { "X=1" } }),
                  "a\\0bc\\0\\0")
end

function TestCmdline.test_empty_argv_reads_empty()
  lu.assertEquals(cmdline_of { pid = 1, argv = {}, env = { "X=1" } }, "")
end

-- setproctitle: the last argv byte is not NUL; a NUL in the first page
-- ends the title, and the NUL is included.
function TestCmdline.test_proctitle_with_nul_in_first_page()
  lu.assertEquals(bytes(cmdline_of { pid = 1, argv = { "short", "arg" }, env = { "HOME=/root" },
    mem = { { at = "arg_start", bytes = "titled\0" }, { at = "arg_end", offset = -1, bytes = "x" } } }),
    "titled\\0")
end

-- Without a NUL in the first page the title is one page long at most.
function TestCmdline.test_proctitle_longer_than_a_page()
  local title = "daemon: worker " .. string.rep("x", 5000)
  local got = cmdline_of { pid = 1, argv = { "daemon", "--flag" },
    env = { "A=" .. string.rep("a", 3000), "B=" .. string.rep("b", 3000) },
    mem = { { at = "arg_start", bytes = title } } }
  lu.assertEquals(#got, 4096)
  lu.assertEquals(got, title:sub(1, 4096))
end

-- The title runs into the environment only when the environment follows
-- argv directly; here it does not, so the file ends at arg_end.
function TestCmdline.test_proctitle_with_env_not_adjacent()
  lu.assertEquals(cmdline_of { pid = 1, argv = { "ab", "cd" },
    env_start = 0x7ffffff00000, env_end = 0x7ffffff00004,
    mem = { { at = "arg_start", bytes = "abcdefgh" }, { addr = 0x7ffffff00000, bytes = "Y=2\0" } } },
    "abcdef")
end

-- A normal argv with the environment elsewhere: argv only.
function TestCmdline.test_env_not_adjacent()
  lu.assertEquals(bytes(cmdline_of { pid = 1, argv = { "apart" }, env_start = 0x7ffffff00000,
    env_end = 0x7ffffff00004, mem = { { addr = 0x7ffffff00000, bytes = "Y=2\0" } } }), "apart\\0")
end

-- A hole in argv: the copy stops at the first unmapped byte.
function TestCmdline.test_fault_mid_argv_ends_short()
  lu.assertEquals(cmdline_of { pid = 1, argv = { "holey", string.rep("y", 200), "tail" },
    unmap = { { at = "arg_start", offset = 100, len = 50 } } },
    "holey\0" .. string.rep("y", 94))
end

function TestCmdline.test_fault_at_arg_start_reads_empty()
  lu.assertEquals(cmdline_of { pid = 1, argv = { "x" }, unmap = { { at = "arg_start", len = 2 } } }, "")
end

function TestCmdline.test_environ()
  local w = p.world { tasks = { { pid = 1, argv = { "a" }, env = { "A=1", "B=2" } } } }
  lu.assertEquals(bytes(w:format("environ", 1)), "A=1\\0B=2\\0")
end

TestDeclare = {}

-- Mistakes in a world name the script line.
function TestDeclare.test_unknown_field_names_the_line()
  local f = write_temp("bad_world.lua",
    'local p = require "proclua"\nreturn p.world { tasks = {\n { pid = 1, colour = "red" } } }\n')
  local chunk = assert(loadfile(f))
  local ok, err = pcall(chunk)
  lu.assertFalse(ok)
  lu.assertStrContains(err, "bad_world.lua:2:")
  lu.assertStrContains(err, "unknown task field 'colour'")
end

function TestDeclare.test_thread_twice_is_refused()
  local ok, err = pcall(p.world, { tasks = { { pid = 1 }, { pid = 2, threads = { { tid = 1 } } } } })
  lu.assertFalse(ok)
  lu.assertStrContains(err, "declared twice")
end

-- A world of no tasks loads and has none; sealing it once sorted and
-- copied a NULL array of none, which UBSan (the sanitizer pass) refuses.
function TestDeclare.test_a_world_of_no_tasks()
  local w = p.world { tasks = {} }
  local s, _, errno = w:format("status", 1)
  lu.assertNil(s)
  lu.assertEquals(errno, 3) -- ESRCH
  lu.assertStrContains(w:format("loadavg"), "/")
end

function TestDeclare.test_examples_load()
  for _, name in ipairs { "minimal", "container", "edge_cases" } do
    local w = dofile(testenv.src() .. "/examples/worlds/" .. name .. ".lua")
    lu.assertNotNil(w:format("status", 1), name)
  end
end

-- Through a mount: the same world seen by the kernel's VFS.
TestMounted = {}

local world_file = suite.once(function()
  return write_temp("world.lua", [[
local p = require "proclua"
return p.world { tasks = {
  { pid = 1, argv = { "/sbin/init" } },
  { pid = 20, ppid = 1, argv = { "server", "-v" }, threads = { { tid = 21, comm = "worker" } } },
  { pid = 30, ppid = 1, argv = { "doomed" } },
  { pid = 14, ppid = 1, zombie = true, argv = { "gone" } },
} }
]])
end)

-- A layout whose root file `vanish-30` makes task 30 vanish when read.
local mount = suite.once(function()
  local layout = write_temp("vanish_layout.lua", [[
local p = require "proclua"
local base = dofile(os.getenv("PROCLUA_SRC") .. "/scripts/proc.lua")
local root = { p.link("self", "self"), p.link("thread-self", "thread_self"),
  p.file("vanish-30", "0444", function()
    return tostring(p.mounted_world():vanish(30)) .. "\n"
  end),
  p.file("zombify-20", "0444", function()
    return tostring(p.mounted_world():zombify(20)) .. "\n"
  end) }
local task = { p.dir("private", "0500", { p.stub("secret", "0444", "s3cret\n") }) }
for _, e in ipairs(base.task) do task[#task + 1] = e end
return p.layout { root = root, task = task }
]])
  local m = mnt.start { layout = layout, args = { "--world", world_file() } }
  suite.defer("unmount the world", function() return m:stop() end)
  return m
end)

local function read(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s, rerr = f:read("a")
  f:close()
  return s, rerr
end

function TestMounted.test_root_lists_the_world()
  local names = list_dir(mount():path(""))
  table.sort(names)
  lu.assertEquals(names, { "1", "14", "20", "30", "self", "thread-self", "vanish-30", "zombify-20" })
  local tasks = list_dir(mount():path("20/task"))
  table.sort(tasks)
  lu.assertEquals(tasks, { "20", "21" })
  lu.assertEquals(read(mount():path("20/task/21/comm")), "worker\n")
  lu.assertEquals(read(mount():path("20/cmdline")), "server\0-v\0")
end

function TestMounted.test_offsets_past_the_end_read_nothing()
  local f = assert(io.open(mount():path("20/cmdline"), "rb"))
  f:seek("set", 8)
  lu.assertEquals(f:read("a"), "v\0")
  f:seek("set", 100)
  lu.assertEquals(f:read("a"), "")
  f:close()
end

function TestMounted.test_zombie_files()
  lu.assertEquals(read(mount():path("14/cmdline")), "")
  local s, err = read(mount():path("14/environ"))
  lu.assertNil(s)
  lu.assertStrContains(err, "No such process")
  lu.assertStrContains(read(mount():path("14/status")), "State:\tZ (zombie)\n")
end

function TestMounted.test_vanished_task()
  local before = assert(io.open(mount():path("30/status"), "rb"))
  local env = assert(io.open(mount():path("30/environ"), "rb"))
  lu.assertEquals(read(mount():path("vanish-30")), "true\n")
  -- opened before, read after: status is made at the first read, as a
  -- seq_file is, so it finds the task gone; environ reads as empty
  local s, err = before:read("a")
  before:close()
  lu.assertNil(s)
  lu.assertStrContains(err, "No such process")
  lu.assertEquals(env:read("a"), "")
  env:close()
  local s, err = read(mount():path("30/status"))
  lu.assertNil(s)
  lu.assertStrContains(err, "No such file or directory")
  local names = list_dir(mount():path(""))
  for _, n in ipairs(names) do lu.assertNotEquals(n, "30") end
end

-- A world's task entries are cached by the kernel until the world changes
-- (README, "FUSE options"): names and attributes learnt before a change
-- must not outlive it.
function TestMounted.test_zombified_task_drops_cached_names()
  local m = mount()
  lu.assertEquals(read(m:path("20/task/21/comm")), "worker\n")
  lu.assertEquals(read(m:path("21/comm")), "worker\n") -- a thread's hidden /proc/<tid>
  lu.assertStrContains(read(m:path("20/status")), "State:\tS (sleeping)\n")
  lu.assertEquals(read(m:path("zombify-20")), "true\n")
  lu.assertStrContains(read(m:path("20/status")), "State:\tZ (zombie)\n")
  lu.assertEquals(list_dir(m:path("20/task")), { "20" })
  for _, gone in ipairs { "20/task/21/comm", "21/comm", "21" } do
    local s, err = read(m:path(gone))
    lu.assertNil(s, gone)
    lu.assertStrContains(err, "No such file or directory")
  end
end

-- What lies behind a directory not everyone may search is looked up for
-- each caller: root's walk must not open the way for others.
function TestMounted.test_private_directory_is_searched_per_caller()
  local m = mount()
  local path = m:path("1/private/secret")
  lu.assertEquals(read(path), "s3cret\n")
  lu.assertEquals(probe.read({ path }, { uid = 65534 }), { "open:EACCES" })
  lu.assertEquals(read(path), "s3cret\n")
end

-- Task facts in Lua files: each group is loaded on first use (stat's fields
-- from stat, the credentials from status), in either order, for a thread
-- directory too; an unknown name is nil; a task gone before its facts are
-- read fails the read with EIO, logged at the script's line.
TestLuaFacts = {}

local facts_mount = suite.once(function()
  local world = write_temp("facts_world.lua", [[
local p = require "proclua"
return p.world { tasks = {
  { pid = 1, argv = { "/sbin/init" } },
  { pid = 40, ppid = 1, pgrp = 40, session = 1, comm = "facts", state = "S", nice = 5,
    starttime = 1234, vsize = 8192000, rss = 100,
    uid = { 1000, 1001, 1002, 1003 }, gid = { 100, 101, 102, 103 },
    argv = { "facts" }, threads = { { tid = 41, comm = "helper" } },
    exe = "/opt/facts", cwd = "/srv", cap_eff = "0x8000000000000001", wchan = "do_wait",
    rchar = 4242, oom_score_adj = -500, groups = { 4, 27 }, ns = { net = 4026532000 },
    rates = { syscw = 0 }, status_extra = { { after = "Gid", line = "Vendor:\t1" } },
    cpus_allowed = "f", maps = "00400000-00401000 r-xp 00000000 08:01 12                                 /opt/facts\n" },
  { pid = 50, ppid = 1, argv = { "doomed" } },
} }
]])
  local layout = write_temp("facts_layout.lua", [[
local p = require "proclua"
return p.layout { task = {
  p.dir("task", "0555", "task", { only = "tgid" }),
  p.file("facts", "0444", function(task)
    return ("%d %d %s %s %d %d %d %d %d %d %d %d\n"):format(task.pid, task.tid, task.comm,
      task.state, task.ppid, task.pgrp, task.session, task.nice, task.num_threads,
      task.starttime, task.vsize, task.rss)
  end),
  p.file("creds", "0444", function(task)
    return ("%d %d %d %d %s\n"):format(task.uid, task.euid, task.gid, task.egid, task.comm)
  end),
  p.file("unknown", "0444", function(task) return tostring(task.colour) .. "\n" end),
  p.file("every", "0444", function(task)
    local out = {}
    for _, name in ipairs(p.facts) do
      local v = task[name]
      if type(v) == "table" then v = "table" end
      out[#out + 1] = ("%s=%s\n"):format(name, tostring(v))
    end
    return table.concat(out)
  end),
  p.file("some", "0444", function(task)
    return ("%s %s %s %s %d %d %s %d %d %s|%s"):format(task.exe, task.cwd, task.cap_eff,
      task.wchan, task.rchar, task.oom_score_adj, table.concat(task.groups, ","),
      task.ns.net, task.nspid[1], task.cpus_allowed, task.maps)
  end),
  p.file("vanish", "0444", function(task)
    p.mounted_world():vanish(task.pid)
    return task.comm -- the line the error names
  end),
} }
]])
  local m = mnt.start { layout = layout, args = { "--world", world } }
  suite.defer("unmount the facts world", function() return m:stop() end)
  return m
end)

function TestLuaFacts.test_stat_facts()
  local m = facts_mount()
  lu.assertEquals(read(m:path("40/facts")), "40 40 facts S 1 40 1 5 2 1234 8192000 100\n")
  lu.assertEquals(read(m:path("40/task/41/facts")), "40 41 helper S 1 40 1 5 2 1234 8192000 100\n")
end

function TestLuaFacts.test_status_facts_then_a_stat_fact()
  local m = facts_mount()
  lu.assertEquals(read(m:path("40/creds")), "1000 1001 100 101 facts\n")
  lu.assertEquals(read(m:path("40/task/41/creds")), "1000 1001 100 101 helper\n")
end

-- Every fact a world can declare, a Lua file reads under the same name.
function TestLuaFacts.test_every_fact_is_readable()
  local m = facts_mount()
  local text = read(m:path("40/every"))
  local p = require "proclua"
  lu.assertTrue(#p.facts > 100)
  for _, name in ipairs(p.facts) do
    lu.assertNotStrContains(text, name .. "=nil\n")
    lu.assertStrContains(text, name .. "=")
  end
  lu.assertEquals(read(m:path("40/some")), "/opt/facts /srv 0x8000000000000001 do_wait 4242 -500 4,27 "
    .. "4026532000 40 f|00400000-00401000 r-xp 00000000 08:01 12                                 /opt/facts\n")
end

function TestLuaFacts.test_an_unknown_name_is_nil()
  lu.assertEquals(read(facts_mount():path("40/unknown")), "nil\n")
end

function TestLuaFacts.test_a_fact_of_a_vanished_task_fails_at_the_script_line()
  local m = facts_mount()
  local s, err = read(m:path("50/vanish"))
  lu.assertNil(s)
  lu.assertStrContains(err, "Input/output error")
  local line = 0
  for l in io.lines(tmp() .. "/facts_layout.lua") do
    line = line + 1
    if l:find("the line the error names", 1, true) then break end
  end
  lu.assertStrContains(m:log(),
    ("proclua: lua file failed: %s/facts_layout.lua:%d: task 50: No such process\n"):format(tmp(), line))
end

-- Rates: a world's counters move on as time passes, and a reader that
-- reads one fd again from offset 0 (as top and psutil do) sees them move,
-- as Linux's seq_files show a file anew at each read from the start.
TestRates = {}

local function monotonic()
  local f = assert(io.open("/proc/uptime"))
  local up = tonumber(f:read("a"):match("^(%S+)"))
  f:close()
  return up
end

function TestRates.test_counters_move_at_their_rates_and_a_reread_shows_it()
  local world = write_temp("rates_world.lua", [[
local p = require "proclua"
return p.world {
  machine = { cpus = 2, uptime = 1000, rates = { user = 120, system = 30 } },
  tasks = { { pid = 1, argv = { "init" } },
            { pid = 5, ppid = 1, argv = { "burn" }, state = "R", utime = 100,
              rates = { utime = 90, stime = 10, rchar = 1000 } },
            { pid = 6, ppid = 1, argv = { "zombie" }, zombie = true, utime = 7, rates = { utime = 50 } } } }
]])
  local m = mnt.start { args = { "--world", world } }
  local ok, err = pcall(function()
    local function fields(text, a, b)
      local f = {}
      for w in text:gmatch("%S+") do f[#f + 1] = w end
      return tonumber(f[a]), tonumber(f[b])
    end
    local stat = assert(io.open(m:path("5/stat")))
    local mstat = assert(io.open(m:path("stat")))
    local t0 = monotonic()
    local u0, s0 = fields(stat:read("a"), 14, 15)
    local cpu0 = mstat:read("l")
    lu.assertTrue(u0 >= 100)
    sh.sleep(1.0)
    stat:seek("set", 0)
    mstat:seek("set", 0)
    local u1, s1 = fields(stat:read("a"), 14, 15)
    local lines = {}
    for l in mstat:read("a"):gmatch("[^\n]+") do lines[#lines + 1] = l end
    local dt = monotonic() - t0
    stat:close()
    mstat:close()
    -- 90 and 10 ticks a second, give or take the reads' own time
    lu.assertTrue(u1 - u0 >= math.floor(90 * (dt - 0.1)) and u1 - u0 <= math.ceil(90 * (dt + 0.1)),
      ("utime %d -> %d in %.2f s"):format(u0, u1, dt))
    lu.assertTrue(s1 - s0 >= math.floor(10 * (dt - 0.1)) and s1 - s0 <= math.ceil(10 * (dt + 0.1)))
    -- the cpu total is its cpus' sum; idle gains what user and system leave
    local function nums(l) local t = {} for n in l:gmatch("%d+") do t[#t + 1] = tonumber(n) end return t end
    local total, c0, c1 = nums(lines[1]), nums(lines[2]), nums(lines[3])
    for f = 1, 10 do lu.assertEquals(total[f], c0[f + 1] + c1[f + 1], "field " .. f) end
    local before = nums(cpu0)
    lu.assertTrue(total[1] - before[1] >= math.floor(120 * (dt - 0.1)), "user moves")
    lu.assertTrue(total[4] - before[4] >= math.floor(50 * (dt - 0.1)), "idle moves by what is left")
    lu.assertTrue(tonumber(fsx.read(m:path("uptime")):match("^(%S+)")) >= 1000 + dt - 0.2)
    -- a zombie's counters stand still
    lu.assertEquals(select(1, fields(fsx.read(m:path("6/stat")), 14, 15)), 7)
    lu.assertStrMatches(fsx.read(m:path("5/io")), "^rchar: %d+\n.*")
    m:check()
  end)
  local problems = m:stop()
  if not ok then error(err, 0) end
  lu.assertEquals(problems, {})
end

function TestRates.test_declarations()
  local function fails(tasks, machine)
    local ok, e = pcall(p.world, { tasks = tasks, machine = machine })
    lu.assertFalse(ok)
    return e
  end
  lu.assertStrContains(fails({ { pid = 1, rates = { utme = 5 } } }), "rates.utme is no counter (did you mean 'utime'?)")
  lu.assertStrContains(fails({ { pid = 1, rates = { utime = -1 } } }), "rates.utime must be an integer")
  lu.assertStrContains(fails({ { pid = 1 } }, { cpus = 1, rates = { user = 90, system = 20 } }),
    "rates add up to 110 ticks a second, more than cpus * 100 (100)")
  lu.assertStrContains(fails({ { pid = 1 } }, { rates = { idle = 5 } }), "rates.idle is no cpu field")
end

-- A vendor's status line (RHEL 6's Utrace:) declared where it stands.
TestStatusExtra = {}

function TestStatusExtra.test_a_vendor_line_stands_after_the_line_named()
  local ok, e = pcall(p.world, { tasks = { { pid = 1, status_extra = { { after = "Gid", line = "Utrace:\t0" },
                                                                      { line = "First:\t1" } } } } })
  lu.assertFalse(ok)
  lu.assertStrContains(e, "status_extra[2] comes before the one ahead of it")
  local w = p.world { tasks = { { pid = 1, argv = { "init" },
    status_extra = { { line = "First:\t1" }, { after = "Gid", line = "Utrace:\t0" } } } } }
  local text = w:format("status", 1)
  lu.assertStrMatches(text, "^First:\t1\nName:\t.*")
  lu.assertStrContains(text, "\nGid:\t0\t0\t0\t0\nUtrace:\t0\nFDSize:")
  ok, e = pcall(p.world, { tasks = { { pid = 1, status_extra = { { after = "Gid", line = "Uid:\t5" } } } } })
  lu.assertFalse(ok)
  lu.assertStrContains(e, "status_extra[1]: Uid is a line status prints itself")
  ok, e = pcall(p.world, { tasks = { { pid = 1, status_extra = { { line = "no tab" } } } } })
  lu.assertFalse(ok)
  lu.assertStrContains(e, 'status_extra[1].line must be one line "Key:\\tvalue"')
end

suite.run()
