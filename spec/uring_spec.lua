-- FUSE over io_uring (`-o io_uring`, `--io-uring`, bindings/fuse/uring.c).
--
-- The kernel offers it when the fuse module has CONFIG_FUSE_IO_URING and
-- its parameter enable_uring is Y.  The parameter is absent on kernels
-- without it: every test here is then skipped, saying so.  When it is N,
-- this spec turns it on for its run and restores it at the end (a global
-- setting: nothing else changes while it is on, since only a daemon that
-- asks for io_uring at INIT gets it).
--
-- What is checked with the option:
--   * the rings are used: the daemon reports serving through per-CPU
--     queues, and at exit how many requests each queue served; a reader
--     pinned to a CPU is served by that CPU's queue;
--   * the host: bytes, links, listings and modes against the kernel's, as
--     root and as uid 65534, from a reader on each CPU;
--   * the specs that mount (host_diff, world, program, ..., and the writes
--     of world_write and lua_write, whose bytes come in the ring) pass again with
--     --io-uring added to every daemon (PROCLUA_TEST_MOUNT_ARGS, read by
--     spec/support/mnt.lua);
--   * with enable_uring N the option falls back to /dev/fuse with a
--     one-line notice, and the mount works.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local PARAM = "/sys/module/fuse/parameters/enable_uring"
local NOBODY = 65534

local function param() return (fsx.read(PARAM) or ""):sub(1, 1) end

local function set_param(v)
  local f = io.open(PARAM, "w")
  if not f then return false end
  local ok = f:write(v .. "\n")
  ok = f:close() and ok
  return ok and param() == v
end

-- nil when the kernel offers io_uring (turning it on if it was off), else
-- why the tests must be skipped.
local unavailable = suite.once(function()
  if not fsx.exists(PARAM) then
    return { why = "this kernel has no FUSE over io_uring (" .. PARAM .. " is absent)" }
  end
  local was = param()
  if was ~= "Y" then
    if not set_param("Y") then
      return { why = PARAM .. " is " .. was .. " and could not be set to Y (not root?)" }
    end
    suite.defer("restore " .. PARAM .. " to " .. was, function()
      assert(set_param(was), "could not write " .. was .. " back to " .. PARAM)
    end)
  end
  return { why = false }
end)

local function need_uring()
  local why = unavailable().why
  if why then lu.skip(why) end
end

-- CPUs this process may run on (taskset -c takes each).
local function cpus()
  local list = {}
  local spec = assert((fsx.read("/proc/self/status") or ""):match("Cpus_allowed_list:%s*(%S+)"))
  for part in spec:gmatch("[^,]+") do
    local a, b = part:match("^(%d+)%-(%d+)$")
    a, b = tonumber(a or part), tonumber(b or part)
    for c = a, b do list[#list + 1] = c end
  end
  return list
end

-- The exit line: requests served by each queue (queue id = CPU).
local function served(log)
  local by = log:match("served %d+ requests %(by queue: ([^)]*)%)")
  if not by then return nil end
  local t = {}
  for q, n in by:gmatch("(%d+): (%d+)") do t[tonumber(q)] = tonumber(n) end
  return t
end

-- Run the probe pinned to a CPU, as root or as uid 65534.
local function probe_on(cpu, op, paths, uid)
  local argv = { "taskset", "-c", tostring(cpu) }
  if uid then
    for _, w in ipairs { "setpriv", "--reuid=" .. uid, "--regid=" .. uid, "--clear-groups", "--" } do
      argv[#argv + 1] = w
    end
  end
  argv[#argv + 1] = testenv.helper("probe")
  argv[#argv + 1] = op
  for _, p in ipairs(paths) do argv[#argv + 1] = p end
  local r = sh.run(argv, { timeout = 120 })
  lu.assertEquals(r.code, 0, "probe " .. op .. ": " .. r.err)
  local lines = {}
  for line in r.out:gmatch("[^\n]*\n") do lines[#lines + 1] = line:sub(1, -2) end
  lu.assertEquals(#lines, #paths)
  return lines
end

TestUring = {}

function TestUring:test_help_names_the_option()
  local r = sh.run({ testenv.bin(), "--help" }, { timeout = 60 })
  lu.assertEquals(r.code, 0)
  lu.assertStrContains(r.out, "-o io_uring")
  lu.assertStrContains(r.out, "--io-uring")
end

-- The host through the rings, from each CPU, as root and as uid 65534:
-- the same outcome as the kernel's /proc for a stopped process (files whose
-- bytes cannot move while it is stopped), and every queue serves its CPU.
function TestUring:test_host_from_every_cpu()
  need_uring()
  local work = fsx.mktemp_dir("proclua-uring")
  suite.defer("remove " .. work, function() fsx.remove_tree(work) end)
  local p = procs.spawn({ "perl", "-e", '$| = 1; print "ready\\n"; sleep 1000 while 1', "--", "an", "arg" },
    { stdout = work .. "/p.out", stderr = work .. "/p.err", name = "sleeper" })
  suite.defer("reap the sleeper", function() p:reap() end)
  p:wait_output("^ready")
  p:stop_and_wait()

  local m = mnt.start { options = "allow_other", args = { "--io-uring" } }
  local ok, err = pcall(function()
    procs.wait_for(function() return m:log():find("serving through %d+ per%-CPU queues") end, 10,
      "the io_uring notice; the daemon said:\n" .. m:log())
    local pid = p.pid
    local files = { "stat", "statm", "cmdline", "environ", "comm", "maps", "limits", "io", "auxv",
                    "wchan", "oom_score_adj" }
    local links = { "exe", "cwd", "root", "ns/pid", "fd/0" }
    local function pair(list, base)
      local out = {}
      for _, f in ipairs(list) do
        out[#out + 1] = ("/proc/%d/%s"):format(pid, f)
        out[#out + 1] = ("%s/%d/%s"):format(base, pid, f)
      end
      return out
    end
    for _, cpu in ipairs(cpus()) do
      for _, uid in ipairs { false, NOBODY } do
        local who = ("CPU %d as %s"):format(cpu, uid and "uid " .. uid or "root")
        local function same(op, list)
          local paths = pair(list, m.dir)
          local res = probe_on(cpu, op, paths, uid or nil)
          for i = 1, #paths, 2 do
            lu.assertEquals(res[i + 1], res[i], ("%s %s (%s)"):format(op, paths[i + 1], who))
          end
        end
        same("read", files)
        same("readlink", links)
        same("lstat", { "", "exe", "environ", "fd", "ns" })
        same("list", { "fd", "fdinfo", "ns", "task" })
      end
    end
    -- a file the caller may not read, read as the one who may not
    lu.assertEquals(probe_on(cpus()[1], "read", { m:path("1/environ") }, NOBODY), { "open:EACCES" })
  end)
  -- the exit line is read before stop() removes the daemon's log
  local log = ""
  if ok then
    m.expect_exit = true
    sh.run({ "fusermount3", "-u", m.dir }, { timeout = 60 })
    m.proc:wait_exit(20)
    log = m:log()
  end
  local problems, how = m:stop()
  if not ok then error(err, 0) end
  lu.assertEquals(problems, {})
  lu.assertEquals(how, "exit")
  local by = served(log)
  lu.assertNotNil(by, "the daemon reports what the rings served; it said:\n" .. log)
  for _, cpu in ipairs(cpus()) do
    lu.assertTrue((by[cpu] or 0) > 0, ("queue %d served its CPU's requests; the daemon said:\n%s")
      :format(cpu, log))
  end
end

-- The specs that mount, again with every daemon over io_uring.
function TestUring:test_mounting_specs_over_io_uring()
  need_uring()
  local src = testenv.src() .. "/spec/"
  for _, name in ipairs { "program", "host_diff", "world", "view", "psutil", "capture",
                          "tools_defaults", "layout", "world_write", "lua_write" } do
    local argv = { "env", "PROCLUA_TEST_MOUNT_ARGS=--io-uring" }
    for _, w in ipairs(testenv.lua(src .. name .. "_spec.lua")) do argv[#argv + 1] = w end
    local r = sh.run(argv, { timeout = 600 })
    lu.assertEquals(r.code, 0, name .. "_spec with --io-uring failed:\n" .. r.out .. r.err)
  end
end

-- enable_uring N: a notice, and /dev/fuse serves as without the option.
function TestUring:test_falls_back_when_the_kernel_does_not_offer_it()
  need_uring()
  assert(set_param("N"), "could not turn " .. PARAM .. " off")
  local ok, err = pcall(function()
    local m = mnt.start { args = { "--io-uring" } }
    local ok2, err2 = pcall(function()
      lu.assertStrContains(assert(fsx.read(m:path("self/status"))), "Name:\t")
      lu.assertStrContains(m:log(), "enable_uring is N")
      lu.assertStrContains(m:log(), "serving through /dev/fuse")
    end)
    local problems = m:stop()
    if not ok2 then error(err2, 0) end
    lu.assertEquals(problems, {})
  end)
  assert(set_param("Y"), "could not turn " .. PARAM .. " back on")
  if not ok then error(err, 0) end
end

suite.run()
