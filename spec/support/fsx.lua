-- Files for the specs: read whole files in this process (no child process
-- runs between two reads, which matters when comparing snapshots), with
-- errors as errno names; temporary directories; the mount table.
local sh = require "sh"

local M = {}

-- Linux's errno numbers (asm-generic, as on x86-64 and arm64).
local ERRNO = {
  [1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO",
  [6] = "ENXIO", [7] = "E2BIG", [9] = "EBADF", [10] = "ECHILD", [11] = "EAGAIN",
  [12] = "ENOMEM", [13] = "EACCES", [14] = "EFAULT", [16] = "EBUSY",
  [17] = "EEXIST", [19] = "ENODEV", [20] = "ENOTDIR", [21] = "EISDIR",
  [22] = "EINVAL", [24] = "EMFILE", [27] = "EFBIG", [28] = "ENOSPC",
  [29] = "ESPIPE", [30] = "EROFS", [34] = "ERANGE", [36] = "ENAMETOOLONG",
  [38] = "ENOSYS", [39] = "ENOTEMPTY", [40] = "ELOOP", [61] = "ENODATA",
  [95] = "EOPNOTSUPP", [107] = "ENOTCONN", [110] = "ETIMEDOUT",
}

function M.errname(n)
  return n and (ERRNO[n] or ("E" .. n)) or "E?"
end

-- Read a whole file.  Returns the bytes, or nil and "open:ENAME" /
-- "read:ENAME" (the stage that failed and the errno's name).
function M.read(path)
  local f, _, en = io.open(path, "rb")
  if not f then return nil, "open:" .. M.errname(en) end
  local data, _, en2 = f:read("a")
  f:close()
  if not data then return nil, "read:" .. M.errname(en2) end
  return data
end

-- The same as a comparable value: the bytes, or "<error open:ENOENT>".
-- (A file's bytes never start with "<error " in the specs' comparisons.)
function M.outcome(path)
  local data, err = M.read(path)
  if data then return data end
  return "<error " .. err .. ">"
end

-- Read from an already open handle to its end; same results as M.read.
function M.read_handle(f)
  local data, _, en = f:read("a")
  if not data then return "<error read:" .. M.errname(en) .. ">" end
  return data
end

function M.write(path, content)
  local f = assert(io.open(path, "wb"))
  assert(f:write(content))
  assert(f:close())
end

function M.exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

-- A new empty directory under /tmp (mktemp -d).
function M.mktemp_dir(prefix)
  local p = io.popen("mktemp -d /tmp/" .. (prefix or "proclua-spec") .. ".XXXXXX")
  local dir = p:read("l")
  p:close()
  assert(dir and dir:match("^/tmp/"), "mktemp -d failed")
  return dir
end

-- Remove a directory tree this spec created under /tmp.  Refuses anything
-- else, and refuses to descend into a mount (-xdev and a mount check).
function M.remove_tree(dir)
  assert(dir:match("^/tmp/[%w._-]+"), "refusing to remove " .. dir)
  if M.is_mounted_below(dir) then
    error("refusing to remove " .. dir .. ": something is still mounted below it")
  end
  return sh.ok("rm -rf --one-file-system " .. sh.quote(dir))
end

-- The mount points of this mount namespace (field 5 of mountinfo,
-- unescaped), in order.
function M.mount_points()
  local out = {}
  local text = M.read("/proc/self/mountinfo") or ""
  for line in text:gmatch("[^\n]+") do
    local mp = line:match("^%S+ %S+ %S+ %S+ (%S+)")
    if mp then
      mp = mp:gsub("\\(%d%d%d)", function(o) return string.char(tonumber(o, 8)) end)
      out[#out + 1] = mp
    end
  end
  return out
end

-- The mountinfo line of a mount point, or nil.
function M.mountinfo_line(dir)
  local text = M.read("/proc/self/mountinfo") or ""
  for line in text:gmatch("[^\n]+") do
    local mp = line:match("^%S+ %S+ %S+ %S+ (%S+)")
    if mp and mp:gsub("\\(%d%d%d)", function(o) return string.char(tonumber(o, 8)) end) == dir then
      return line
    end
  end
  return nil
end

function M.is_mounted(dir)
  return M.mountinfo_line(dir) ~= nil
end

function M.is_mounted_below(dir)
  for _, mp in ipairs(M.mount_points()) do
    if mp == dir or mp:sub(1, #dir + 1) == dir .. "/" then return true end
  end
  return false
end

-- Split text into lines (without their '\n').
function M.lines(text)
  local out = {}
  for line in (text .. "\n"):gmatch("(.-)\n") do out[#out + 1] = line end
  if text:sub(-1) == "\n" or text == "" then out[#out] = nil end
  return out
end

-- Text made of "== NAME\n" headings, each followed by its file's bytes
-- (the spec scripts that read many files in one process print them so):
-- the bytes by name.
function M.sections(text)
  local out, pos = {}, 1
  while true do
    local s, e, name = text:find("== ([^\n]+)\n", pos)
    if not s then break end
    local nexts = text:find("\n== ", e, true)
    out[name] = text:sub(e + 1, nexts or #text)
    pos = nexts and nexts + 1 or #text + 1
  end
  return out
end

return M
