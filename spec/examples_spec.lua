-- The examples: every layout in examples/layouts/ and every world in
-- examples/worlds/ loads (`proclua --check`), and the two example layouts
-- do what their comments say, through proclua-run.
local lu = require "luaunit"
local fsx = require "fsx"
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
  lu.assertEquals(lines[3], "cpuinfo loadavg meminfo net pressure self softirqs stat sys thread-self uptime vmstat ")
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

suite.run()
