-- Running commands through build/proclua-run (bindings/fuse/proclua-run),
-- and checking that each run leaves nothing behind: proclua-run makes its
-- mount point under TMPDIR, so a spec points TMPDIR at a directory of its
-- own and, after every run, that directory must be empty, nothing may be
-- mounted below it and no process may still name it (the daemon's argv
-- holds the mount point).
local lu = require "luaunit"
local fsx = require "fsx"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local M = {}

-- A clean environment for the tools: no locale, no time zone, no rc files.
M.TOOL_ENV = { "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "TZ=UTC", "LC_ALL=C",
               "HOME=/nonexistent" }

-- A new directory for proclua-run's mount points; at the end of the spec,
-- anything still mounted below it is unmounted (lazily) and it is removed.
function M.rundir()
  local dir = fsx.mktemp_dir("proclua-run-spec")
  assert(sh.ok("chmod 755 " .. sh.quote(dir)))
  suite.defer("remove " .. dir, function()
    for _, mp in ipairs(fsx.mount_points()) do
      if mp:sub(1, #dir + 1) == dir .. "/" then
        sh.run({ "fusermount3", "-u", "-z", mp }, { timeout = 60 })
      end
    end
    assert(fsx.remove_tree(dir))
  end)
  return dir
end

-- Pids of live processes whose command line mentions `text`.
function M.processes_mentioning(text)
  local found = {}
  local h = assert(io.popen("ls /proc"))
  for name in h:lines() do
    if name:match("^%d+$") then
      local cmd = fsx.read("/proc/" .. name .. "/cmdline")
      if cmd and cmd:find(text, 1, true) then found[#found + 1] = tonumber(name) end
    end
  end
  h:close()
  return found
end

-- Fail the test if a run left a mount, a mount point or a daemon behind.
function M.assert_clean(rundir)
  lu.assertFalse(fsx.is_mounted_below(rundir), "proclua-run left a mount behind")
  local h = assert(io.popen("ls -A " .. sh.quote(rundir)))
  local left = h:read("a")
  h:close()
  lu.assertEquals(left, "", "proclua-run left its mount point behind")
  lu.assertEquals(M.processes_mentioning(rundir), {}, "proclua-run left its daemon running")
end

-- Run `proclua-run ARGS -- ARGV...` with TMPDIR=rundir; returns sh.run's
-- result ({ out, err, code }) after checking that nothing was left behind.
-- opts.env: a list of NAME=VALUE for proclua-run itself; opts.timeout.
function M.run(rundir, args, argv, opts)
  opts = opts or {}
  local cmd = { "env", "TMPDIR=" .. rundir }
  for _, e in ipairs(opts.env or {}) do cmd[#cmd + 1] = e end
  cmd[#cmd + 1] = opts.script or testenv.run_script()
  for _, a in ipairs(args) do cmd[#cmd + 1] = a end
  cmd[#cmd + 1] = "--"
  for _, a in ipairs(argv) do cmd[#cmd + 1] = a end
  local r = sh.run(cmd, { timeout = opts.timeout or 120 })
  M.assert_clean(rundir)
  return r
end

-- Compare a tool's output with the expected text, naming the first line
-- that differs.
function M.assert_text(got, want, what)
  if got == want then return end
  local g, w = fsx.lines(got), fsx.lines(want)
  for i = 1, math.max(#g, #w) do
    if g[i] ~= w[i] then
      lu.fail(("%s: line %d differs\n  expected: %q\n  got:      %q\nwhole output:\n%s"):format(
        what or "output", i, w[i] or "<none>", g[i] or "<none>", got))
    end
  end
  lu.fail((what or "output") .. ": differs (line ends?)\n" .. got)
end

-- A tool run natively (on the kernel's /proc) with M.TOOL_ENV: sh.run's result.
function M.native(argv)
  local cmd = {}
  for _, w in ipairs(M.TOOL_ENV) do cmd[#cmd + 1] = w end
  for _, w in ipairs(argv) do cmd[#cmd + 1] = w end
  return sh.run(cmd)
end

-- The same, the command run with M.TOOL_ENV.
function M.tool(rundir, args, argv, opts)
  local cmd = {}
  for _, w in ipairs(M.TOOL_ENV) do cmd[#cmd + 1] = w end
  for _, w in ipairs(argv) do cmd[#cmd + 1] = w end
  return M.run(rundir, args, cmd, opts)
end

return M
