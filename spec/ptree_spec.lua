-- p.tree: the tree a mount serves, answered in-process through the same core
-- calls as the FUSE front end, without FUSE and without root.  This spec runs
-- as an unprivileged user (started as root, it runs itself again as nobody
-- with no capability) and mounts nothing.
--
-- Over a world the expected bytes are written out by hand from Linux's
-- formats (the same lines world_spec checks through world:format); over the
-- host, what the kernel gives this same unprivileged process.
local sh = require "sh"
local testenv = require "testenv"

local NOBODY = 65534

local function status_field(name)
  local f = assert(io.open("/proc/self/status"))
  local text = f:read("a")
  f:close()
  return text:match("\n" .. name .. ":\t([^\n]*)")
end

if status_field("Uid"):match("^(%d+)") == "0" then
  -- Root: run this spec again as nobody, with every capability dropped,
  -- and exit with its status.
  local argv = { "setpriv", "--reuid=" .. NOBODY, "--regid=" .. NOBODY, "--clear-groups",
                 "--inh-caps=-all", "--bounding-set=-all", "--" }
  for _, w in ipairs(testenv.lua(arg[0])) do argv[#argv + 1] = w end
  local ok, how, code = os.execute(sh.clean_env .. sh.join(argv))
  os.exit(ok and 0 or (how == "exit" and code or 1))
end

local lu = require "luaunit"
local p = require "proclua"
local suite = require "suite"

local function bytes(s) return s and (s:gsub("%z", "\\0")) or s end
local function octal(s) return tonumber(s, 8) end

-- The world every test reads from (a fresh one each time: some change it).
local status_task = {
  pid = 5, ppid = 1, comm = "back\\slash\nnl", uid = { 1000, 1001, 1002, 1003 },
  gid = { 100, 101, 102, 103 }, groups = { 4, 27 }, umask = "0077", rss_anon = 10,
  rss_file = 20, rss_shmem = 1, data_vm = 50, stack_vm = 33, sig_blocked = 0x10000,
  cap_prm = "0x1ffffffffff", cpus = 4, nvcsw = 7, nivcsw = 8, threads = { { tid = 6 } },
}
local stat_task = {
  pid = 42, ppid = 1, pgrp = 42, session = 42, comm = "a) (b", state = "R", tty_nr = 34816,
  tpgid = 42, flags = 4194560, minflt = 10, cminflt = 11, majflt = 12, cmajflt = 13,
  utime = 14, stime = 15, cutime = 16, cstime = 17, starttime = 1000, vsize = 8192000, rss = 100,
  start_code = 0x400000, end_code = 0x401000, start_stack = 0x7ffc0000, sig_caught = 0x4000,
  processor = 1, blkio_ticks = 3, start_data = 0x402000, end_data = 0x403000,
  start_brk = 0x404000, arg_start = 0x7ffc1000, arg_end = 0x7ffc1010, env_start = 0x7ffc1010,
  env_end = 0x7ffc1020,
}
local function world()
  return p.world { tasks = {
    { pid = 1, argv = { "/sbin/init" } },
    status_task,
    { pid = 7, ppid = 1, uid = 1000, gid = 1000, argv = { "app", "--port=80" },
      env = { "HOME=/home/u", "TOKEN=s3cret" }, exe = "/usr/bin/app" },
    { pid = 9, ppid = 1, argv = { "gone" } },
    stat_task,
  } }
end

local OWNER = { uid = 1000 }            -- task 7's owner
local STRANGER = { uid = 1001 }         -- anyone else
local stock = require "proclua.stock"

-- The names a directory of the stock layout lists: its declarations in
-- order, those marked only for the other kind of task directory left out.
local function declared(list, tid_dir)
  local names = {}
  for _, d in ipairs(list) do
    if d.only == 0 or d.only == (tid_dir and 2 or 1) then names[#names + 1] = d.name end
  end
  return names
end

local function append(list, more)
  local out = { table.unpack(list) }
  for _, v in ipairs(more) do out[#out + 1] = v end
  return out
end

------------------------------------------------------------------------------

TestUnprivileged = {}

-- What the rest stands on: no root, no capability, no FUSE.
function TestUnprivileged.test_runs_as_nobody_without_capabilities_or_fuse()
  lu.assertEquals(status_field("Uid"), ("%d\t%d\t%d\t%d"):format(NOBODY, NOBODY, NOBODY, NOBODY))
  lu.assertEquals(status_field("CapEff"), "0000000000000000")
  lu.assertEquals(status_field("CapPrm"), "0000000000000000")
  local t = p.tree { world = world() }
  lu.assertEquals(t:read("/7/cmdline"), "app\0--port=80\0")
  -- nothing of the process is a FUSE connection
  local h = assert(io.popen("ls -l /proc/self/fd/ 2>/dev/null"))
  lu.assertNotStrContains(h:read("a"), "/dev/fuse")
  h:close()
end

------------------------------------------------------------------------------
-- The stock layout over a world

TestStockRead = {}

function TestStockRead.test_stat_whole_for_root_masked_for_a_reader_without_ptrace()
  local t = p.tree { world = world() }
  lu.assertEquals(t:read("/42/stat"),
    "42 (a) (b) R 1 42 42 34816 42 4194560 10 11 12 13 14 15 16 17 20 0 1 0 1000 8192000 100 "
    .. "18446744073709551615 4194304 4198400 2147221504 0 0 0 0 0 16384 0 0 0 17 1 0 0 3 0 0 "
    .. "4202496 4206592 4210688 2147225600 2147225616 2147225616 2147225632 0\n")
  lu.assertEquals(t:read("/42/stat", OWNER),
    "42 (a) (b) R 1 42 42 34816 42 4194560 10 11 12 13 14 15 16 17 20 0 1 0 1000 8192000 100 "
    .. "18446744073709551615 1 1 0 0 0 0 0 0 16384 0 0 0 17 1 0 0 3 0 0 0 0 0 0 0 0 0 0\n")
end

function TestStockRead.test_status_every_line()
  local t = p.tree { world = world() }
  local mems = string.rep("00000000,", 31) .. "00000001"
  lu.assertEquals(t:read("/5/status", STRANGER), table.concat({
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

-- cmdline has no check; environ asks PTRACE_MODE_READ of the reader.
function TestStockRead.test_cmdline_for_anyone_environ_for_those_who_may_ptrace()
  local t = p.tree { world = world() }
  local env = "HOME=/home/u\0TOKEN=s3cret\0"
  lu.assertEquals(bytes(t:read("/7/cmdline", STRANGER)), "app\\0--port=80\\0")
  lu.assertEquals(t:read("/7/environ"), env)                       -- root
  lu.assertEquals(t:read("/7/environ", OWNER), env)                -- its owner
  lu.assertEquals(t:read("/7/task/7/environ", OWNER), env)
  lu.assertEquals({ t:read("/7/environ", STRANGER) }, { nil, "EACCES" })
  lu.assertEquals({ t:read("/7/environ", { uid = 1000, gid = 1001 }) }, { nil, "EACCES" })
  -- CAP_SYS_PTRACE passes the ptrace check, not the file's mode (0400)
  lu.assertEquals({ t:read("/7/environ", { uid = 1001, caps = { "CAP_SYS_PTRACE" } }) },
                  { nil, "EACCES" })
  lu.assertEquals(t:read("/7/environ", { uid = 1001, caps = { "CAP_SYS_PTRACE",
                                                              "CAP_DAC_READ_SEARCH" } }), env)
  -- root without CAP_SYS_PTRACE: uid 0 owns no task of uid 1000
  lu.assertEquals({ t:read("/7/environ", { uid = 0, caps = { "CAP_DAC_OVERRIDE" } }) },
                  { nil, "EACCES" })
end

function TestStockRead.test_links()
  local t = p.tree { world = world() }
  lu.assertEquals(t:readlink("/7/exe"), "/usr/bin/app")
  lu.assertEquals(t:readlink("/7/exe", OWNER), "/usr/bin/app")
  lu.assertEquals({ t:readlink("/7/exe", STRANGER) }, { nil, "EACCES" })
  -- self: the world's own self (its lowest pid) for a caller it does not
  -- contain, the caller's task for a caller that is one
  lu.assertEquals(t:readlink("/self"), "1")
  lu.assertEquals(t:readlink("/self", { uid = 1000, pid = 7 }), "7")
  lu.assertEquals(t:readlink("/thread-self", { pid = 6 }), "5/task/6")
  lu.assertEquals(t:readlink("/mounts"), "self/mounts")
  -- followed as the kernel follows them: mounts -> self/mounts -> 7/mounts
  lu.assertEquals(t:read("/mounts", { pid = 7 }), t:read("/7/mounts"))
  lu.assertEquals(t:read("/self/cmdline", { uid = 1000, pid = 7 }), "app\0--port=80\0")
  lu.assertEquals(t:read("/thread-self/comm", { pid = 6 }), "back\\slash\nnl\n")
  -- an absolute target leaves the tree: readlink and lstat show the link
  lu.assertEquals({ t:read("/7/exe") }, { nil, "EXDEV" })
  lu.assertEquals(t:lstat("/7/exe"),
    { mode = octal("120777"), uid = 1000, gid = 1000, nlink = 1, ino = t:lstat("/7/exe").ino,
      size = 0, type = "link" })
  -- "." and "..", and the root's ".." is the root
  lu.assertEquals(t:read("/7/../7/./task/7/../../cmdline"), "app\0--port=80\0")
  lu.assertEquals(t:read("/../../7/cmdline"), "app\0--port=80\0")
  lu.assertEquals(t:read("/self/../7/cmdline"), "app\0--port=80\0")
end

function TestStockRead.test_what_a_walk_refuses()
  local t = p.tree { world = world() }
  lu.assertEquals({ t:read("/7/nope") }, { nil, "ENOENT" })
  lu.assertEquals({ t:read("/77/stat") }, { nil, "ENOENT" })
  lu.assertEquals({ t:read("/07/stat") }, { nil, "ENOENT" })   -- not a pid name
  lu.assertEquals({ t:read("/7/stat/") }, { nil, "ENOTDIR" })
  lu.assertEquals({ t:read("/7/stat/x") }, { nil, "ENOTDIR" })
  lu.assertEquals({ t:read("/7/task") }, { nil, "EISDIR" })
  lu.assertEquals({ t:read("/7/" .. string.rep("x", 256)) }, { nil, "ENAMETOOLONG" })
  -- fd/ is 0500: a stranger may not search it
  lu.assertEquals({ t:list("/7/fd", STRANGER) }, { nil, "EACCES" })
  lu.assertEquals({ t:readlink("/7/fd/0", STRANGER) }, { nil, "EACCES" })
  lu.assertEquals({ t:readlink("/7/stat") }, { nil, "EINVAL" })
  lu.assertEquals({ t:list("/7/stat") }, { nil, "ENOTDIR" })
end

function TestStockRead.test_list_in_readdir_order()
  local t = p.tree { world = world() }
  lu.assertEquals(t:list("/"), append(declared(stock.root), { "1", "5", "7", "9", "42" }))
  lu.assertEquals(t:list("/7"), declared(stock.task, false))
  lu.assertEquals(t:list("/7/task/7"), declared(stock.task, true))
  lu.assertEquals(t:list("/5/task"), { "5", "6" })
  lu.assertEquals(t:list("/7/ns"), { "net", "uts", "ipc", "pid", "pid_for_children", "user", "mnt",
                                     "cgroup", "time", "time_for_children" })
  lu.assertEquals(t:list("/7/fd", OWNER), { "0", "1", "2" })
  -- what only= keeps out of each
  lu.assertNotTableContains(t:list("/7"), "children")
  lu.assertTableContains(t:list("/7/task/7"), "children")
  lu.assertNotTableContains(t:list("/7/task/7"), "task")
end

function TestStockRead.test_stat_modes_owners_links()
  local t = p.tree { world = world() }
  local subdirs = 0
  for _, d in ipairs(stock.task) do
    if type(d.children) == "table" or d.kind == 6 or d.kind == 7 or d.kind == 8 or d.kind == 11 then
      subdirs = subdirs + 1
    end
  end
  local function attrs(path, caller)
    local st = assert(t:stat(path, caller))
    return { ("%o"):format(st.mode), st.uid, st.gid, st.nlink, st.type }
  end
  lu.assertEquals(attrs("/"), { "40555", 0, 0, 2 + #stock.root, "dir" })
  lu.assertEquals(attrs("/7"), { "40555", 1000, 1000, 2 + subdirs, "dir" })
  lu.assertEquals(attrs("/7/environ"), { "100400", 1000, 1000, 1, "file" })
  lu.assertEquals(attrs("/7/fd"), { "40500", 1000, 1000, 2, "dir" })
  lu.assertEquals(attrs("/7/oom_score_adj"), { "100644", 1000, 1000, 1, "file" })
  lu.assertEquals(attrs("/42/stat"), { "100444", 0, 0, 1, "file" })
  -- a task's files belong to its effective ids
  lu.assertEquals(attrs("/5/status"), { "100444", 1001, 101, 1, "file" })
  lu.assertEquals(attrs("/self"), { "40555", 0, 0, 2 + subdirs, "dir" })   -- followed: /1
  lu.assertEquals(t:lstat("/self").type, "link")
  lu.assertEquals(("%o"):format(t:lstat("/self").mode), "120777")
  lu.assertEquals(t:stat("/7/task/7/stat").ino, t:stat("/7/task/7/stat").ino)
  lu.assertNotEquals(t:stat("/7/stat").ino, t:stat("/7/task/7/stat").ino)
  lu.assertEquals({ t:stat("/7/nope") }, { nil, "ENOENT" })
end

------------------------------------------------------------------------------

TestStockWrite = {}

-- oom_score_adj: Linux's rules (__set_oom_adj) for each writer, the value
-- read back; a refused write changes nothing.
function TestStockWrite.test_oom_score_adj()
  local t = p.tree { world = world() }
  lu.assertEquals(t:read("/7/oom_score_adj"), "0\n")
  lu.assertEquals(t:write("/7/oom_score_adj", "500\n"), 4)
  lu.assertEquals(t:read("/7/oom_score_adj"), "500\n")
  lu.assertEquals(t:read("/7/task/7/oom_score_adj", OWNER), "500\n")
  -- root's write (CAP_SYS_RESOURCE) made 500 the floor for its owner
  lu.assertEquals({ t:write("/7/oom_score_adj", "400", OWNER) }, { nil, "EACCES" })
  lu.assertEquals(t:write("/7/oom_score_adj", "600", OWNER), 3)
  lu.assertEquals(t:read("/7/oom_score_adj"), "600\n")
  -- the mode: others may not open it for writing
  lu.assertEquals({ t:write("/7/oom_score_adj", "700", STRANGER) }, { nil, "EACCES" })
  -- malformed or out of range
  lu.assertEquals({ t:write("/7/oom_score_adj", "abc") }, { nil, "EINVAL" })
  lu.assertEquals({ t:write("/7/oom_score_adj", "1001") }, { nil, "EINVAL" })
  lu.assertEquals(t:read("/7/oom_score_adj"), "600\n")
  -- a file without a write method opens for writing where its mode lets
  -- the writer (root, by CAP_DAC_OVERRIDE), and refuses the write itself
  lu.assertEquals({ t:write("/7/stat", "x") }, { nil, "EINVAL" })
  lu.assertEquals({ t:write("/7/stat", "x", OWNER) }, { nil, "EACCES" })
  lu.assertEquals({ t:write("/7/task", "x") }, { nil, "EISDIR" })
end

------------------------------------------------------------------------------

TestWorldChanges = {}

-- zombify and vanish on the world a tree serves show at the next read.
function TestWorldChanges.test_zombify_then_vanish()
  local w = world()
  local t = p.tree { world = w }
  lu.assertEquals(t:read("/9/cmdline"), "gone\0")
  lu.assertTrue(w:zombify(9))
  lu.assertEquals(t:read("/9/stat"),
    "9 (gone) Z 1 9 9 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 0 0 0 18446744073709551615 "
    .. "0 0 0 0 0 0 0 0 0 1 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n")
  lu.assertStrContains(t:read("/9/status"), "\nState:\tZ (zombie)\n")
  lu.assertEquals(t:read("/9/cmdline"), "")
  lu.assertEquals({ t:read("/9/environ") }, { nil, "ESRCH" })   -- no mm to open
  lu.assertTrue(w:vanish(9))
  lu.assertEquals({ t:read("/9/stat") }, { nil, "ENOENT" })
  lu.assertEquals(t:list("/"), append(declared(stock.root), { "1", "5", "7", "42" }))
  -- a tree keeps its world: collected with nothing else holding it, the
  -- world's model stays readable
  t = p.tree { world = world() }
  collectgarbage()
  collectgarbage()
  lu.assertEquals(t:world():format("cmdline", 7), "app\0--port=80\0")
end

------------------------------------------------------------------------------
-- A layout of one's own: Lua files, stubs, hidden entries

local notes
local function custom_layout()
  notes = {}
  local task = p.edit(stock.task, {
    environ = false,                                         -- hidden
    cmdline = p.file("cmdline", "0444", function(task) return task.comm .. "\n" end),
  })
  task[#task + 1] = p.stub("role", "0440", "web\n")
  task[#task + 1] = p.file("owner", "0444", function(task) return task.uid .. "\n" end)
  return p.layout {
    root = {
      p.stub("motd", "0444", "welcome\n"),
      p.link("self", "self"),
      p.file("notes", "0666", function() return table.concat(notes) end, {
        write = function(_, text, _, caller)
          if #notes >= 2 then return "ENOSPC" end
          notes[#notes + 1] = ("%d %s %s\n"):format(caller.uid, caller.pid or "-", text)
        end,
      }),
      p.file("broken", "0444", function() error("no such thing") end),
      p.file("nested", "0444", function() return p.tree {}:read("/self/stat") end),
    },
    task = task,
  }
end

TestCustomLayout = {}

function TestCustomLayout.test_stubs_and_lua_files()
  local t = p.tree { layout = custom_layout(), world = world() }
  lu.assertEquals(t:read("/motd"), "welcome\n")
  lu.assertEquals(("%o"):format(t:stat("/motd").mode), "100444")
  lu.assertEquals(t:read("/7/cmdline"), "app\n")
  lu.assertEquals(t:read("/5/task/6/cmdline"), "back\\slash\nnl\n")
  lu.assertEquals(t:read("/7/owner"), "1000\n")
  -- a stub's mode holds as a builtin's: 0440, owned by the task's owner
  lu.assertEquals(t:read("/7/role", OWNER), "web\n")
  lu.assertEquals({ t:read("/7/role", STRANGER) }, { nil, "EACCES" })
  lu.assertEquals({ ("%o"):format(t:stat("/7/role").mode), t:stat("/7/role").uid }, { "100440", 1000 })
end

function TestCustomLayout.test_a_hidden_entry_is_absent()
  local t = p.tree { layout = custom_layout(), world = world() }
  lu.assertNotTableContains(t:list("/7"), "environ")
  lu.assertNotTableContains(t:list("/7/task/7"), "environ")
  lu.assertEquals({ t:read("/7/environ") }, { nil, "ENOENT" })
  lu.assertEquals({ t:stat("/7/environ") }, { nil, "ENOENT" })
  lu.assertEquals(t:list("/"), { "motd", "self", "notes", "broken", "nested", "1", "5", "7", "9", "42" })
end

function TestCustomLayout.test_a_write_function_and_its_caller()
  local t = p.tree { layout = custom_layout(), world = world() }
  lu.assertEquals(t:write("/notes", "hello", { uid = 1000, pid = 7 }), 5)
  lu.assertEquals(t:write("/notes", "again"), 5)
  lu.assertEquals({ t:write("/notes", "full") }, { nil, "ENOSPC" })
  lu.assertEquals(t:read("/notes"), "1000 7 hello\n0 - again\n")
end

-- A Lua file gets its reader; task:read, task.argv and task.environ answer
-- as that reader would be answered, and check = "ptrace_read" refuses the
-- file where environ is refused.
function TestCustomLayout.test_the_reader_and_task_read()
  local layout = p.layout {
    root = { p.link("self", "self") },
    task = {
      p.file("environ", "0400", "environ"),
      p.file("who", "0444", function(task, caller)
        return ("%d %d %s\n"):format(caller.uid, caller.gid, table.concat(caller.groups, ","))
      end),
      p.file("env_copy", "0444", function(task) return task:read("environ") end),
      p.file("argv", "0444", function(task)
        local e = task.environ
        return table.concat(task.argv, " ") .. " / " .. (e and table.concat(e, " ") or "nil") .. "\n"
      end),
      p.file("guarded", "0444", function() return "ok\n" end, { check = "ptrace_read" }),
      p.file("mine", "0444", function() return "mine\n" end,
             { check = function(task, caller) return caller.uid == task.uid end }),
    },
  }
  local t = p.tree { layout = layout, world = world() }
  lu.assertEquals(t:read("/7/who", { uid = 1001, gid = 5, groups = { 6, 7 } }), "1001 5 6,7\n")
  lu.assertEquals(t:read("/7/env_copy"), "HOME=/home/u\0TOKEN=s3cret\0")
  lu.assertEquals(t:read("/7/env_copy", OWNER), "HOME=/home/u\0TOKEN=s3cret\0")
  lu.assertEquals({ t:read("/7/env_copy", STRANGER) }, { nil, "EACCES" })
  lu.assertEquals(t:read("/7/argv", OWNER), "app --port=80 / HOME=/home/u TOKEN=s3cret\n")
  lu.assertEquals(t:read("/7/argv", STRANGER), "app --port=80 / nil\n")
  for _, who in ipairs { OWNER, STRANGER, { uid = 0 }, { uid = 0, caps = {} } } do
    local env = { t:read("/7/environ", who) }
    local guarded = { t:read("/7/guarded", who) }
    if env[1] then lu.assertEquals(guarded, { "ok\n" }) else lu.assertEquals(guarded, env) end
  end
  lu.assertEquals(t:read("/7/mine", OWNER), "mine\n")
  lu.assertEquals({ t:read("/7/mine", STRANGER) }, { nil, "EACCES" })
end

function TestCustomLayout.test_a_failing_lua_file_is_eio_with_its_line()
  local t = p.tree { layout = custom_layout(), world = world() }
  local none, err, msg = t:read("/broken")
  lu.assertNil(none)
  lu.assertEquals(err, "EIO")
  lu.assertStrMatches(msg, ".*ptree_spec%.lua:%d+: no such thing")
  -- a Lua file may not ask a tree itself (the core's scratch is in use)
  none, err, msg = t:read("/nested")
  lu.assertEquals({ none, err }, { nil, "EIO" })
  lu.assertStrContains(msg, "cannot be asked from inside a Lua file")
  -- and the tree serves on
  lu.assertEquals(t:read("/motd"), "welcome\n")
end

-- A layout's pid view: the tasks under root that select chooses (select
-- sees the world's own numbers), renumbered from 1; Lua files see the
-- tree's numbers.
function TestCustomLayout.test_a_view()
  local w = p.world { tasks = {
    { pid = 1, argv = { "/sbin/init" } },
    { pid = 10, ppid = 1, argv = { "box" } },
    { pid = 11, ppid = 10, argv = { "inside" } },
    { pid = 12, ppid = 10, argv = { "hidden" } },
    { pid = 13, ppid = 11, argv = { "deeper" } },
  } }
  local seen = {}
  local t = p.tree { world = w, layout = p.layout {
    root = { p.link("self", "self") },
    task = { p.file("who", "0444", function(task) return task.pid .. " " .. task.comm .. "\n" end) },
    view = { root = 10, select = function(task)
      seen[#seen + 1] = task.pid
      return task.comm ~= "hidden"
    end },
  } }
  lu.assertEquals(t:list("/"), { "self", "1", "2", "3" })
  lu.assertEquals(t:read("/1/who"), "1 box\n")
  lu.assertEquals(t:read("/2/who"), "2 inside\n")
  lu.assertEquals(t:read("/3/who"), "3 deeper\n")
  lu.assertEquals({ t:read("/4/who") }, { nil, "ENOENT" })
  lu.assertTableContains(seen, 12)
end

-- A layout script by path: what the daemon's --layout takes.
function TestCustomLayout.test_a_layout_script_by_path()
  local path = os.tmpname()
  suite.defer("remove " .. path, function() os.remove(path) end)
  local f = assert(io.open(path, "w"))
  f:write('local p = require "proclua"\n',
          'local stock = require "proc"\n',
          'return p.layout { root = stock.root, task = p.edit(stock.task, { stat = false }) }\n')
  f:close()
  local t = p.tree { layout = path, world = world() }
  lu.assertNotTableContains(t:list("/7"), "stat")
  lu.assertEquals(t:read("/7/cmdline"), "app\0--port=80\0")
end

------------------------------------------------------------------------------

TestErrors = {}

-- A mistake in a call is an error at the caller's line.
local function error_of(fn, ...)
  local ok, err = pcall(fn, ...)
  lu.assertFalse(ok)
  return err
end

function TestErrors.test_bad_arguments_name_the_calling_line()
  local t = p.tree { world = world() }
  local line = debug.getinfo(1, "l").currentline + 1
  local ok, err = pcall(function() return t:read("7/stat") end)
  lu.assertFalse(ok)
  lu.assertStrContains(err, "ptree_spec.lua:" .. line .. ": bad argument #1 to 'read' "
    .. "(a path in the tree starts with '/'")
  lu.assertStrContains(error_of(function() return t:read("/7/stat", { uid = -1 }) end),
    "bad argument #2 to 'read' (caller.uid must be an integer from 0 to 4294967294)")
  lu.assertStrContains(error_of(function() return t:read("/7/stat", { user = 1 }) end),
    "unknown caller field 'user' (expected uid, gid, groups, caps, pid)")
  lu.assertStrContains(error_of(function() return t:read("/7/stat", { caps = { "CAP_SYS_PTRAC" } }) end),
    "unknown capability 'CAP_SYS_PTRAC' (did you mean 'CAP_SYS_PTRACE'?)")
  lu.assertStrContains(error_of(function() return t:read("/7/stat", { pid = 8 }) end),
    "caller.pid 8 is no task of the world")
  lu.assertStrContains(error_of(function() return t:write("/7/comm") end),
    "bad argument #2 to 'write' (string expected, got no value)")
  lu.assertStrContains(error_of(function() return p.tree { layout = 3 } end),
    "layout must be a layout (p.layout{...}) or a layout script's path, not number")
  lu.assertStrContains(error_of(function() return p.tree { worlds = world() } end),
    "unknown key 'worlds' (expected layout, world)")
end

-- caps as a mask: CAP_SYS_PTRACE is bit 19, CAP_DAC_READ_SEARCH bit 2
function TestErrors.test_caps_as_a_mask()
  local t = p.tree { world = world() }
  lu.assertEquals(t:read("/7/environ", { uid = 1001, caps = (1 << 19) | (1 << 2) }),
                  "HOME=/home/u\0TOKEN=s3cret\0")
  lu.assertEquals({ t:read("/7/environ", { uid = 1001, caps = 1 << 19 }) }, { nil, "EACCES" })
  lu.assertEquals(t:read("/7/environ", { uid = 1001, caps = "all" }), "HOME=/home/u\0TOKEN=s3cret\0")
end

------------------------------------------------------------------------------
-- The host's tasks, with this unprivileged process's rights

TestHost = {}

local function kernel(path)
  local f, err, errno = io.open(path, "rb")
  if not f then return nil, errno end
  local s, rerr, rerrno = f:read("a")
  f:close()
  if not s then return nil, rerrno end
  return s
end

function TestHost.test_self_is_this_process()
  local t = p.tree {}
  local me = kernel("/proc/self/stat"):match("^(%d+)")
  lu.assertEquals(t:readlink("/self"), me)
  lu.assertEquals(t:read("/self/cmdline"), kernel("/proc/self/cmdline"))
  lu.assertEquals(t:read("/self/environ"), kernel("/proc/self/environ"))
  lu.assertEquals(t:read("/" .. me .. "/limits"), kernel("/proc/self/limits"))
end

-- pid 1 is another user's (root's): its environ is refused by the kernel
-- to this process, and so by the tree.
function TestHost.test_another_users_task()
  local t = p.tree {}
  local _, errno = kernel("/proc/1/environ")
  lu.assertEquals(errno, 13)
  lu.assertEquals({ t:read("/1/environ", { uid = NOBODY }) }, { nil, "EACCES" })
end

suite.run()
