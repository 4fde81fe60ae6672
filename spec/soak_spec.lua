-- Soak: a mount serves readers for a minute (PROCLUA_SOAK_SECONDS) and
-- ends as it began.  Four walkers read every file, link and directory of
-- every task, and write their own oom_score_adj, over and over, while the
-- machine's processes come and go.  Then: the daemon is alive and answers,
-- no read failed as the kernel's /proc never fails (EIO, ENOTCONN), the
-- daemon's memory after the minute is within a bound of what it held after
-- the first seconds (nothing grows with time), and so are its open fds.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local SECONDS = tonumber(os.getenv("PROCLUA_SOAK_SECONDS") or "60")
local WALKERS = 4

local function status_kb(pid, key)
  local text = fsx.read("/proc/" .. pid .. "/status") or ""
  return tonumber(text:match(key .. ":%s*(%d+)")) or 0
end

local function fd_count(pid)
  local h = assert(io.popen("ls /proc/" .. pid .. "/fd 2>/dev/null | wc -l"))
  local n = tonumber(h:read("a"))
  h:close()
  return n or 0
end

TestSoak = {}

function TestSoak.test_a_minute_of_readers_and_writers()
  local m = mnt.start { options = "allow_other" }
  local walkers = {}
  local ok, err = pcall(function()
    local daemon = m.proc.pid
    local script = testenv.src() .. "/spec/soak_walker.py"
    for i = 1, WALKERS do
      walkers[i] = procs.spawn({ "python3", script, m.dir, tostring(SECONDS) },
                               { stdout = m.work .. "/walker" .. i .. ".out",
                                 stderr = m.work .. "/walker" .. i .. ".err" })
    end
    -- what the daemon holds once the walkers are warm
    assert(sh.ok("sleep " .. math.min(10, SECONDS // 4)))
    local rss0, fds0 = status_kb(daemon, "VmRSS"), fd_count(daemon)
    for i, w in ipairs(walkers) do
      lu.assertTrue(w:wait_exit(SECONDS + 120), "walker " .. i .. " ends")
    end
    local rss1, fds1 = status_kb(daemon, "VmRSS"), fd_count(daemon)
    m:check()
    lu.assertStrContains(assert(fsx.read(m.dir .. "/self/status")), "Name:\t")
    local total = 0
    for i = 1, WALKERS do
      local out = fsx.read(m.work .. "/walker" .. i .. ".out") or ""
      local ops, bad = out:match("^(%d+) (%d+)")
      lu.assertNotNil(ops, "walker " .. i .. " reported: " .. (fsx.read(m.work .. "/walker" .. i .. ".err") or ""))
      lu.assertEquals(tonumber(bad), 0, fsx.read(m.work .. "/walker" .. i .. ".err"))
      total = total + tonumber(ops)
    end
    io.stderr:write(("soak: %d operations in %d s; daemon VmRSS %d -> %d kB, fds %d -> %d\n")
      :format(total, SECONDS, rss0, rss1, fds0, fds1))
    lu.assertTrue(total > 0)
    -- bounds on growth, not performance: a leak per request would pass
    -- them within seconds (the walkers make tens of thousands of requests)
    lu.assertTrue(rss1 <= 2 * rss0 + 32768, ("VmRSS %d -> %d kB"):format(rss0, rss1))
    lu.assertTrue(fds1 <= fds0 + 256, ("fds %d -> %d"):format(fds0, fds1))
  end)
  for _, w in ipairs(walkers) do if w:alive() then w:signal("KILL") end; w:reap() end
  local problems = m:stop()
  if not ok then error(err, 0) end
  lu.assertEquals(problems, {})
end

suite.run()
