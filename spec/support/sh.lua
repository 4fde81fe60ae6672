-- Running commands through /bin/sh: quoting, and a bounded run that
-- captures stdout, stderr and the exit status.
local M = {}

-- One word for sh, whatever it contains.
function M.quote(s)
  s = tostring(s)
  if s:match("^[%w@%%+=:,./_-]+$") then return s end
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- A command line from a list of words.
function M.join(argv)
  local out = {}
  for i, w in ipairs(argv) do out[i] = M.quote(w) end
  return table.concat(out, " ")
end

local function slurp(path)
  local f = io.open(path, "rb")
  if not f then return "" end
  local s = f:read("a")
  f:close()
  return s
end

-- Run argv (a list of words) to completion.  opts.timeout (seconds,
-- default 120) bounds it: `timeout -s KILL` ends a command that hangs, so a
-- broken program fails the spec instead of stalling it.  opts.stdin is a
-- file to read from (default /dev/null).
-- Returns { out = stdout, err = stderr, code = exit code (128+N when killed
-- by signal N), timed_out = bool }.
-- Under a sanitizer build the spec's own interpreter has the sanitizer
-- runtime preloaded (PROCLUA_SPEC_PRELOAD, see spec/CMakeLists.txt); the
-- commands it runs must not: they are the tools and processes under test.
M.clean_env = os.getenv("PROCLUA_SPEC_PRELOAD") and "unset LD_PRELOAD; " or ""

function M.run(argv, opts)
  opts = opts or {}
  local errfile = os.tmpname()
  local limit = opts.timeout or 120
  local cmd = M.clean_env .. "timeout -s KILL " .. limit .. " " .. M.join(argv)
    .. " <" .. M.quote(opts.stdin or "/dev/null") .. " 2>" .. M.quote(errfile)
  local p = assert(io.popen(cmd, "r"))
  local out = p:read("a")
  local _, how, n = p:close()
  local err = slurp(errfile)
  os.remove(errfile)
  local code = how == "signal" and 128 + n or n
  return { out = out, err = err, code = code, timed_out = code == 128 + 9 or code == 137 }
end

-- Run a shell command string for its side effect; true when it exits 0.
function M.ok(cmdline)
  local ok = os.execute(M.clean_env .. cmdline)
  return ok == true
end

-- Sleep for a fraction of a second (used only between polls).
function M.sleep(seconds)
  os.execute("sleep " .. string.format("%.3f", seconds))
end

return M
