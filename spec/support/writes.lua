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

-- Run sysctlw (under the wrapper words `wrap`): each case written to
-- write_path through one handle, then read_path read back, and reset
-- ("bytes", or nil for none) written before the next case.  Returns one
-- answer line per case: "OK:3 write:EINVAL = 350a" (the results, then the
-- bytes read, hex).
function M.sysctlw(wrap, write_path, read_path, reset, cases)
  local input = os.tmpname()
  local f = assert(io.open(input, "wb"))
  for _, c in ipairs(cases) do f:write(M.case_line(c), "\n") end
  f:close()
  local argv = {}
  for _, w in ipairs(wrap or {}) do argv[#argv + 1] = w end
  for _, w in ipairs { testenv.helper("sysctlw"), write_path, read_path, reset and M.hex(reset) or "-" } do
    argv[#argv + 1] = w
  end
  local r = sh.run(argv, { stdin = input, timeout = 600 })
  os.remove(input)
  if r.code ~= 0 then
    error(("sysctlw %s failed (%d): %s"):format(write_path, r.code, r.err), 2)
  end
  local lines = {}
  for line in r.out:gmatch("[^\n]*\n") do lines[#lines + 1] = line:sub(1, -2) end
  if #lines ~= #cases then
    error(("sysctlw %s: %d answers to %d cases: %s"):format(write_path, #lines, #cases, r.err), 2)
  end
  return lines
end

-- A sysctlw answer line as { results = { "OK:3", "write:EINVAL" }, value = "5\n" }
-- ({ results = {}, raw = line } for a line of another shape).
function M.answer(line)
  local results, value = line:match("^(.-) ?= ?(%x*)$")
  if not results then return { results = {}, raw = line } end
  local t = {}
  for w in results:gmatch("%S+") do t[#t + 1] = w end
  return { results = t, value = M.unhex(value) }
end

-- An answer line as a reader wants it in a failure message.
function M.shown(line)
  local a = M.answer(line)
  if not a.value then return a.raw end
  return table.concat(a.results, " ") .. " -> " .. ("%q"):format(a.value)
end

-- The cases whose answers differ between ours and the kernel's, at most
-- eight, as lines for a failure message ("" when all agree).
function M.differences(cases, ours, kernel)
  local bad = {}
  for i = 1, #cases do
    if ours[i] ~= kernel[i] and #bad < 8 then
      bad[#bad + 1] = ("  %s\n    kernel:  %s\n    proclua: %s"):format(M.case_text(cases[i]),
        M.shown(kernel[i]), M.shown(ours[i]))
    end
  end
  return table.concat(bad, "\n")
end

-- Each path opened for writing and written "1\n" once, by one process as
-- root: sh.run's result, its out a line per path: "open ERRNO", or
-- "write COUNT" / "write ERRNO".
function M.open_and_write(paths)
  local argv = { "/usr/bin/python3", "-c", [[
import os, sys
for path in sys.argv[1:]:
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError as e:
        print("open", e.errno)
        continue
    try:
        print("write", os.write(fd, b"1\n"))
    except OSError as e:
        print("write", e.errno)
    os.close(fd)
]] }
  for _, p in ipairs(paths) do argv[#argv + 1] = p end
  return sh.run(argv)
end

return M
