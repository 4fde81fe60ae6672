-- Layout specs: a layout script (written to a temporary file) decides what
-- the mount shows; a layout with an error does not load, names its file
-- and line, and nothing is mounted; a Lua-computed file that fails reads
-- as EIO while the daemon keeps serving.
local lu = require "luaunit"
local compare = require "compare"
local fsx = require "fsx"
local mnt = require "mnt"
local probe = require "probe"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

-- A stopped two-thread process to look at, and a directory for layouts.
local fixture = suite.once(function()
  local F = {}
  F.work = fsx.mktemp_dir("proclua-layout")
  suite.defer("remove " .. F.work, function() assert(fsx.remove_tree(F.work)) end)
  assert(sh.ok("mkdir " .. F.work .. "/threads-dir"))
  F.proc = procs.spawn({ testenv.helper("threads"), F.work .. "/threads-dir" },
    { stdout = F.work .. "/threads.out", name = "threads" })
  suite.defer("reap the test process", function() F.proc:reap() end)
  F.worker = tonumber(F.proc:wait_output("^ready (%d+)$"))
  F.proc:stop_and_wait()
  F.pid = F.proc.pid
  return F
end)

local HEAD = {
  'local p = require "proclua"',
  'return p.layout {',
  '  root = { p.link("self", "self"), p.link("thread-self", "thread_self") },',
  '  task = {',
}
local TAIL = { '  },', '}' }

-- Layout lines: HEAD, the given task entries, TAIL.
local function layout_lines(entries)
  local lines = {}
  for _, t in ipairs { HEAD, entries, TAIL } do
    for _, l in ipairs(t) do lines[#lines + 1] = l end
  end
  return lines
end

-- Write a layout file; returns its path and the line number of the first
-- line containing `marker` (if given).
local function write_layout(name, lines, marker)
  local F = fixture()
  local path = F.work .. "/" .. name .. ".lua"
  fsx.write(path, table.concat(lines, "\n") .. "\n")
  if marker then
    for i, l in ipairs(lines) do
      if l:find(marker, 1, true) then return path, i end
    end
    error("marker not found: " .. marker)
  end
  return path
end

-- Mount with a layout, run fn(mount), always unmount; the unmount must go
-- cleanly.
local function with_mount(layout, fn)
  local m = mnt.start { layout = layout }
  local ok, err = pcall(function() fn(m); m:check() end)
  local problems = m:stop()
  if not ok then error(err, 0) end
  lu.assertEquals(problems, {}, "unmount")
  return m
end

-- "- 444", "d 511", "l 777", ... or the error
local function mode_of(path)
  local r = probe.lstat({ path })[1]
  return r:match("^OK (%S+ %d+)") or r
end

TestLayout = {}

-- The declaration API is the proclua module, loadable from the stock
-- interpreter (LUA_CPATH has the directory of build/proclua.so).
function TestLayout:test_the_module_loads_in_the_stock_interpreter()
  local p = require "proclua"
  for _, f in ipairs { "layout", "file", "dir", "link", "stub" } do
    lu.assertEquals(type(p[f]), "function", "proclua." .. f)
  end
end

-- p.compile describes the table the daemon would serve: every entry with
-- its kind, mode (octal text), scope and parent (-1 the root list, -2 the
-- task list, else the directory's index).
function TestLayout:test_compile_describes_the_entries()
  local p = require "proclua"
  local t = p.compile(p.layout {
    root = { p.link("self", "self"), p.dir("sys", "0555", { p.stub("x", "0400", "1\n") }) },
    task = { p.file("stat", "0444", "stat", { only = "tgid" }) },
  })
  local got = {}
  for i, e in ipairs(t) do
    got[i] = table.concat({ e.index, e.name, e.kind, e.mode, e.only, e.scope, e.parent }, " ")
  end
  lu.assertEquals(got, {
    "0 self link 0777 both root -1",
    "1 sys dir 0555 both root -1",
    "2 stat file 0444 tgid task -2",
    "3 x stub 0400 both root 1",
  })
end

-- Drop, rename, re-mode, add a stub and Lua-computed files, restrict an
-- entry to thread-group directories, a static directory.
function TestLayout:test_a_custom_layout_changes_the_mount()
  local F = fixture()
  local path = write_layout("custom", {
    HEAD[1], HEAD[2],
    '  root = { p.link("self", "self") },',          -- thread-self dropped
    '  task = {',
    '    p.dir("task", "0555", "task", { only = "tgid" }),',
    '    p.file("status", "0444", "status"),',
    '    p.file("kstat", "0444", "stat"),',              -- stat, renamed
    '    p.file("comm", "0400", "comm"),',               -- Linux's is 0644
    '    p.file("cmdline", "0444", "cmdline"),',
    '    p.link("exe", "exe"),',
    '    p.dir("ns", "0511", { p.link("pid", "ns_pid") }),',
    '    p.stub("note", "0444", "hello\\n"),',
    '    p.file("sandbox_note", "0444", function(task) return "pid " .. task.pid .. "\\n" end),',
    '    p.file("who", "0440", function(task) return ("%d %d %s\\n"):format(task.pid, task.tid, task.comm) end),',
    TAIL[1], TAIL[2],
  })
  with_mount(path, function(m)
    local pid, worker = F.pid, F.worker
    local tgid_dir, worker_dir = m:path(tostring(pid)), m:path(("%d/task/%d"):format(pid, worker))
    lu.assertEquals(probe.names(tgid_dir),
      { "task", "status", "kstat", "comm", "cmdline", "exe", "ns", "note", "sandbox_note", "who" })
    lu.assertEquals(probe.names(worker_dir),
      { "status", "kstat", "comm", "cmdline", "exe", "ns", "note", "sandbox_note", "who" })
    lu.assertEquals(probe.names(tgid_dir .. "/ns"), { "pid" })
    -- dropped
    lu.assertEquals(probe.lstat({ tgid_dir .. "/environ", tgid_dir .. "/stat", tgid_dir .. "/maps",
      worker_dir .. "/task", tgid_dir .. "/ns/net", m:path("thread-self") }),
      { "lstat:ENOENT", "lstat:ENOENT", "lstat:ENOENT", "lstat:ENOENT", "lstat:ENOENT", "lstat:ENOENT" })
    -- renamed: the same bytes as the kernel's stat
    local ok, why = compare.stable("/proc/" .. pid .. "/stat", tgid_dir .. "/kstat")
    lu.assertTrue(ok, why)
    ok, why = compare.stable(("/proc/%d/task/%d/stat"):format(pid, worker), worker_dir .. "/kstat")
    lu.assertTrue(ok, why)
    -- re-moded, and the modes left alone
    lu.assertEquals(mode_of(tgid_dir .. "/comm"), "- 400")
    lu.assertEquals(mode_of(tgid_dir .. "/status"), "- 444")
    lu.assertEquals(mode_of(tgid_dir .. "/who"), "- 440")
    lu.assertEquals(mode_of(tgid_dir .. "/ns"), "d 511")
    lu.assertEquals(mode_of(tgid_dir .. "/exe"), "l 777")
    -- the static directory's link and the builtin link
    lu.assertEquals(probe.readlink({ tgid_dir .. "/ns/pid", tgid_dir .. "/exe" }),
      probe.readlink({ "/proc/" .. pid .. "/ns/pid", "/proc/" .. pid .. "/exe" }))
    -- the stub and the Lua-computed files, in both kinds of directory
    for _, d in ipairs { tgid_dir, worker_dir } do
      lu.assertEquals(fsx.read(d .. "/note"), "hello\n")
      lu.assertEquals(mode_of(d .. "/note"), "- 444")
      lu.assertEquals(fsx.read(d .. "/sandbox_note"), "pid " .. pid .. "\n")
    end
    lu.assertEquals(fsx.read(tgid_dir .. "/who"), ("%d %d threads\n"):format(pid, pid))
    lu.assertEquals(fsx.read(worker_dir .. "/who"), ("%d %d spec-worker\n"):format(pid, worker))
    -- self is still there and still names the reader
    local r = probe.readlink({ "/proc/self", m:path("self") })
    lu.assertEquals(r[2], r[1])
  end)
end

-- The issue's promise: removing a line from scripts/proc.lua removes that
-- file from the mount, and nothing else changes.
function TestLayout:test_removing_a_line_of_the_default_layout_removes_that_file()
  local F = fixture()
  local lines = fsx.lines(assert(fsx.read(testenv.default_layout())))
  local kept, removed = {}, 0
  for _, l in ipairs(lines) do
    if l:find('"environ"', 1, true) then removed = removed + 1 else kept[#kept + 1] = l end
  end
  lu.assertEquals(removed, 1, "scripts/proc.lua declares environ on exactly one line")
  local default_names
  with_mount(nil, function(m) default_names = probe.names(m:path(tostring(F.pid))) end)
  local expected = {}
  for _, n in ipairs(default_names) do
    if n ~= "environ" then expected[#expected + 1] = n end
  end
  lu.assertEquals(#expected, #default_names - 1, "the default layout serves environ")
  with_mount(write_layout("no_environ", kept), function(m)
    lu.assertEquals(probe.names(m:path(tostring(F.pid))), expected)
    lu.assertEquals(probe.lstat({ m:path(F.pid .. "/environ") }), { "lstat:ENOENT" })
  end)
end

------------------------------------------------------------------------------
-- Layouts that do not load.

local BAD = {
  syntax_error = {
    entries = { '    p.file("status", "0444", "status"),', '    p.file("stat" 0444, "stat"),' },
    marker = 'p.file("stat" 0444' },
  mode_not_octal = {
    entries = { '    p.file("status", "0444", "status"),', '    p.file("stat", "abc", "stat"),' },
    marker = '"abc"' },
  -- Lua has no octal literals: 0444 is the number 444, so a mode is a string
  mode_as_a_number = {
    entries = { '    p.file("status", "0444", "status"),', '    p.file("stat", 0444, "stat"),' },
    marker = 'p.file("stat", 0444' },
  unknown_file_generator = {
    entries = { '    p.file("status", "0444", "status"),', '    p.file("stat", "0444", "no_such_generator"),' },
    marker = 'no_such_generator' },
  unknown_link_generator = {
    entries = { '    p.file("status", "0444", "status"),', '    p.link("exe", "no_such_link"),' },
    marker = 'no_such_link' },
  unknown_dir_generator = {
    entries = { '    p.file("status", "0444", "status"),', '    p.dir("fd", "0500", "no_such_dir"),' },
    marker = 'no_such_dir' },
}

local function bad_layout(name)
  local b = BAD[name]
  return write_layout(name, layout_lines(b.entries), b.marker)
end

local function assert_names_line(output, path, line)
  lu.assertStrContains(output, path .. ":" .. line .. ":", false,
    "the message names the script and the line")
end

-- `proclua --check` and a mount attempt (foreground and daemon) both fail
-- with the script's file:line, and nothing is mounted.
local function assert_does_not_load(path, line)
  local check = sh.run({ testenv.bin(), "--check", "--layout", path }, { timeout = 60 })
  lu.assertFalse(check.timed_out, "--check finished")
  lu.assertEquals(check.code, 1, "--check exits 1; stderr: " .. check.err)
  if line then assert_names_line(check.err, path, line) else lu.assertStrContains(check.err, path) end
  for _, argv in ipairs { { "-f", "--layout", path, "MNT" }, { "--layout", path, "MNT" } } do
    local r = mnt.attempt(argv)
    local cmd = "proclua " .. table.concat(argv, " ")
    lu.assertTrue(r.exited, cmd .. " exited")
    lu.assertFalse(r.mounted, cmd .. " mounted nothing")
    lu.assertNotEquals(r.code, 0, cmd .. " exits non-zero")
    if line then assert_names_line(r.err, path, line) else lu.assertStrContains(r.err, path) end
  end
end

for name in pairs(BAD) do
  TestLayout["test_does_not_load_" .. name] = function()
    assert_does_not_load(bad_layout(name))
  end
end

function TestLayout:test_does_not_load_runtime_error()
  local path, line = write_layout("runtime_error", {
    'local p = require "proclua"',
    'error("the layout script fails while it runs")',
    'return p.layout { task = {} }',
  }, "error(")
  assert_does_not_load(path, line)
end

function TestLayout:test_does_not_load_a_script_that_returns_no_layout()
  assert_does_not_load(write_layout("no_layout", { 'local p = require "proclua"', 'return 42' }))
end

function TestLayout:test_check_accepts_good_layouts_silently()
  for _, path in ipairs { testenv.default_layout(), write_layout("good", layout_lines {
    '    p.file("status", "0444", "status"),',
    '    p.stub("note", "0444", "hello\\n"),',
    '    p.file("sandbox_note", "0444", function(task) return "pid " .. task.pid .. "\\n" end),',
  }) } do
    local r = sh.run({ testenv.bin(), "--check", "--layout", path }, { timeout = 60 })
    lu.assertEquals({ r.code, r.out, r.err }, { 0, "", "" }, "--check --layout " .. path)
  end
  local r = sh.run({ testenv.bin(), "--check" }, { timeout = 60 })
  lu.assertEquals({ r.code, r.out, r.err }, { 0, "", "" }, "--check with the default layout")
end

------------------------------------------------------------------------------
-- Lua-computed files at run time.

local EIO = { ["open:EIO"] = true, ["read:EIO"] = true }

function TestLayout:test_a_failing_lua_file_reads_eio_and_the_daemon_keeps_serving()
  local F = fixture()
  local path, line = write_layout("failing", layout_lines {
    '    p.dir("task", "0555", "task", { only = "tgid" }),',
    '    p.file("status", "0444", "status"),',
    '    p.file("boom", "0444", function(task) error("kaboom from the layout") end),',
    '    p.file("fine", "0444", function(task) return "fine " .. task.tid .. "\\n" end),',
  }, "kaboom")
  with_mount(path, function(m)
    local dir = m:path(tostring(F.pid))
    for _ = 1, 2 do
      local r = probe.read({ dir .. "/boom" })[1]
      lu.assertTrue(EIO[r], "reading boom gives EIO, not " .. r)
      lu.assertEquals(fsx.read(dir .. "/fine"), "fine " .. F.pid .. "\n")
      local ok, why = compare.stable("/proc/" .. F.pid .. "/status", dir .. "/status")
      lu.assertTrue(ok, why)
    end
    local r = probe.read({ m:path(("%d/task/%d/boom"):format(F.pid, F.worker)) })[1]
    lu.assertTrue(EIO[r], "boom in a thread directory gives EIO too, not " .. r)
    -- the daemon logged where the script failed
    assert_names_line(m:log(), path, line)
    lu.assertStrContains(m:log(), "kaboom from the layout")
  end)
end

function TestLayout:test_a_runaway_lua_file_reads_eio()
  local F = fixture()
  local path = write_layout("runaway", layout_lines {
    '    p.file("status", "0444", "status"),',
    '    p.file("spin", "0444", function(task) while true do end end),',
    '    p.file("fine", "0444", function(task) return "fine\\n" end),',
  })
  with_mount(path, function(m)
    local dir = m:path(tostring(F.pid))
    -- The bound (probe's own timeout) only keeps a hung daemon from hanging
    -- the spec; the daemon must stop the function itself.
    local r = probe.read({ dir .. "/spin" }, { timeout = 120 })[1]
    lu.assertTrue(EIO[r], "reading spin gives EIO, not " .. r)
    lu.assertEquals(fsx.read(dir .. "/fine"), "fine\n")
    local ok, why = compare.stable("/proc/" .. F.pid .. "/status", dir .. "/status")
    lu.assertTrue(ok, why)
  end)
end

suite.run()
