-- Capture of saved /proc trees from other machines: spec/fixtures/saved/
-- holds three, built by hand from the formats of older kernels (its
-- README says what each differs in from today's):
--
--   linux-2.6.32  stat of 44 fields, status without Umask, Ngid, NS*,
--                 VmPin, VmSwap, CapAmb, Seccomp and an empty Groups line
--                 without its space, smaps without Anonymous, Locked or
--                 VmFlags; pids saved with only cmdline, only maps, only
--                 stat; a thread directory with stat and status only.
--   linux-4.9     status with VmPMD and without NoNewPrivs, CoreDumping,
--                 THP_enabled, Speculation_*; smaps in the order before
--                 4.14 with ProtectionKey; fdinfo without ino; ns/ without
--                 pid_for_children and time; a pid whose status holds a
--                 vendor's line (Utrace:), served where it stood; a pid
--                 whose status was cut short, which does not parse.
--   linux-5.4     THPeligible as "%d", FilePmdMapped, no Pss_Dirty or KSM;
--                 smaps_rollup without Pss_Anon/File/Shmem; status without
--                 Seccomp_filters, SpeculationIndirectBranch, Kthread,
--                 untag_mask; a pid saved by a user who may not ptrace it
--                 (stat's addresses masked, no environ, maps or links).
--
-- `proclua capture --proc TREE PID...` of each, mounted with --world, must
-- serve every saved file byte for byte, have exactly the saved entries in
-- every directory (what was not saved is ENOENT), read under psutil
-- (PROCFS_PATH) exactly as the saved tree reads, errors included, and
-- report on stderr what was not saved or not parsed, with file:line.
local lu = require "luaunit"
local compare = require "compare"
local fsx = require "fsx"
local mnt = require "mnt"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local PYTHON = "/usr/bin/python3"
local TREES = { "linux-2.6.32", "linux-4.9", "linux-5.4" }

local function fixture(tree)
  return testenv.src() .. "/spec/fixtures/saved/" .. tree
end

-- Lines of a command's output, sorted: directory listings and find.
local function lines_of(argv)
  local r = sh.run(argv)
  assert(r.code == 0, table.concat(argv, " ") .. ": " .. r.err)
  local out = fsx.lines(r.out)
  table.sort(out)
  return out
end

local function pids_of(tree)
  local pids = {}
  for _, name in ipairs(lines_of { "ls", "-A", fixture(tree) }) do
    if name:match("^%d+$") then pids[#pids + 1] = name end
  end
  return pids
end

local function capture(tree, extra)
  local argv = { testenv.bin(), "capture", "--proc", fixture(tree) }
  for _, a in ipairs(extra or {}) do argv[#argv + 1] = a end
  for _, pid in ipairs(pids_of(tree)) do argv[#argv + 1] = pid end
  return sh.run(argv)
end

local F = suite.once(function()
  local work = fsx.mktemp_dir("proclua-saved")
  suite.defer("remove " .. work, function() assert(fsx.remove_tree(work)) end)
  local f = { work = work, runs = {}, mounts = {} }
  for _, tree in ipairs(TREES) do
    local r = capture(tree)
    f.runs[tree] = r
    local world = work .. "/" .. tree .. ".lua"
    fsx.write(world, r.out)
    local m = mnt.start { args = { "--world", world } }
    suite.defer("unmount " .. tree, function() return m:stop() end)
    f.mounts[tree] = m
  end
  return f
end)

-- The saved tree's files and links (relative paths), and its directories.
local function saved_entries(tree, kind)
  return lines_of { "sh", "-c", "cd " .. sh.quote(fixture(tree)) .. " && find . -mindepth 1 -type " .. kind }
end

-- What the saved tree has at a path, as reading it gives it.
local function outcome(path)
  local r = sh.run { "readlink", path }
  if r.code == 0 then return "link " .. r.out end
  return fsx.outcome(path)
end

-- The files a capture reports it could not parse, relative to the tree.
local UNPARSED = { ["linux-4.9"] = { ["./2204/status"] = true } }

TestSavedTrees = {}

function TestSavedTrees.test_every_saved_file_is_served_byte_for_byte()
  local f = F()
  local problems = {}
  for _, tree in ipairs(TREES) do
    local m = f.mounts[tree]
    local entries = saved_entries(tree, "f")
    for _, l in ipairs(saved_entries(tree, "l")) do entries[#entries + 1] = l end
    lu.assertTrue(#entries > 20, tree)
    for _, rel in ipairs(entries) do
      local saved = outcome(fixture(tree) .. "/" .. rel)
      local served = outcome(m:path(rel:sub(3)))
      local want = (UNPARSED[tree] or {})[rel] and "<error open:ENOENT>" or saved
      if served ~= want then
        problems[#problems + 1] = ("%s %s: %s"):format(tree, rel, compare.describe(want, served))
      end
    end
  end
  lu.assertEquals(problems, {})
end

-- Every directory lists exactly what was saved (an unparsed file is
-- absent too); the per-task files a layout serves but the tree lacks are
-- ENOENT, and so are their directories.
function TestSavedTrees.test_what_was_not_saved_is_absent()
  local f = F()
  local problems = {}
  for _, tree in ipairs(TREES) do
    local m = f.mounts[tree]
    for _, dir in ipairs(saved_entries(tree, "d")) do
      local want = lines_of { "ls", "-A", fixture(tree) .. "/" .. dir }
      local unparsed = UNPARSED[tree] or {}
      for i = #want, 1, -1 do
        if unparsed[dir .. "/" .. want[i]] then table.remove(want, i) end
      end
      local got = lines_of { "ls", "-A", m:path(dir:sub(3)) }
      if table.concat(got, " ") ~= table.concat(want, " ") then
        problems[#problems + 1] = ("%s %s: ls %s, saved %s"):format(tree, dir, table.concat(got, " "),
                                                                   table.concat(want, " "))
      end
    end
  end
  lu.assertEquals(problems, {})
  local m = f.mounts["linux-2.6.32"]
  for _, name in ipairs { "comm", "ns", "ns/net", "auxv", "oom_score_adj", "uid_map", "fdinfo",
                          "mem", "smaps_rollup" } do
    lu.assertEquals(fsx.outcome(m:path("1201/" .. name)), "<error open:ENOENT>", name)
  end
  for _, name in ipairs { "stat", "status", "maps", "environ", "exe", "fd", "task" } do
    lu.assertEquals(fsx.outcome(m:path("1300/" .. name)), "<error open:ENOENT>", name)
  end
  lu.assertEquals(fsx.outcome(m:path("1201/task/1201/cmdline")), "<error open:ENOENT>")
  lu.assertEquals(sh.run({ "readlink", m:path("1302/exe") }).code, 1)
  lu.assertEquals(fsx.outcome(f.mounts["linux-4.9"]:path("2201/ns/time")), "<error open:ENOENT>")
  lu.assertEquals(fsx.outcome(f.mounts["linux-4.9"]:path("2204/status")), "<error open:ENOENT>")
  -- a vendor's status line is served where it stood
  lu.assertStrContains(fsx.read(f.mounts["linux-4.9"]:path("2202/status")), "\nGid:\t0\t0\t0\t0\nUtrace:\t0\nFDSize:")
end

-- psutil, told the saved tree and then the mount as its PROCFS_PATH, says
-- the same of every pid: values, and the exception (with its errno) where
-- a file is missing.  The machine-wide files psutil also reads (stat's
-- btime) are the same on both sides: copied from the mount into a copy of
-- the saved tree.
local PSUTIL = [==[
import sys, psutil
import psutil._pslinux as pslinux
psutil.PROCFS_PATH = sys.argv[1]
def outcome(f):
    try:
        return repr(f())
    except Exception as e:
        return "<%s %s>" % (type(e).__name__, getattr(e, "errno", ""))
print("pids", outcome(psutil.pids))
for pid in [int(a) for a in sys.argv[2:]]:
    print(pid, "Process", outcome(lambda: psutil.Process(pid).name()))
    for m in ("name", "exe", "cmdline", "environ", "status", "ppid", "uids", "gids",
              "num_threads", "threads", "cpu_times", "cpu_num", "memory_info",
              "memory_full_info", "memory_maps", "io_counters", "num_ctx_switches", "cwd",
              "open_files", "num_fds", "create_time"):
        p = pslinux.Process(pid)
        print(pid, m, outcome(getattr(p, m)))
]==]

local function psutil_view(script, root, pids)
  local argv = { PYTHON, script, root }
  for _, pid in ipairs(pids) do argv[#argv + 1] = pid end
  local r = sh.run(argv)
  lu.assertEquals(r.code, 0, "psutil failed: " .. r.err)
  return fsx.lines(r.out)
end

function TestSavedTrees.test_psutil_reads_the_mount_as_the_saved_tree()
  local f = F()
  local script = f.work .. "/psutil_view.py"
  fsx.write(script, PSUTIL)
  for _, tree in ipairs(TREES) do
    local m = f.mounts[tree]
    local copy = f.work .. "/copy-" .. tree
    assert(sh.ok("cp -a " .. sh.quote(fixture(tree)) .. " " .. sh.quote(copy)))
    for _, top in ipairs { "stat", "uptime", "meminfo", "cpuinfo", "loadavg" } do
      fsx.write(copy .. "/" .. top, assert(fsx.read(m:path(top))))
    end
    -- a file that did not parse is absent from the world: from the copy too
    for rel in pairs(UNPARSED[tree] or {}) do assert(os.remove(copy .. "/" .. rel)) end
    local pids = pids_of(tree)
    local saved = psutil_view(script, copy, pids)
    local served = psutil_view(script, m:path(), pids)
    lu.assertTrue(#saved > 20 * #pids)
    for i = 1, math.max(#saved, #served) do
      lu.assertEquals(served[i], saved[i], tree)
    end
  end
  -- what the comparison covered: values, and errors where files are missing
  local view = table.concat(psutil_view(script, f.mounts["linux-4.9"]:path(), { "2201" }), "\n")
  lu.assertStrContains(view, "2201 cmdline ['nginx:', 'master', 'process', '/usr/sbin/nginx', '-g',")
  lu.assertStrContains(view, "2201 threads [pthread(id=2201, user_time=0.0, system_time=0.02), pthread(id=2203,")
  lu.assertStrContains(view, "2201 num_fds 4")
  lu.assertStrContains(view, "2201 memory_full_info <FileNotFoundError 2>") -- no smaps_rollup before 4.14
  view = table.concat(psutil_view(script, f.mounts["linux-2.6.32"]:path(), { "1300" }), "\n")
  lu.assertStrContains(view, "1300 cmdline ['/sbin/udevd', '-d']")
  lu.assertStrContains(view, "1300 status <FileNotFoundError 2>")
end

-- The report: per pid what was not saved (absent), each file that did not
-- parse with its path and line, and the exit status (0: all served as
-- saved; 3: some saved file is not).
function TestSavedTrees.test_the_report_names_files_and_lines()
  local f = F()
  lu.assertEquals(f.runs["linux-2.6.32"].code, 0, f.runs["linux-2.6.32"].err)
  lu.assertEquals(f.runs["linux-5.4"].code, 0, f.runs["linux-5.4"].err)
  local r = f.runs["linux-4.9"]
  lu.assertEquals(r.code, 3)
  local root = fixture("linux-4.9")
  lu.assertStrContains(r.err, "proclua capture: " .. root .. "/2204/status:3: cannot parse \"State:\\tS (sleep\" (absent from the world)\n")
  lu.assertNotStrContains(r.err, "/2202/status")
  lu.assertStrContains(r.err, "proclua capture: " .. root .. "/2201: not saved: auxv, mem, smaps_rollup, mounts, "
    .. "loginuid, sessionid, personality, oom_adj, timerslack_ns, schedstat, autogroup, cpuset, attr, "
    .. "stack, syscall, sched, mountstats, ksm_merging_pages, ksm_stat, arch_status, timers, "
    .. "ns/pid_for_children, ns/time, "
    .. "ns/time_for_children, net, map_files (absent from the world)\n")
  local old = f.runs["linux-2.6.32"].err
  lu.assertStrContains(old, "proclua capture: " .. fixture("linux-2.6.32") .. "/1300: not saved: ns, auxv, environ,")
  -- one line per directory, nothing else
  for _, line in ipairs(fsx.lines(old)) do
    lu.assertStrMatches(line, "proclua capture: .*/%d+[/task%d]*: not saved: .* %(absent from the world%)")
  end
end

-- A pid the tree has no file of is not captured (exit 1, the others are);
-- nor is one whose directory holds only files proclua does not serve.
function TestSavedTrees.test_a_pid_with_no_file_fails_alone()
  local f = F()
  local tree = f.work .. "/sparse"
  assert(sh.ok("mkdir -p " .. sh.quote(tree .. "/7") .. " " .. sh.quote(tree .. "/8") .. " " .. sh.quote(tree .. "/9")))
  fsx.write(tree .. "/8/numa_maps", "00400000 default file=/bin/sleep mapped=1\n")
  fsx.write(tree .. "/9/cmdline", "sleep\0001000\0")
  local r = sh.run { testenv.bin(), "capture", "--proc", tree, "7", "8", "9", "10" }
  lu.assertEquals(r.code, 1)
  lu.assertStrContains(r.err, tree .. "/7: no file proclua reads; not captured\n")
  lu.assertStrContains(r.err, tree .. "/8: not captured, proclua serves no such file: numa_maps\n")
  lu.assertStrContains(r.err, tree .. "/8: no file proclua reads; not captured\n")
  lu.assertStrContains(r.err, tree .. "/10: No such file or directory; not captured\n")
  lu.assertStrContains(r.out, "pid = 9,")
  lu.assertNotStrContains(r.out, "pid = 7,")
end

-- --fill: what the tree lacks takes the world's defaults, so every file
-- of the task is there; what was saved is still served as saved.
function TestSavedTrees.test_fill_gives_a_complete_task()
  local f = F()
  local r = capture("linux-2.6.32", { "--fill" })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertNotStrContains(r.out, "absent =")
  lu.assertStrContains(r.err, "/1300: not saved: ns, auxv, environ, ")
  lu.assertStrContains(r.err, "(the world's defaults instead)\n")
  local world = f.work .. "/filled.lua"
  fsx.write(world, r.out)
  local m = mnt.start { args = { "--world", world } }
  suite.defer("unmount the filled world", function() return m:stop() end)
  lu.assertEquals(fsx.outcome(m:path("1300/cmdline")), fsx.outcome(fixture("linux-2.6.32") .. "/1300/cmdline"))
  lu.assertEquals(fsx.outcome(m:path("1201/status")), fsx.outcome(fixture("linux-2.6.32") .. "/1201/status"))
  for _, name in ipairs { "stat", "status", "environ", "comm", "maps" } do
    lu.assertNotStrContains(fsx.outcome(m:path("1300/" .. name)), "<error", name)
  end
  lu.assertEquals(sh.run({ "readlink", m:path("1300/ns/net") }).out, "net:[4026531840]\n")
end

-- A world can declare a task's absent entries itself.
function TestSavedTrees.test_a_world_declares_absent_files()
  local f = F()
  local world = f.work .. "/absent.lua"
  fsx.write(world, [[
local p = require "proclua"
return p.world { tasks = {
  { pid = 5, argv = { "/bin/sh" }, absent = { "maps", "environ", "ns/net", "fd", "task" } },
  { pid = 6, argv = { "/bin/sh" }, absent = { "ns" } },
} }
]])
  local m = mnt.start { args = { "--world", world } }
  suite.defer("unmount the absent world", function() return m:stop() end)
  for _, name in ipairs { "maps", "environ", "ns/net", "fd", "fd/0", "task", "task/5/stat" } do
    lu.assertEquals(fsx.outcome(m:path("5/" .. name)), "<error open:ENOENT>", name)
  end
  local ls5 = table.concat(lines_of { "ls", "-A", m:path("5") }, " ")
  for _, name in ipairs { "maps", "environ", "fd", "task" } do
    lu.assertNotStrContains(" " .. ls5 .. " ", " " .. name .. " ")
  end
  lu.assertStrContains(ls5, "smaps")
  lu.assertEquals(table.concat(lines_of { "ls", "-A", m:path("5/ns") }, " "),
                  "cgroup ipc mnt pid pid_for_children time time_for_children user uts")
  lu.assertEquals(fsx.outcome(m:path("6/ns")), "<error open:ENOENT>")
  lu.assertNotStrContains(" " .. table.concat(lines_of { "ls", "-A", m:path("6") }, " ") .. " ", " ns ")
  lu.assertStrContains(fsx.outcome(m:path("6/stat")), "6 (sh) S")
  fsx.write(f.work .. "/bad.lua", [[
local p = require "proclua"
return p.world { tasks = { { pid = 5, absent = { "mapz" } } } }
]])
  local bad = mnt.attempt { "--check", "--world", f.work .. "/bad.lua", "MNT" }
  lu.assertNotEquals(bad.code, 0)
  lu.assertStrContains(bad.err, "world task 5: absent[1] names no file of a task")
end

-- The shapes of older kernels as world facts, formatted in-process.
function TestSavedTrees.test_shapes_as_world_facts()
  local p = require "proclua"
  local w = p.world { tasks = { { pid = 3, argv = { "/bin/true" }, stat_fields = 44,
    status_lines = { "Name", "State", "Tgid", "Pid", "PPid", "TracerPid", "Uid", "Gid", "FDSize",
                     "Groups (a space after each)", "Threads" },
    smaps = "00400000-00401000 r-xp 00000000 08:01 7                                  /bin/true\n"
         .. "Size:                  4 kB\nRss:                   4 kB\n" } } }
  local stat = w:format("stat", 3)
  local n = 0
  for _ in stat:gmatch(" ") do n = n + 1 end
  lu.assertEquals(n, 43)
  lu.assertStrMatches(stat, "3 %(true%) S .* 0\n")
  lu.assertEquals(w:format("status", 3), "Name:\ttrue\nState:\tS (sleeping)\nTgid:\t3\nPid:\t3\nPPid:\t0\n"
    .. "TracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t64\nGroups:\t\nThreads:\t1\n")
  lu.assertEquals(w:format("smaps", 3), "00400000-00401000 r-xp 00000000 08:01 7                                  /bin/true\n"
    .. "Size:                  4 kB\nRss:                   4 kB\n")
  -- task states of kernels before 4.14
  local old = p.world { tasks = { { pid = 4, state = "K" } } }
  lu.assertStrContains(old:format("status", 4), "\nState:\tK (wakekill)\n")
  lu.assertStrMatches(old:format("stat", 4), "4 %(task%) K .*")
  lu.assertErrorMsgContains("stat_fields is 41, 42, 44, 47 (older kernels) or 52", p.world,
    { tasks = { { pid = 3, stat_fields = 45 } } })
  lu.assertErrorMsgContains("status_lines[2] names no status line", p.world,
    { tasks = { { pid = 3, status_lines = { "Name", "Nope" } } } })
end

suite.run()
