-- Writable Lua files: p.file(name, mode, fn, { write = function(task,
-- bytes, offset, caller) ... end }).  The writer gets the count the
-- function returns, or the errno it names, or the whole count for nil; a
-- function that fails, runs away or returns anything else is EIO, logged
-- with the script's file and line, and the daemon keeps serving.  What a
-- write function keeps (in an upvalue here) is what later reads show.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local p = require "proclua"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"
local writes = require "writes"

local USER = 40001

local LAYOUT = {
  'local p = require "proclua"',
  'local note, by, tags = "", "", {}',
  'local function show() return note .. by .. "\\n" end',
  'return p.layout {',
  '  root = {',
  '    p.link("self", "self"),',
  '    p.file("note", "0666", show, { write = function(task, bytes, offset, caller)',
  '      if bytes == "einval" then return "EINVAL" end',
  '      if bytes == "eperm" then return "EPERM" end',
  '      if bytes == "boom" then error("kaboom from a write") end -- BOOM',
  '      if bytes == "spin" then while true do end end',
  '      if bytes == "table" then return {} end',
  '      if bytes == "unknown" then return "ENOTANERRNO" end',
  '      if bytes == "toomany" then return #bytes + 1 end',
  '      if bytes == "negative" then return -1 end',
  '      note = bytes .. "@" .. offset',
  '      by = (" uid=%s gid=%s pid=%s tid=%s euid=%s task=%s"):format(caller.uid, caller.gid,',
  '        caller.pid, caller.tid, caller.euid, task.pid)',
  '      if bytes:sub(1, 4) == "half" then return #bytes // 2 end',
  '    end }),',
  '    p.file("rootonly", "0644", show, { write = function() end }),',
  '    p.file("readonly", "0666", show),',
  '  },',
  '  task = {',
  '    p.dir("task", "0555", "task", { only = "tgid" }),',
  '    p.file("tag", "0666", function(task) return (tags[task.tid] or "none") .. "\\n" end, {',
  '      write = function(task, bytes) tags[task.tid] = bytes .. " for " .. task.comm end }),',
  '  },',
  '}',
}

local fixture = suite.once(function()
  local F = {}
  F.work = fsx.mktemp_dir("proclua-lw")
  suite.defer("remove " .. F.work, function() assert(fsx.remove_tree(F.work)) end)
  assert(sh.ok("chmod 755 " .. F.work))
  F.layout = F.work .. "/lw.lua"
  fsx.write(F.layout, table.concat(LAYOUT, "\n") .. "\n")
  for i, l in ipairs(LAYOUT) do
    if l:find("-- BOOM", 1, true) then F.boom_line = i end
    if l:find('p.file("note"', 1, true) then F.write_line = i end
  end
  F.proc = procs.spawn({ "sleep", "1000" }, { name = "sleeper" })
  suite.defer("reap the sleeper", function() F.proc:reap() end)
  F.mount = mnt.start { layout = F.layout, options = "allow_other" }
  suite.defer("unmount " .. F.mount.dir, function() return F.mount:stop() end)
  return F
end)

local function path(rel) return fixture().mount:path(rel) end
local function read(rel) return fsx.read(path(rel)) end
local function write(rel, steps, opts) return writes.run(path(rel), "w", steps, opts) end

TestLuaWrite = {}

function TestLuaWrite.test_nil_is_the_whole_count_and_reads_show_what_was_kept()
  lu.assertEquals(write("note", { "hello" }), { "OK 5" })
  lu.assertStrContains(read("note"), "hello@0 uid=0 gid=0 ")
  lu.assertEquals(write("note", { { "there", at = 7 } }), { "OK 5" })
  lu.assertStrContains(read("note"), "there@7 ")
  -- a root-level file has no task: pid 0
  lu.assertStrContains(read("note"), " task=0\n")
end

function TestLuaWrite.test_the_count_it_returns()
  lu.assertEquals(write("note", { "half of it" }), { "OK 5" })
  lu.assertStrContains(read("note"), "half of it@0 ")
end

function TestLuaWrite.test_the_errno_it_names_and_nothing_changes()
  lu.assertEquals(write("note", { "kept" }), { "OK 4" })
  lu.assertEquals(write("note", { "einval", "eperm" }), { "write:EINVAL", "write:EPERM" })
  lu.assertStrContains(read("note"), "kept@0 ")
end

function TestLuaWrite.test_the_caller()
  local lines = write("note", { "self", "who" }, { uid = USER })
  lu.assertEquals(lines[2], "OK 3")
  local pid, tid = lines[1]:match("^OK (%d+) (%d+)$")
  lu.assertEquals(read("note"),
    ("who@0 uid=%d gid=%d pid=%s tid=%s euid=%d task=0\n"):format(USER, USER, pid, tid, USER))
end

local function log_since(before)
  return fixture().mount:log():sub(#before + 1)
end

function TestLuaWrite.test_an_error_is_eio_logged_at_its_line_and_the_daemon_serves_on()
  local F = fixture()
  lu.assertEquals(write("note", { "kept" }), { "OK 4" })
  local before = F.mount:log()
  lu.assertEquals(write("note", { "boom", "again" }), { "write:EIO", "OK 5" })
  lu.assertStrContains(log_since(before),
    ("proclua: lua file failed: %s:%d: kaboom from a write\n"):format(F.layout, F.boom_line))
  lu.assertStrContains(read("note"), "again@0 ")
  F.mount:check()
end

function TestLuaWrite.test_a_runaway_is_stopped()
  local F = fixture()
  local before = F.mount:log()
  -- the helper's own bound only keeps a hung daemon from hanging the spec
  lu.assertEquals(writes.run(path("note"), "w", { "spin", "after" }, { timeout = 120 }),
    { "write:EIO", "OK 5" })
  lu.assertStrContains(log_since(before), "script stopped: time limit exceeded")
  lu.assertStrContains(read("note"), "after@0 ")
  F.mount:check()
end

-- Anything but nil, a count from 0 to the bytes given, or an errno name.
function TestLuaWrite.test_another_result_is_eio_naming_the_function()
  local F = fixture()
  for _, c in ipairs {
    { "table", "function returned table, not a count, an errno name or nil" },
    { "unknown", 'function returned "ENOTANERRNO", not an errno name such as "EINVAL"' },
    { "toomany", "function returned 8, not a count from 0 to 7" },
    { "negative", "function returned -1, not a count from 0 to 8" },
  } do
    local before = F.mount:log()
    lu.assertEquals(write("note", { c[1] }), { "write:EIO" }, c[1])
    lu.assertStrContains(log_since(before),
      ("proclua: lua file failed: %s:%d: %s\n"):format(F.layout, F.write_line, c[2]))
  end
  F.mount:check()
end

-- The mode bits decide who may open it for writing, before any function
-- runs; a Lua file without a write function takes no writes at all: whoever
-- the mode lets open it (here 0666: anyone) gets EINVAL for each write, as
-- from a procfs file without a write method.
function TestLuaWrite.test_who_may_open_it()
  lu.assertEquals(write("rootonly", { "x" }, { uid = USER }), { "open:EACCES" })
  lu.assertEquals(write("rootonly", { "x" }), { "OK 1" })
  lu.assertEquals(write("readonly", { "x" }), { "write:EINVAL" })
  lu.assertEquals(write("readonly", { "x" }, { uid = USER }), { "write:EINVAL" })
end

function TestLuaWrite.test_a_task_file_gets_its_task()
  local F = fixture()
  local pid = F.proc.pid
  lu.assertEquals(read(pid .. "/tag"), "none\n")
  lu.assertEquals(write(pid .. "/tag", { "red" }, { uid = USER }), { "OK 3" })
  lu.assertEquals(read(pid .. "/tag"), "red for sleep\n")
  lu.assertEquals(read(pid .. "/task/" .. pid .. "/tag"), "red for sleep\n")
end

-- examples/layouts/notes.lua: a board anyone may write, a label per process
-- its owner may set.
function TestLuaWrite.test_the_notes_example()
  local F = fixture()
  local m = mnt.start { layout = testenv.src() .. "/examples/layouts/notes.lua",
                        options = "allow_other" }
  local ok, err = pcall(function()
    local lines = writes.run(m:path("notes"), "w", { "self", "backup at 2am\n" }, { uid = USER })
    lu.assertEquals(lines[2], "OK 14")
    local pid = lines[1]:match("^OK (%d+)")
    lu.assertEquals(writes.run(m:path("notes"), "w", { "a\0b" }), { "write:EINVAL" })
    lu.assertEquals(fsx.read(m:path("notes")), ("%d %s: backup at 2am\n"):format(USER, pid))
    local label = m:path(F.proc.pid .. "/label")
    lu.assertEquals(fsx.read(label), "")
    lu.assertEquals(writes.run(label, "w", { "web\n" }, { uid = USER }), { "open:EACCES" })
    lu.assertEquals(writes.run(label, "w", { "web\n" }), { "OK 4" })
    lu.assertEquals(fsx.read(label), "web\n")
    m:check()
  end)
  local problems = m:stop()
  if not ok then error(err, 0) end
  lu.assertEquals(problems, {}, "unmount")
end

-- Declarations: write= is a function, and only for a Lua function file.
function TestLuaWrite.test_declarations()
  local ok, err = pcall(p.file, "x", "0644", function() return "" end, { write = "no" })
  lu.assertFalse(ok)
  lu.assertStrContains(err, "write must be a function(task, bytes, offset, caller)")
  ok, err = pcall(p.file, "x", "0644", "stat", { write = function() end })
  lu.assertFalse(ok)
  lu.assertStrContains(err, "write= needs a Lua function file")
  local t = p.compile(p.layout { root = {
    p.file("w", "0644", function() return "" end, { write = function() end }),
    p.file("r", "0644", function() return "" end),
  } })
  lu.assertEquals({ t[1].name, t[1].writable, t[2].name, t[2].writable }, { "w", true, "r", false })
end

suite.run()
