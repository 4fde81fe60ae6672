-- The examples: every layout in examples/layouts/ and every world in
-- examples/worlds/ loads (`proclua --check`), the two example layouts
-- do what their comments say, through proclua-run, and every spec in
-- examples/specs/ passes.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local procs = require "procs"
local prun = require "prun"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local function examples(kind)
  local out = {}
  local h = assert(io.popen("ls " .. sh.quote(testenv.src() .. "/examples/" .. kind)))
  for name in h:lines() do
    if name:match("%.lua$") then out[#out + 1] = testenv.src() .. "/examples/" .. kind .. "/" .. name end
  end
  h:close()
  return out
end

TestLoad = {}

function TestLoad.test_every_layout_loads()
  local layouts = examples("layouts")
  lu.assertTrue(#layouts >= 2, "examples/layouts/ has no layouts")
  for _, path in ipairs(layouts) do
    local r = sh.run({ testenv.bin(), "--check", "--layout", path })
    lu.assertEquals(r.code, 0, path .. ": " .. r.err)
    lu.assertEquals(r.err, "", path)
  end
end

function TestLoad.test_every_world_loads()
  for _, path in ipairs(examples("worlds")) do
    local r = sh.run({ testenv.bin(), "--check", "--world", path })
    lu.assertEquals(r.code, 0, path .. ": " .. r.err)
    lu.assertEquals(r.err, "", path)
  end
end

-- A layout's entries as text, one line per entry: where it is, its kind,
-- mode, generator and `only`, so two layouts can be compared.
local function entries(list, prefix, out)
  out = out or {}
  for _, d in ipairs(list) do
    local gen = type(d.gen) == "string" and d.gen or type(d.gen)
    out[#out + 1] = ("%s%s %s %s %s %s %s"):format(prefix, d.name, tostring(d.kind), tostring(d.mode),
      gen, tostring(d.only), type(d.content) == "string" and ("%q"):format(d.content) or "")
    if type(d.children) == "table" then entries(d.children, prefix .. d.name .. "/", out) end
  end
  return out
end

-- no-environ.lua is the default layout with one line changed: when the
-- default gains or changes a file, the example must follow.
function TestLoad.test_no_environ_is_the_default_less_environ()
  local default = dofile(testenv.default_layout())
  local example = dofile(testenv.src() .. "/examples/layouts/no-environ.lua")
  lu.assertEquals(entries(example.root, "/"), entries(default.root, "/"))
  local want = entries(default.task, "<pid>/")
  local got = entries(example.task, "<pid>/")
  lu.assertEquals(#got, #want)
  for i = 1, #want do
    if want[i]:match("^<pid>/environ ") then
      -- an empty stub, still 0400 (256) in both directories
      lu.assertStrMatches(got[i], '<pid>/environ %S+ 256 nil 0 ""')
      lu.assertNotEquals(got[i]:match("^%S+ (%S+)"), want[i]:match("^%S+ (%S+)"), "environ is a stub")
    else
      lu.assertEquals(got[i], want[i])
    end
  end
end

------------------------------------------------------------------------------

local F = suite.once(function()
  local f = { rundir = prun.rundir(), work = fsx.mktemp_dir("proclua-examples") }
  suite.defer("remove " .. f.work, function() assert(fsx.remove_tree(f.work)) end)
  -- a stopped process with a known environment and argv
  f.proc = procs.spawn({ "env", "-i", "SECRET=hunter2", "OTHER=x", "perl", "-e",
                         '$| = 1; print "ready\\n"; sleep 1000 while 1', "--", "an", "arg" },
                       { stdout = f.work .. "/out", name = "secret-keeper" })
  suite.defer("reap the test process", function() f.proc:reap() end)
  f.proc:wait_output("^ready")
  f.proc:stop_and_wait()
  return f
end)

local function layout(name) return testenv.src() .. "/examples/layouts/" .. name end

TestNoEnviron = {}

-- environ reads empty for every process, still mode 0400; cmdline is kept.
function TestNoEnviron.test_environ_is_empty()
  local f = F()
  local pid = math.tointeger(f.proc.pid)
  lu.assertStrContains(fsx.read("/proc/" .. pid .. "/environ"), "SECRET=hunter2")
  local r = prun.run(f.rundir, { "--layout", layout("no-environ.lua") }, { "sh", "-c",
    ("wc -c < /proc/%d/environ; wc -c < /proc/%d/task/%d/environ; wc -c < /proc/self/environ; "
     .. "stat -c %%a /proc/%d/environ; tr '\\0' ' ' < /proc/%d/cmdline"):format(pid, pid, pid, pid, pid) })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.out, "0\n0\n0\n400\nperl -e $| = 1; print \"ready\\n\"; sleep 1000 while 1 -- an arg ")
  -- and ps e shows no variables
  r = prun.tool(f.rundir, { "--layout", layout("no-environ.lua") }, { "ps", "ewwo", "args=", "-p", tostring(pid) })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertNotStrContains(r.out, "SECRET")
end

TestContainer = {}

function TestContainer.test_container_view()
  local f = F()
  local pid = math.tointeger(f.proc.pid)
  local r = prun.run(f.rundir, { "--layout", layout("container.lua") }, { "sh", "-c",
    ("cat /proc/sys/kernel/hostname /proc/%d/cgroup; ls /proc | grep -v '^[0-9]' | tr '\\n' ' '; echo; "
     .. "ls /proc/%d | tr '\\n' ' '"):format(pid, pid) })
  lu.assertEquals(r.code, 0, r.err)
  local lines = fsx.lines(r.out)
  lu.assertEquals(lines[1], "container")
  lu.assertEquals(lines[2], "0::/")
  lu.assertEquals(lines[3], "cpuinfo loadavg meminfo net pressure self softirqs stat sys sysvipc thread-self uptime vmstat ")
  for _, gone in ipairs { "mounts", "mountinfo", "ns" } do
    lu.assertNotStrContains(" " .. lines[4], " " .. gone .. " ")
  end
  for _, kept in ipairs { "cmdline", "stat", "status", "maps", "smaps", "io", "task" } do
    lu.assertStrContains(" " .. lines[4], " " .. kept .. " ")
  end
  -- the tools still work in it
  r = prun.tool(f.rundir, { "--layout", layout("container.lua") }, { "sh", "-c",
    "ps -o pid= -p " .. pid .. " && free -m | head -1 && top -b -n1 | sed -n 2p | cut -c1-6" })
  lu.assertEquals(r.code, 0, r.err)
  local out = fsx.lines(r.out)
  lu.assertEquals(tonumber(out[1]), pid)
  lu.assertStrContains(out[2], "total")
  lu.assertEquals(out[3], "Tasks:")
end

TestRedact = {}

-- cmdline loses the password, environ the named secrets, for every reader
-- that may read them; environ is still refused to another user.
function TestRedact.test_secrets_are_redacted_for_whoever_may_read()
  local f = F()
  local work = f.work .. "/redact"
  assert(sh.ok("mkdir -p " .. work))
  local proc = procs.spawn({ "env", "-i", "GITHUB_TOKEN=ghp_x", "KEEP=1", "perl", "-e",
                             '$| = 1; print "ready\\n"; sleep 1000 while 1', "--", "--password=hunter2", "y" },
                           { stdout = work .. "/out", name = "password-holder" })
  local m
  local ok, err = pcall(function()
    proc:wait_output("^ready")
    proc:stop_and_wait()
    local pid = math.tointeger(proc.pid)
    m = mnt.start { layout = layout("redact.lua"), options = "allow_other" }
    lu.assertEquals(fsx.read(m:path(pid .. "/cmdline")),
      'perl\0-e\0$| = 1; print "ready\\n"; sleep 1000 while 1\0--\0--password=***\0y\0')
    lu.assertEquals(fsx.read(m:path(pid .. "/environ")), "KEEP=1\0")
    lu.assertEquals(fsx.read(m:path(pid .. "/task/" .. pid .. "/environ")), "KEEP=1\0")
    local r = sh.run({ "setpriv", "--reuid=40021", "--regid=40021", "--clear-groups", "cat",
                       m:path(pid .. "/cmdline"), m:path(pid .. "/environ") })
    lu.assertStrContains(r.out, "--password=***")
    lu.assertStrContains(r.err, "Permission denied")
    m:check()
  end)
  local problems = m and m:stop() or {}
  proc:reap()
  if not ok then error(err, 0) end
  lu.assertEquals(problems, {})
end

TestAccessLog = {}

function TestAccessLog.test_who_read_what()
  local f = F()
  local pid = math.tointeger(f.proc.pid)
  local m = mnt.start { layout = layout("access-log.lua"), options = "allow_other" }
  local ok, err = pcall(function()
    local status = fsx.read(m:path(pid .. "/status"))
    lu.assertStrContains(status, "Name:\tperl\n")
    local r = sh.run({ "setpriv", "--reuid=40022", "--regid=40022", "--clear-groups", "sh", "-c",
                       "echo $$; exec cat " .. m:path(pid .. "/status") .. " > /dev/null" })
    local cat_pid = r.out:match("^(%d+)")
    local self = fsx.read("/proc/self/stat"):match("^(%d+)")
    lu.assertEquals(fsx.read(m:path("access-log")),
      ("lua5.4 %s uid=0 read %d/status\ncat %s uid=40022 read %d/status\n"):format(self, pid, cat_pid, pid))
    m:check()
  end)
  local problems = m:stop()
  if not ok then error(err, 0) end
  lu.assertEquals(problems, {})
end

TestWorlds = {}

-- The monitoring world: what an agent reads is what it declares.
function TestWorlds.test_monitoring_world()
  local f = F()
  local world = testenv.src() .. "/examples/worlds/monitoring.lua"
  local r = prun.tool(f.rundir, { "--world", world }, { "sh", "-c",
    "ps -eo pid=,stat=,comm= | awk '{print $1, substr($2, 1, 1), $3}'; cat /proc/loadavg; "
    .. "cat /proc/sys/vm/overcommit_memory; grep -E '^(VmRSS|Threads)' /proc/500/status; "
    .. "cat /proc/600/oom_score_adj; wc -c < /proc/2/cmdline" })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.out, table.concat({
    "1 S init", "2 S kthreadd", "400 R burn", "410 D rsync", "420 S bash", "421 Z worker",
    "430 T vim", "500 S java", "600 S cache-warmer",
    "3.50 2.75 1.25 2/11 600", "2", "VmRSS:\t 3750016 kB", "Threads:\t3", "1000", "0", "" }, "\n"))
end

-- The world captured from a saved tree: it is what capture makes of the
-- fixture today, and its mount serves the saved files byte for byte.
function TestWorlds.test_saved_tree_world()
  local fixture = testenv.src() .. "/spec/fixtures/saved/linux-4.9"
  local example = testenv.src() .. "/examples/worlds/saved-nginx-4.9.lua"
  local r = sh.run({ testenv.bin(), "capture", "--proc", fixture, "2201" })
  lu.assertEquals(r.code, 0, r.err)
  local body = fsx.read(example):gsub("^.-\nlocal p = require", "local p = require")
  lu.assertEquals(body, (r.out:gsub("^[^\n]*\n", "")))
  local m = mnt.start { args = { "--world", example } }
  local ok, err = pcall(function()
    for _, rel in ipairs { "stat", "status", "cmdline", "environ", "maps", "smaps", "io", "limits",
                           "cgroup", "mountinfo", "task/2203/stat", "task/2203/status" } do
      lu.assertEquals(fsx.read(m:path("2201/" .. rel)), fsx.read(fixture .. "/2201/" .. rel), rel)
    end
    lu.assertNil(fsx.read(m:path("2201/smaps_rollup")), "not saved, absent")
    m:check()
  end)
  local problems = m:stop()
  if not ok then error(err, 0) end
  lu.assertEquals(problems, {})
end

TestSpecs = {}

-- Every example spec passes as a user runs it: the stock interpreter, the
-- module found through LUA_CPATH alone (no LUA_PATH to scripts/), from
-- another directory, as nobody: p.tree needs neither root nor FUSE.
function TestSpecs.test_every_example_spec_passes_unprivileged()
  local specs = examples("specs")
  lu.assertTrue(#specs >= 1, "examples/specs/ has no specs")
  for _, path in ipairs(specs) do
    local argv = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                   "env", "-u", "LUA_PATH", "LUA_CPATH=" .. os.getenv("LUA_CPATH") }
    for _, w in ipairs(testenv.lua(path)) do argv[#argv + 1] = w end
    local r = sh.run(argv)
    lu.assertEquals(r.code, 0, path .. ":\n" .. r.out .. r.err)
    lu.assertStrContains(r.out, "OK", path)
  end
end

suite.run()
