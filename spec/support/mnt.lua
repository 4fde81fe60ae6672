-- A proclua mount for a spec: a fresh mount point, the daemon in the
-- foreground (-f) as a child of this Lua process with its stderr in a file,
-- a bounded wait for the mount to appear, and a teardown that always
-- unmounts and always ends the daemon, by its pid.
local fsx = require "fsx"
local procs = require "procs"
local sh = require "sh"
local testenv = require "testenv"

local M = {}

local Mount = {}
Mount.__index = Mount

-- What the daemon wrote on stderr so far.
function Mount:log() return fsx.read(self.logfile) or "" end

-- A path inside the mount.
function Mount:path(rel) return rel and (self.dir .. "/" .. rel) or self.dir end

function Mount:mounted() return fsx.is_mounted(self.dir) end

local function ended(self)
  local how, code = self.proc:reap()
  return ("the daemon ended (%s %s) before the teardown; its stderr:\n%s"):format(
    tostring(how), tostring(code), self:log())
end

-- Raise unless the mount is up and its daemon alive: a spec that finds
-- its mount gone says why, instead of failing on every path.
function Mount:check()
  if not self.proc:alive() then error(ended(self), 2) end
  if not self:mounted() then error("the mount at " .. self.dir .. " is gone; the daemon is still running", 2) end
end

-- Unmount and end the daemon; safe to call more than once, never raises.
-- A daemon that ended before the teardown is a problem, unless the spec
-- ended it on purpose and said so (m.expect_exit = true).
-- Returns a list of problems (empty when all went well) and how the daemon
-- ended ("exit"/"signal", code).
function Mount:stop()
  if self.stopped then return self.problems, self.how, self.code end
  self.stopped = true
  local problems = {}
  if not self.expect_exit and not self.proc:alive() then problems[#problems + 1] = ended(self) end
  local function try(what, f)
    local ok, err = pcall(f)
    if not ok then problems[#problems + 1] = what .. ": " .. tostring(err) end
  end
  local unmounted = false
  if self:mounted() then
    try("fusermount3 -u", function()
      local r = sh.run({ "fusermount3", "-u", self.dir }, { timeout = 60 })
      if r.code ~= 0 then error(r.err) end
      unmounted = true
    end)
  end
  -- fusermount3 -u ends the daemon; give it a bounded moment, then TERM,
  -- then KILL, always by its pid.  A daemon that never mounted gets TERM
  -- at once.
  try("daemon exit", function()
    if not self.proc:alive() then return end
    if unmounted and self.proc:wait_exit(20) then return end
    if unmounted then
      problems[#problems + 1] = "the daemon did not exit after the unmount; sent SIGTERM"
    end
    self.proc:signal("TERM")
    if not self.proc:wait_exit(10) then
      problems[#problems + 1] = "the daemon ignored SIGTERM; sent SIGKILL"
    end
  end)
  try("reap", function() self.how, self.code = self.proc:reap() end)
  if self:mounted() then
    -- A daemon killed before unmounting leaves a dead mount behind.
    try("fusermount3 -u -z", function()
      local r = sh.run({ "fusermount3", "-u", "-z", self.dir }, { timeout = 60 })
      if r.code ~= 0 then error(r.err) end
    end)
    problems[#problems + 1] = "had to unmount lazily"
  end
  try("remove " .. self.work, function()
    if not fsx.remove_tree(self.work) then error("rm failed") end
  end)
  self.problems = problems
  return problems, self.how, self.code
end

-- Start a mount.  opts.dir: an existing mount point (else a fresh one);
-- opts.layout: a layout file (else the program's default); opts.world: a
-- world script's text, written beside the mount point and served;
-- opts.options: -o options, e.g. "allow_other"; opts.args: more words
-- before the mount point; opts.timeout: bound for the mount to appear
-- (default 30 s); opts.command: words that replace `proclua -f` (to test
-- this helper with a stand-in).  Raises with the daemon's stderr if it
-- does not mount, having cleaned up.
-- PROCLUA_TEST_MOUNT_ARGS in the environment: more words for every daemon
-- started here (uring_spec runs other specs again with --io-uring).
function M.start(opts)
  opts = opts or {}
  local work = fsx.mktemp_dir("proclua-mnt")
  local m = setmetatable({ work = work, dir = opts.dir or (work .. "/mnt"), logfile = work .. "/daemon.log" }, Mount)
  -- 0755: with -o allow_other, other users can reach the mount point
  assert(sh.ok("chmod 755 " .. sh.quote(work)))
  if not opts.dir then assert(sh.ok("mkdir " .. sh.quote(m.dir))) end
  local argv = {}
  for _, w in ipairs(opts.command or { testenv.bin(), "-f" }) do argv[#argv + 1] = w end
  if not opts.command then
    for w in (os.getenv("PROCLUA_TEST_MOUNT_ARGS") or ""):gmatch("%S+") do argv[#argv + 1] = w end
  end
  if opts.options then argv[#argv + 1] = "-o"; argv[#argv + 1] = opts.options end
  if opts.layout then argv[#argv + 1] = "--layout"; argv[#argv + 1] = opts.layout end
  if opts.world then
    fsx.write(work .. "/world.lua", opts.world)
    argv[#argv + 1] = "--world"; argv[#argv + 1] = work .. "/world.lua"
  end
  for _, a in ipairs(opts.args or {}) do argv[#argv + 1] = a end
  argv[#argv + 1] = m.dir
  m.proc = procs.spawn(argv, { stdout = work .. "/daemon.out", stderr = m.logfile, name = "proclua" })
  local ok, err = pcall(procs.wait_for, function()
    if m:mounted() then return true end
    if not m.proc:alive() then error("proclua exited without mounting", 0) end
    return false
  end, opts.timeout or 30, "the mount at " .. m.dir)
  if not ok then
    local log = m:log()
    m:stop()
    error(tostring(err) .. "\n" .. table.concat(argv, " ") .. "\nproclua stderr:\n" .. log, 2)
  end
  return m
end

-- Start the program with argv (no -f added) and wait, bounded, for it to
-- exit: for attempts that must fail.  Returns { code, how, err = stderr,
-- mounted = whether dir was mounted at any check }.  Cleans up whatever it
-- mounted.
function M.attempt(argv_tail, opts)
  opts = opts or {}
  local work = fsx.mktemp_dir("proclua-try")
  local dir = work .. "/mnt"
  assert(sh.ok("mkdir " .. sh.quote(dir)))
  local argv = { testenv.bin() }
  for _, a in ipairs(argv_tail) do argv[#argv + 1] = (a == "MNT") and dir or a end
  local errfile = work .. "/stderr"
  local p = procs.spawn(argv, { stdout = work .. "/stdout", stderr = errfile, name = "proclua" })
  local seen_mounted = false
  local exited = pcall(procs.wait_for, function()
    seen_mounted = seen_mounted or fsx.is_mounted(dir)
    return not p:alive()
  end, opts.timeout or 30, "proclua to exit")
  seen_mounted = seen_mounted or fsx.is_mounted(dir)
  if fsx.is_mounted(dir) then
    sh.run({ "fusermount3", "-u", dir }, { timeout = 60 })
  end
  local how, code = p:reap()
  if fsx.is_mounted(dir) then sh.run({ "fusermount3", "-u", "-z", dir }, { timeout = 60 }) end
  local result = {
    exited = exited, how = how, code = code, mounted = seen_mounted,
    out = fsx.read(work .. "/stdout") or "", err = fsx.read(errfile) or "", dir = dir,
  }
  fsx.remove_tree(work)
  return result
end

return M
