-- Processes for the specs: start a command and know its pid, signal it
-- BY PID only, wait for a state, and reap it.
--
-- A process is started as `sh -c 'echo $$; exec COMMAND'` under io.popen:
-- the shell prints its own pid and then becomes the command, so the pid is
-- the command's and the command is this Lua process's own child.  Closing
-- the popen handle waits for it (reaps it), which is how a spec controls
-- "killed but not yet reaped" versus "reaped" without relying on pid 1.
--
-- Nothing here ever signals by name, a process group, or a pid that was
-- not returned by spawn() and is not yet reaped.
local fsx = require "fsx"
local sh = require "sh"

local M = {}

local function read_file(path) return (fsx.read(path)) end

-- Fields of /proc/PID/stat (or of any stat file's text), indexed as in
-- proc(5): [1] pid, [2] comm, [3] state, ... [48] arg_start ...  The comm is
-- taken up to the LAST ')' since it may itself contain ') ' and spaces.
function M.parse_stat(text)
  local pid, comm, rest = text:match("^(%d+) %((.*)%) (.*)$")
  if not pid then return nil end
  local f = { tonumber(pid), comm }
  for w in rest:gmatch("%S+") do f[#f + 1] = tonumber(w) or w end
  return f
end

function M.stat(pid, tid)
  local path = tid and ("/proc/%d/task/%d/stat"):format(pid, tid) or ("/proc/%d/stat"):format(pid)
  local s = read_file(path)
  return s and M.parse_stat(s)
end

-- The state letter of a task ("R", "S", "T", "Z", ...), or nil once it is gone.
function M.state(pid, tid)
  local f = M.stat(pid, tid)
  return f and f[3]
end

-- Tids of a thread group, from the kernel's task/ directory.
function M.tids(pid)
  local p = io.popen("ls -1 -U /proc/" .. math.tointeger(pid) .. "/task 2>/dev/null")
  local out = {}
  for line in p:lines() do out[#out + 1] = tonumber(line) end
  p:close()
  table.sort(out)
  return out
end

-- Children of one thread, from the kernel's children file.
function M.children(pid, tid)
  local s = read_file(("/proc/%d/task/%d/children"):format(pid, tid or pid)) or ""
  local out = {}
  for w in s:gmatch("%d+") do out[#out + 1] = tonumber(w) end
  return out
end

-- Poll pred() until it returns a true value (returned) or `timeout`
-- seconds pass (then raise an error naming `what`).  A bound, not a timing
-- assertion: the timeout only keeps a broken run from hanging.
function M.wait_for(pred, timeout, what)
  local deadline = os.time() + (timeout or 30)
  local delay = 0.01
  while true do
    local v = pred()
    if v then return v end
    if os.time() > deadline then
      error("gave up waiting for " .. (what or "a condition") .. " after " .. (timeout or 30) .. " s", 2)
    end
    sh.sleep(delay)
    delay = math.min(delay * 2, 0.2)
  end
end

local Proc = {}
Proc.__index = Proc

local function check_pid(pid)
  pid = math.tointeger(pid)
  if not pid or pid <= 1 then error("refusing to signal pid " .. tostring(pid), 3) end
  return pid
end

-- Send a signal ("STOP", "CONT", "KILL", "TERM", ...) to this process.
function Proc:signal(sig)
  if self.reaped then error("pid " .. self.pid .. " was already reaped; not signalling it", 2) end
  local pid = check_pid(self.pid)
  assert(sig:match("^%u+%d*$"), "bad signal name")
  return sh.ok("kill -s " .. sig .. " " .. pid .. " 2>/dev/null")
end

function Proc:stop() return self:signal("STOP") end
function Proc:cont() return self:signal("CONT") end

-- Alive means running, sleeping or stopped: not a zombie, not gone.
function Proc:alive()
  if self.reaped then return false end
  local st = M.state(self.pid)
  return st ~= nil and st ~= "Z" and st ~= "X"
end

-- Wait until every thread of the process is in one of `states`
-- (a string of state letters, e.g. "T").
function Proc:wait_state(states, timeout)
  return M.wait_for(function()
    local tids = M.tids(self.pid)
    if #tids == 0 then return false end
    for _, tid in ipairs(tids) do
      local st = M.state(self.pid, tid)
      if not st or not states:find(st, 1, true) then return false end
    end
    return true
  end, timeout, ("pid %d (%s) to reach state %s"):format(self.pid, self.name, states))
end

-- Stop with SIGSTOP and wait until every thread is stopped.
function Proc:stop_and_wait(timeout)
  self:stop()
  return self:wait_state("T", timeout)
end

-- What the process wrote on stdout so far (when spawn() captured it).
function Proc:output()
  return self.stdout and read_file(self.stdout) or ""
end

-- Wait until the process's stdout has a line matching `pattern`; returns
-- the captures.  Fails early if the process died.
function Proc:wait_output(pattern, timeout)
  local caps
  M.wait_for(function()
    for line in self:output():gmatch("[^\n]+") do
      caps = table.pack(line:match(pattern))
      if caps[1] ~= nil then return true end
    end
    if not self:alive() then
      error(("pid %d (%s) exited before printing %q; stderr: %s"):format(
        self.pid, self.name, pattern, self.stderr and read_file(self.stderr) or "?"), 0)
    end
    return false
  end, timeout, ("pid %d (%s) to print %q"):format(self.pid, self.name, pattern))
  return table.unpack(caps, 1, caps.n)
end

-- Wait for the process to exit on its own (it stays a zombie until reaped);
-- true if it did within `timeout` seconds.
function Proc:wait_exit(timeout)
  return pcall(M.wait_for, function() return not self:alive() end, timeout, "exit")
end

-- Reap the process: SIGKILL it first if it is still alive, then wait for
-- it.  Returns how it ended: "exit" or "signal", and the code.  Safe to call
-- more than once.
function Proc:reap()
  if self.reaped then return self.how, self.code end
  if self:alive() then self:signal("KILL") end
  local _, how, code = self.handle:close()
  self.reaped, self.how, self.code = true, how, code
  return how, code
end

-- A Proc forgotten by its spec, or still running when Lua exits, is
-- killed and reaped rather than left behind.
Proc.__gc = function(self) pcall(Proc.reap, self) end

-- Start argv (a list of words) in the background as a child of this Lua
-- process.  opts.stdout / opts.stderr: files to write (default /dev/null);
-- opts.name: a label for messages.  Returns a Proc with .pid.
function M.spawn(argv, opts)
  opts = opts or {}
  local cmd = sh.clean_env .. "echo $$; exec " .. sh.join(argv)
    .. " </dev/null >" .. sh.quote(opts.stdout or "/dev/null")
    .. " 2>" .. sh.quote(opts.stderr or "/dev/null")
  local handle = assert(io.popen(cmd, "r"))
  local pid = math.tointeger(tonumber(handle:read("l")))
  if not pid then
    handle:close()
    error("could not start " .. sh.join(argv))
  end
  -- The Proc is created after its popen handle, so at exit its finaliser
  -- runs first (Lua finalises in reverse order) and kills the process
  -- before Lua's own close of the handle would wait for it.
  local p = setmetatable({
    pid = pid, handle = handle, name = opts.name or argv[1],
    stdout = opts.stdout, stderr = opts.stderr,
  }, Proc)
  return p
end

-- The kernel's knob for the next pid to hand out (minus one).
M.NS_LAST_PID = "/proc/sys/kernel/ns_last_pid"

-- Start argv as a process whose pid is `want`, or return nil: another
-- process may take the number first, so it is tried a bounded number of
-- times, each miss reaped at once.
function M.spawn_as_pid(want, argv, opts)
  for _ = 1, 50 do
    fsx.write(M.NS_LAST_PID, tostring(want - 1))
    local p = M.spawn(argv, opts)
    if p.pid == want then return p end
    p:reap()
  end
  return nil
end

-- The zombie child of parent (a parent that never reaps it), once there.
function M.zombie_of(parent, timeout)
  return M.wait_for(function()
    for _, c in ipairs(M.children(parent)) do
      if M.state(c) == "Z" then return c end
    end
  end, timeout or 30, "the zombie of " .. parent)
end

-- A fixture's processes: a work directory `work` (0755, removed when the
-- spec ends) and F.spawn(kind, argv) starting each with its output in
-- work/KIND.out and .err; every one is reaped, by pid, when the spec ends
-- (suite.defer: before the directory goes).
function M.fixture(name)
  local suite = require "suite"
  local F = { work = fsx.mktemp_dir(name), started = {} }
  suite.defer("remove " .. F.work, function() assert(fsx.remove_tree(F.work)) end)
  assert(sh.ok("chmod 755 " .. F.work))
  suite.defer("reap the processes of " .. name, function()
    for _, p in ipairs(F.started) do p:reap() end
  end)
  function F.spawn(kind, argv)
    local p = M.spawn(argv, { stdout = F.work .. "/" .. kind .. ".out",
                              stderr = F.work .. "/" .. kind .. ".err", name = kind })
    F.started[#F.started + 1] = p
    return p
  end
  return F
end

return M
