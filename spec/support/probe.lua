-- The probe helper (spec/helpers/probe.c): what a program sees when it
-- reads, readlinks, lstats or lists a path, one result line per path,
-- "OK ..." or "stage:ERRNO".  One run of probe handles many paths, so a
-- kernel path and its proclua twin are looked at by the same process.
local sh = require "sh"
local testenv = require "testenv"

local M = {}

-- Run the probe, as root or, with opts.uid, as that uid (and gid) through
-- setpriv; opts.wrap: words that run the probe instead (another caller:
-- setpriv with other options, unshare, ...).  Returns the result lines.
local function run(args, opts)
  opts = opts or {}
  local argv = {}
  for _, w in ipairs(opts.wrap or {}) do argv[#argv + 1] = w end
  if opts.uid then
    for _, w in ipairs { "setpriv", "--reuid=" .. opts.uid, "--regid=" .. (opts.gid or opts.uid),
                         "--clear-groups", "--" } do argv[#argv + 1] = w end
  end
  argv[#argv + 1] = testenv.helper("probe")
  for _, a in ipairs(args) do argv[#argv + 1] = a end
  local r = sh.run(argv, { timeout = opts.timeout or 120 })
  if r.timed_out then
    error("probe " .. table.concat(args, " ", 1, math.min(#args, 3)) .. " ...: no answer within "
      .. (opts.timeout or 120) .. " s", 2)
  end
  if r.code ~= 0 then
    error("probe " .. args[1] .. " failed (" .. r.code .. "): " .. r.err, 2)
  end
  local lines = {}
  for line in r.out:gmatch("[^\n]*\n") do lines[#lines + 1] = line:sub(1, -2) end
  return lines
end
M.run = run

local function many(op, paths, opts)
  if #paths == 0 then return {} end
  local args = { op }
  for _, p in ipairs(paths) do args[#args + 1] = p end
  local lines = run(args, opts)
  if #lines ~= #paths then
    error(("probe %s: %d results for %d paths"):format(op, #lines, #paths), 2)
  end
  return lines
end

-- Each returns one result string per path, in order.
function M.read(paths, opts) return many("read", paths, opts) end
function M.readlink(paths, opts) return many("readlink", paths, opts) end
function M.lstat(paths, opts) return many("lstat", paths, opts) end
function M.list(paths, opts) return many("list", paths, opts) end

-- Names of a directory in readdir order, or nil and the error ("open:ENOENT").
function M.names(dir, opts)
  local r = M.list({ dir }, opts)[1]
  local rest = r:match("^OK (.*)$")
  if not rest then return nil, r end
  local names = {}
  for n in rest:gmatch("[^/]+") do names[#names + 1] = n end
  return names
end

function M.pread(path, offset, len, opts)
  return run({ "pread", path, tostring(math.tointeger(offset)), tostring(math.tointeger(len)) }, opts)[1]
end

function M.write(path, data, opts)
  return run({ "write", path, data }, opts)[1]
end

return M
