-- The boot clock in the reader's time namespace: Linux shows /proc/uptime,
-- /proc/stat's btime and each /proc/<pid>/stat's starttime shifted by the
-- CLOCK_BOOTTIME offset of the namespace the reading task runs in
-- (timens_add_boottime); proclua reads them in its own and shifts them for
-- the caller (core/source/timens.c, tree_caller_boot_shift).
--
-- Host: the same process reads the kernel's files and the mount's, one
-- after the other (spec/helpers/clockread.c), in the initial namespace, in
-- one with a positive and one with a negative offset, and in a task whose
-- namespace for children differs from the one it runs in (either way).
-- A world: a task's declared namespace shifts what a caller that is that
-- task reads, byte for byte.
local lu = require "luaunit"
local mnt = require "mnt"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local mount = suite.once(function()
  local m = mnt.start({})
  suite.defer("stop the mount", function() return m:stop() end)
  return m
end)

-- The files clockread prints, in order.
local function sections(out)
  local files = {}
  for line in out:gmatch("[^\n]*\n") do
    if line:sub(1, 3) == "== " then files[#files + 1] = ""
    elseif #files > 0 then files[#files] = files[#files] .. line end
  end
  return files
end

local function starttime(stat)
  return tonumber(select(20, stat:match("%) " .. ("(%S+) "):rep(20))))
end

local function uptime_cs(text)
  local s, cs = text:match("^(%d+)%.(%d%d) ")
  return tonumber(s) * 100 + tonumber(cs)
end

-- Read the kernel's and the mount's clocks in one process started by
-- `prefix` (and clockread's own flags), and compare them.
local function compare(prefix, flags, start_slack)
  local m = mount()
  local k, p = "/proc/", m:path() .. "/"
  local order = { k .. "uptime", p .. "uptime", k .. "uptime", k .. "stat", p .. "stat", k .. "stat",
                  k .. "1/stat", p .. "1/stat", k .. "self/stat", p .. "self/stat" }
  local argv = {}
  for _, w in ipairs(prefix) do argv[#argv + 1] = w end
  argv[#argv + 1] = testenv.helper("clockread")
  for _, w in ipairs(flags) do argv[#argv + 1] = w end
  for _, path in ipairs(order) do argv[#argv + 1] = path end
  local r = sh.run(argv)
  lu.assertEquals(r.code, 0, r.err)
  local f = sections(r.out)
  lu.assertEquals(#f, #order, r.out)
  local k_up1, up, k_up2 = uptime_cs(f[1]), uptime_cs(f[2]), uptime_cs(f[3])
  -- uptime moves: the mount's lies between the kernel's before and after
  lu.assertTrue(k_up1 <= up and up <= k_up2,
    ("uptime %d outside the kernel's %d..%d (%s)"):format(up, k_up1, k_up2, table.concat(argv, " ")))
  local btime = function(i) return tonumber(f[i]:match("\nbtime (%d+)\n")) end
  lu.assertTrue(btime(5) == btime(4) or btime(5) == btime(6),
    ("btime %d, the kernel's %d, %d"):format(btime(5), btime(4), btime(6)))
  for i, slack in pairs { [7] = start_slack, [9] = 0 } do
    local kernel, mine = starttime(f[i]), starttime(f[i + 1])
    lu.assertTrue(math.abs(kernel - mine) <= slack,
      ("%s starttime %d, the kernel's %d"):format(order[i + 1], mine, kernel))
  end
  return f
end

TestHost = {}

function TestHost.test_initial_namespace()
  compare({}, {}, 0)
end

function TestHost.test_positive_offset()
  local f = compare({ "unshare", "-T", "--boottime", "100000" }, {}, 0)
  -- it was shifted: the kernel's uptime is past the daemon's own
  lu.assertTrue(uptime_cs(f[1]) > 100000 * 100)
end

-- pid 1 started before the offset takes it below zero: the kernel's u64
-- wraps, and the daemon, which knows the start to the tick, can be one off
function TestHost.test_negative_offset()
  local up = uptime_cs(assert(io.open("/proc/uptime")):read("a"))
  if up < 4000 * 100 then lu.skip("the machine has been up less than 4000 s") end
  local f = compare({ "unshare", "-T", "--boottime", "-3000" }, {}, 1)
  lu.assertTrue(starttime(f[7]) > 2 ^ 40 and starttime(f[8]) > 2 ^ 40)
end

-- running in a namespace with offsets, a new one made for children: the
-- one it runs in counts (the daemon learns it by entering it)
function TestHost.test_runs_in_one_namespace_made_another()
  local own = uptime_cs(assert(io.open("/proc/uptime")):read("a"))
  local f = compare({ "unshare", "-T", "--boottime", "100" }, { "-u", "-b", "7" }, 0)
  lu.assertTrue(uptime_cs(f[1]) >= own + 100 * 100)
end

-- in the initial namespace, with one for children that has offsets: the
-- initial one counts
function TestHost.test_made_a_namespace_for_children_only()
  compare({}, { "-u", "-b", "500" }, 0)
end

TestWorld = {}

function TestWorld.test_a_callers_declared_namespace()
  local p = require "proclua"
  local t = p.tree { world = p.world {
    machine = { uptime = 1000 },
    timens = { [4026532901] = { boottime = { 2000, 0 } }, [4026532902] = { boottime = { -500, 0 } } },
    tasks = {
      { pid = 1, comm = "init", starttime = 5 },
      { pid = 4, comm = "entered", starttime = 1200, ns = { time = 4026532901, time_for_children = 4026532901 } },
      { pid = 5, comm = "back", ns = { time = 4026532902, time_for_children = 4026532902 } },
      { pid = 6, comm = "unshared", ns = { time_for_children = 4026532901 } },
    } } }
  local function seen(pid)
    local c = { pid = pid }
    return { assert(t:read("/uptime", c)), assert(t:read("/stat", c)):match("btime %d+"),
             starttime(assert(t:read("/4/stat", c))), starttime(assert(t:read("/1/stat", c))) }
  end
  lu.assertEquals(seen(1), { "1000.00 900.00\n", "btime 1700000000", 1200, 5 })
  lu.assertEquals(seen(4), { "3000.00 900.00\n", "btime 1699998000", 201200, 200005 })
  -- 12 s - 500 s and 0.05 s - 500 s in ns, as u64 (2^64 is 1844674407370
  -- ticks and 5551616 ns), in ticks
  local function wrapped(ns) return 1844674407370 + (5551616 + ns) // 10000000 end
  lu.assertEquals(seen(5), { "500.00 900.00\n", "btime 1700000500",
                             wrapped(12000000000 - 500000000000), wrapped(50000000 - 500000000000) })
  -- the namespace for children is not the one it runs in
  lu.assertEquals(seen(6), seen(1))
end

suite.run()
