-- The writeseq helper (spec/helpers/writeseq.c): one handle, a sequence of
-- writes (any bytes, at any offset) and reads, one result line each, run as
-- root or as another caller, so a kernel path and its proclua twin get the
-- same bytes from the same kind of process.
local sh = require "sh"
local testenv = require "testenv"

local M = {}

function M.hex(s)
  return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end))
end

function M.unhex(h)
  return (h:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end))
end

-- The words that run a command as uid (and its gid), without groups.
function M.as_user(uid, extra)
  local argv = { "setpriv", "--reuid=" .. uid, "--regid=" .. uid, "--clear-groups" }
  for _, w in ipairs(extra or {}) do argv[#argv + 1] = w end
  argv[#argv + 1] = "--"
  return argv
end

-- Run writeseq on `path` opened with `mode` ("w", "rw", "wt").  Each step:
--   "bytes"                   write(2) them
--   { "bytes", at = ADDR }    pwrite(2) them at ADDR
--   { read = LEN, at = ADDR } pread(2)
--   "self"                    the writer's pid and tid
-- opts.uid: run as that uid; opts.wrap: words that run the helper (setpriv
-- with other options...).  Returns the result lines ("OK 5", "write:EINVAL",
-- "open:EACCES", reads as "OK <bytes>" decoded).
function M.run(path, mode, steps, opts)
  opts = opts or {}
  local argv = {}
  for _, w in ipairs(opts.wrap or {}) do argv[#argv + 1] = w end
  if opts.uid then
    for _, w in ipairs(M.as_user(opts.uid)) do argv[#argv + 1] = w end
  end
  argv[#argv + 1] = testenv.helper("writeseq")
  argv[#argv + 1] = path
  argv[#argv + 1] = mode
  local reads = {}
  for i, s in ipairs(steps) do
    if s == "self" then
      argv[#argv + 1] = "self"
    elseif type(s) == "string" then
      argv[#argv + 1] = M.hex(s)
    elseif s.read then
      argv[#argv + 1] = ("r:%d@%d"):format(s.read, s.at or 0)
      reads[i] = true
    else
      argv[#argv + 1] = M.hex(s[1]) .. "@" .. math.tointeger(s.at)
    end
  end
  local r = sh.run(argv, { timeout = opts.timeout or 60 })
  if r.timed_out then error("writeseq " .. path .. ": no answer in time", 2) end
  if r.code ~= 0 then error("writeseq " .. path .. " failed (" .. r.code .. "): " .. r.err, 2) end
  local lines = {}
  for line in r.out:gmatch("[^\n]*\n") do
    local i = #lines + 1
    line = line:sub(1, -2)
    if reads[i] and line:match("^OK ") then line = "OK " .. M.unhex(line:sub(4)) end
    lines[i] = line
  end
  return lines
end

-- A case of the sysctlw helper (spec/helpers/sysctlw.c): a list of steps,
-- each "bytes" (write(2)), { "bytes", at = OFF } (pwrite(2)) or "drop"
-- (a new handle).  Its input line: each step hex ("e" for no bytes),
-- "@OFF" after a pwrite's.
function M.case_line(case)
  local out = {}
  local function spell(bytes) return bytes == "" and "e" or M.hex(bytes) end
  for i, s in ipairs(case) do
    if s == "drop" then
      out[i] = "drop"
    elseif type(s) == "string" then
      out[i] = spell(s)
    else
      out[i] = spell(s[1]) .. "@" .. math.tointeger(s.at)
    end
  end
  return table.concat(out, " ")
end

-- A case as a reader wants it in a failure message (long writes cut).
function M.case_text(case)
  local out = {}
  for i, s in ipairs(case) do
    local bytes = type(s) == "string" and s or s[1]
    local q = ("%q"):format(#bytes > 60 and bytes:sub(1, 30) .. ("...(%d bytes)"):format(#bytes) or bytes)
    out[i] = type(s) == "table" and (q .. "@" .. s.at) or q
  end
  return table.concat(out, " ")
end

return M
