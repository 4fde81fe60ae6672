-- Lua files with bounds (issue 13): the time limit holds while a Lua file
-- is inside a C function (a pattern match that backtracks for minutes, an
-- open of a FIFO nobody writes), where the count hook never fires: the
-- reader gets EIO at the limit and the log names the script's file and
-- line and the C function.  The call is set aside on its own Lua state;
-- the other Lua files are served meanwhile (a pool of states), and when the
-- stuck function returns its state is discarded and replaced.  Time bounds
-- here are bounds on a hang, generous for a loaded machine, never
-- performance figures.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local LIMIT = 1   -- a Lua file's time limit (bindings/fuse/served.c)
local HANG = 10   -- a stuck read must be answered well within this

local tmp = suite.once(function()
  local dir = fsx.mktemp_dir("proclua-bounds")
  suite.defer("remove " .. dir, function() fsx.remove_tree(dir) end)
  assert(sh.ok("chmod 755 " .. sh.quote(dir)))
  return dir
end)

-- Seconds since boot, to a hundredth (the host's clock, not the mount's).
local function now()
  return tonumber(assert(fsx.read("/proc/uptime")):match("^(%S+)"))
end

-- The line of `src` containing `marker`.
local function line_of(src, marker)
  local n = 0
  for l in (src .. "\n"):gmatch("(.-)\n") do
    n = n + 1
    if l:find(marker, 1, true) then return n end
  end
  error("marker not found: " .. marker, 2)
end

-- A layout file from lines; %MARK% and %FIFO% stand for paths of the test's.
local function layout(name, lines, subst)
  local src = table.concat(lines, "\n") .. "\n"
  for k, v in pairs(subst or {}) do src = src:gsub("%%" .. k .. "%%", v) end
  local path = tmp() .. "/" .. name .. ".lua"
  fsx.write(path, src)
  return path, src
end

-- Read `path` in a background process, never in this one: a daemon that
-- hangs a reader (as one without these bounds does) fails the spec instead
-- of hanging it, and a reader stuck in a FUSE request cannot even be
-- killed until the daemon ends (the teardown).  With `cat`, :result() is
-- the bytes read (nil and cat's stderr if it failed); else probe's line,
-- "OK <len> <hash>" or "open:EIO".
local function reader(path, cat)
  local out, err = os.tmpname(), os.tmpname()
  suite.defer("remove " .. out, function() os.remove(out) os.remove(err) end)
  local argv = cat and { "cat", path } or { testenv.helper("probe"), "read", path }
  local p = procs.spawn(argv, { stdout = out, stderr = err, name = argv[1] })
  local r = { proc = p, started = now() }
  function r.done() return not p:alive() end
  function r.result()
    if not pcall(procs.wait_for, r.done, 30, "the reader") then
      error(("no answer to a read of %s within 30 s"):format(path), 2)
    end
    r.took = r.took or (now() - r.started)
    local _, code = p:reap()
    local bytes, msg = fsx.read(out) or "", fsx.read(err) or ""
    if not cat then return (bytes:gsub("\n$", "")) end
    if code ~= 0 then return nil, msg end
    return bytes
  end
  return r
end

-- The bytes of a file of the mount (read in a child, bounded as above).
local function read(path)
  return reader(path, true).result()
end

-- Write `bytes` to a file of the mount, the same way.
local function write(path, bytes)
  local p = procs.spawn({ "sh", "-c", 'printf %s "$1" > "$2"', "sh", bytes, path }, { name = "write" })
  lu.assertTrue(pcall(procs.wait_for, function() return not p:alive() end, 30, "the writer"),
                "no answer to a write within 30 s")
  local _, code = p:reap()
  lu.assertEquals(code, 0, "write " .. path)
end

-- Wait until the Lua file has created its marker file: it is inside its
-- function now.
local function entered(mark)
  procs.wait_for(function() return fsx.exists(mark) end, 30, "the Lua file to start (" .. mark .. ")")
end

-- Run `body(m)` on a mount of `path` (more daemon words in args), always
-- unmounting; the daemon must then exit 0, calls still stuck or not (under
-- the sanitizers, with nothing to report).
local function with_mount(path, body, opts)
  opts = opts or {}
  local m = mnt.start { layout = path, args = opts.args, command = opts.command }
  local ok, err = pcall(body, m)
  local log = m:log()
  local problems, how, code = m:stop()
  if not ok then error(err, 0) end
  lu.assertNotStrContains(log, "did not load")
  lu.assertEquals(problems, {})
  lu.assertEquals(tostring(how) .. " " .. tostring(code), "exit 0",
                  "the daemon's stderr before the unmount:\n" .. log)
end

-- Release every open of the FIFO that waits for a writer (bounded: with
-- no reader, the shell's open would wait, and timeout ends it).
local function release(fifo)
  sh.run({ "sh", "-c", "echo released > " .. sh.quote(fifo) }, { timeout = 10 })
end

-- A layout without write functions: its Lua files run in a pool of states.
local POOL = {
  'local p = require "proclua"',
  'local stock = require "proc" -- a state loaded while serving finds it too',
  'local id = tostring({}):match("0x%x+") -- this Lua state',
  'local function mark(name) assert(io.open("%MARK%." .. name, "w")):close() end',
  'local function spin(s) local t = os.clock() + s while os.clock() < t do end end',
  'return p.layout { task = {}, root = {',
  '  p.file("find", "0444", function()',
  '    mark("find")',
  '    return tostring(("a"):rep(1e5):find((".-"):rep(8) .. "b")) -- FIND',
  '  end),',
  '  p.file("fifo", "0444", function()',
  '    mark("fifo")',
  '    local f = io.open("%FIFO%") -- FIFO',
  '    local s = f:read("a") f:close() return s',
  '  end),',
  '  p.file("fine", "0444", function() return "fine\\n" end),',
  '  p.file("whoami", "0444", function() spin(0.2) return id end),',
  '  p.file("exit", "0444", function() spin(0.2) return id .. " " .. select(2, pcall(os.exit, 3)) end),',
  '  p.file("keep", "0444", function() spin(0.2) KEPT = KEPT or ("k"):rep(12 * 2^20) return id end),',
  '} }',
}

local pool = suite.once(function()
  local F = { mark = tmp() .. "/mark", fifo = tmp() .. "/fifo" }
  assert(sh.ok("mkfifo " .. sh.quote(F.fifo)))
  F.layout, F.src = layout("pool", POOL, { MARK = F.mark, FIFO = F.fifo })
  F.find_line = line_of(F.src, "-- FIND")
  F.fifo_line = line_of(F.src, "-- FIFO")
  return F
end)

TestStuckInC = {}

-- The issue's case: a pattern that backtracks for minutes inside
-- string.find.  The reader has EIO within the bound; the log names the
-- line and the function; while it is stuck, another Lua file reads.
function TestStuckInC.test_a_pattern_match_is_answered_at_the_limit()
  local F = pool()
  os.remove(F.mark .. ".find")
  with_mount(F.layout, function(m)
    local r = reader(m:path("find"))
    entered(F.mark .. ".find")
    -- the pattern match holds its state, not the others
    lu.assertEquals(read(m:path("fine")), "fine\n")
    lu.assertFalse(r.done(), "another Lua file was answered only after the stuck one")
    lu.assertEquals(r.result(), "open:EIO")
    lu.assertTrue(r.took < HANG, ("the stuck read took %.1f s"):format(r.took))
    lu.assertStrContains(m:log(), ("proclua: lua file failed: %s:%d: time limit exceeded "
      .. "(stuck inside string.find; its Lua state is set aside)\n"):format(F.layout, F.find_line))
    -- the match runs on (for minutes); the daemon serves on
    for _ = 1, 3 do lu.assertEquals(read(m:path("fine")), "fine\n") end
    m:check()
  end)
end

-- An open of a FIFO nobody writes blocks in C until the spec writes it:
-- then the stuck call returns, its state is discarded and replaced; and
-- again.
function TestStuckInC.test_a_blocked_open_returns_later_and_its_state_is_replaced()
  local F = pool()
  with_mount(F.layout, function(m)
    for cycle = 1, 2 do
      os.remove(F.mark .. ".fifo")
      local r = reader(m:path("fifo"))
      entered(F.mark .. ".fifo")
      lu.assertEquals(read(m:path("fine")), "fine\n")
      lu.assertFalse(r.done(), "another Lua file was answered only after the stuck one")
      lu.assertEquals(r.result(), "open:EIO")
      lu.assertTrue(r.took < HANG, ("the stuck read took %.1f s"):format(r.took))
      lu.assertStrContains(m:log(), ("proclua: lua file failed: %s:%d: time limit exceeded "
        .. "(stuck inside io.open; its Lua state is set aside)\n"):format(F.layout, F.fifo_line))
      release(F.fifo)
      procs.wait_for(function()
        local _, n = m:log():gsub("set aside at its time limit ended", "")
        return n == cycle
      end, 30, "the stuck call to end")
      -- it ended by returning (or stopped by the hook, if it got that far)
      lu.assertStrMatches(m:log(), ".*\nproclua: the Lua call set aside at its time limit ended "
        .. "[0-9.]+ s later %([^\n]*%); its Lua state is discarded\n.*")
      for _ = 1, 3 do lu.assertEquals(read(m:path("fine")), "fine\n") end
    end
    m:check()
  end)
end

-- When every state is stuck, a call fails at once (nothing could run it)
-- and says so; once the stuck calls return, states are loaded again.
function TestStuckInC.test_every_state_stuck()
  local F = pool()
  with_mount(F.layout, function(m)
    local msg = "not run: every Lua state is stuck in a call past its time limit"
    for round = 1, 8 do
      local rs = {}
      for i = 1, 6 do rs[i] = reader(m:path("fifo")) end
      for _, r in ipairs(rs) do lu.assertEquals(r.result(), "open:EIO") end
      if m:log():find(msg, 1, true) then break end
      lu.assertTrue(round < 8, "the states were never all stuck")
    end
    -- every state is stuck: another Lua file fails too, at once
    lu.assertEquals(reader(m:path("fine")).result(), "open:EIO")
    lu.assertStrContains(m:log(), ("proclua: lua file failed: %s:%d: %s (")
                         :format(F.layout, line_of(F.src, 'p.file("fine"'), msg))
    release(F.fifo)
    procs.wait_for(function() return read(m:path("fine")) == "fine\n" end, 30,
                   "a Lua file to read again")
    m:check()
  end)
end

-- Every state has the restricted environment; calls that overlap run in
-- different states at once.
function TestStuckInC.test_every_state_is_restricted()
  local F = pool()
  with_mount(F.layout, function(m)
    local ids, rs = {}, {}
    for i = 1, 6 do rs[i] = reader(m:path("exit"), true) end
    for _, r in ipairs(rs) do
      local out = r.result() or ""
      lu.assertStrContains(out, "os.exit is not available to proclua scripts")
      ids[out:match("^(%S+)")] = true
    end
    local n = 0
    for _ in pairs(ids) do n = n + 1 end
    lu.assertTrue(n >= 2, "overlapping calls all ran in one state")
    m:check()
  end)
end

-- PROCLUA_LUA_MEMORY_MB bounds all states together: each state keeps
-- 12 MiB once (24 at its peak, within 32 MiB), so overlapping calls in
-- three or more states cannot all keep theirs.
function TestStuckInC.test_the_memory_limit_is_one_budget()
  local F = pool()
  with_mount(F.layout, function(m)
    local rs = {}
    for i = 1, 6 do rs[i] = reader(m:path("keep")) end
    local failed = 0
    for _, r in ipairs(rs) do
      local res = r.result()
      if res == "open:EIO" then failed = failed + 1 end
    end
    lu.assertTrue(failed >= 1, "several states kept 12 MiB each under a 32 MiB limit")
    lu.assertStrContains(m:log(), "Lua memory limit exceeded (32 MiB")
    lu.assertEquals(read(m:path("fine")), "fine\n")
    m:check()
  end, { command = { "env", "PROCLUA_LUA_MEMORY_MB=32", testenv.bin(), "-f" } })
end

-- A layout with a write function runs every call in one state, so what a
-- write keeps, reads show; a call stuck in C there is answered at the
-- limit all the same, and a state standing by takes over (what the first
-- kept is lost with it, and the log says so).
local SHARED = {
  'local p = require "proclua"',
  'local id, note = tostring({}):match("0x%x+"), ""',
  'local function spin(s) local t = os.clock() + s while os.clock() < t do end end',
  'return p.layout { task = {}, root = {',
  '  p.file("note", "0666", function() return note end, { write = function(_, b) note = b end }),',
  '  p.file("whoami", "0444", function() spin(0.1) return id end),',
  '  p.file("fifo", "0444", function()',
  '    assert(io.open("%MARK%.shared", "w")):close()',
  '    local f = io.open("%FIFO%") -- FIFO',
  '    local s = f:read("a") f:close() return s',
  '  end),',
  '} }',
}

function TestStuckInC.test_a_shared_layout()
  local F = pool()
  local path, src = layout("shared", SHARED, { MARK = F.mark, FIFO = F.fifo })
  os.remove(F.mark .. ".shared")
  with_mount(path, function(m)
    write(m:path("note"), "kept")
    local ids, rs = {}, {}
    for i = 1, 4 do rs[i] = reader(m:path("whoami"), true) end
    for _, r in ipairs(rs) do ids[r.result() or ""] = true end
    lu.assertEquals(next(ids, next(ids)), nil, "calls of a shared layout ran in two states")
    lu.assertEquals(read(m:path("note")), "kept")
    local r = reader(m:path("fifo"))
    entered(F.mark .. ".shared")
    lu.assertEquals(r.result(), "open:EIO")
    lu.assertTrue(r.took < HANG, ("the stuck read took %.1f s"):format(r.took))
    lu.assertStrContains(m:log(), ("proclua: lua file failed: %s:%d: time limit exceeded "
      .. "(stuck inside io.open; its Lua state is set aside, and what its functions kept "
      .. "with it)\n"):format(path, line_of(src, "-- FIFO")))
    -- the state standing by serves: a fresh one
    lu.assertEquals(read(m:path("note")), "")
    write(m:path("note"), "again")
    lu.assertEquals(read(m:path("note")), "again")
    release(F.fifo)
    procs.wait_for(function() return m:log():find("set aside at its time limit ended", 1, true) end,
                   30, "the stuck call to end")
    lu.assertEquals(read(m:path("note")), "again")
    m:check()
  end)
end

-- A view's select stuck in C: the listing goes on without that task
-- (a failing select chooses nothing), and the log says where.
function TestStuckInC.test_a_view_select_stuck()
  local path, src = layout("view", {
    'local p = require "proclua"',
    'local stock = require "proc"',
    'return p.layout { root = stock.root, task = stock.task, view = { select = function(t)',
    '  if t.pid == 3 then return ("a"):rep(1e5):find((".-"):rep(8) .. "b") end -- STUCK',
    '  return true',
    'end } }',
  })
  local world = tmp() .. "/three.lua"
  fsx.write(world, 'local p = require "proclua"\n'
    .. 'return p.world { tasks = { { pid = 1 }, { pid = 2, ppid = 1, comm = "two" }, { pid = 3, ppid = 1 } } }\n')
  with_mount(path, function(m)
    local r = reader(m:path("2/comm"), true)
    lu.assertEquals(r.result(), "two\n")
    local l = procs.spawn({ testenv.helper("probe"), "list", m:path() }, { stdout = tmp() .. "/list" })
    lu.assertTrue(l:wait_exit(30), "no answer to a listing within 30 s")
    l:reap()
    local names = fsx.read(tmp() .. "/list") or ""
    lu.assertStrMatches(names, "OK .*/1/2\n") -- 3 is not there
    lu.assertStrContains(m:log(), ("proclua: view select failed for task 3: %s:%d: time limit "
      .. "exceeded (stuck inside string.find; its Lua state is set aside)\n")
      :format(path, line_of(src, "-- STUCK")))
    m:check()
  end, { args = { "--world", world } })
end

TestLoad = {}

-- A layout script stuck in C while it loads fails to load at the load
-- limit (5 s), naming the line and the function.
function TestLoad.test_a_load_stuck_in_c()
  local path, src = layout("stuck_load", {
    'local p = require "proclua"',
    'local s = ("a"):rep(1e5):find((".-"):rep(8) .. "b") -- STUCK',
    'return p.layout { root = {}, task = {} }',
  })
  local t0 = now()
  local r = sh.run({ testenv.bin(), "--check", "--layout", path }, { timeout = 60 })
  lu.assertTrue(now() - t0 < 5 + HANG, "the load was not stopped")
  lu.assertEquals(r.code, 1, "stderr: " .. r.err)
  lu.assertStrContains(r.err, ("proclua: layout error: %s:%d: time limit exceeded (stuck inside "
    .. "string.find)"):format(path, line_of(src, "-- STUCK")))
end

-- Every Lua state runs the layout script: one that declares another layout
-- the second time is refused.
function TestLoad.test_a_layout_must_be_the_same_each_run()
  local count = tmp() .. "/runs"
  os.remove(count)
  local path = layout("changing", {
    'local p = require "proclua"',
    'local f = assert(io.open("%COUNT%", "a+")) local runs = #f:read("a") f:write("x") f:close()',
    'local root = { p.file("a", "0444", function() return "a" end) }',
    'if runs > 0 then root[2] = p.stub("b", "0444", "b") end',
    'return p.layout { root = root, task = {} }',
  }, { COUNT = count })
  local r = sh.run({ testenv.bin(), "--check", "--layout", path }, { timeout = 60 })
  lu.assertEquals(r.code, 1, "stderr: " .. r.err)
  lu.assertStrContains(r.err, ("proclua: layout error: %s: the layout script declared another "
    .. "layout when run again"):format(path))
end

-- A world is loaded once; every state's p.mounted_world() is that one
-- world: a change made through it in one state is seen by the mount and
-- by the other states.
function TestLoad.test_one_world_for_every_state()
  local path = layout("worldly", {
    'local p = require "proclua"',
    'local function spin(s) local t = os.clock() + s while os.clock() < t do end end',
    'return p.layout { task = {}, root = {',
    '  p.file("vanish", "0444", function() return tostring(p.mounted_world():vanish(2)) end),',
    '  p.file("gone", "0444", function() spin(0.2) return tostring(p.mounted_world():format("stat", 2) == nil) end),',
    '} }',
  })
  local world = tmp() .. "/two.lua"
  fsx.write(world, 'local p = require "proclua"\n'
    .. 'return p.world { tasks = { { pid = 1, comm = "init" }, { pid = 2, ppid = 1, comm = "two" } } }\n')
  with_mount(path, function(m)
    lu.assertTrue(fsx.exists(m:path("2")))
    lu.assertEquals(read(m:path("vanish")), "true")
    lu.assertFalse(fsx.exists(m:path("2")), "the mount does not see the change")
    local rs = {}
    for i = 1, 4 do rs[i] = reader(m:path("gone"), true) end
    for _, r in ipairs(rs) do lu.assertEquals(r.result(), "true") end
    m:check()
  end, { args = { "--world", world } })
end

suite.run()
