-- Live reload: SIGHUP (and --watch, when a .lua file beside the scripts
-- changes) loads the layout and world again and serves the new tree; files
-- opened before keep what they showed; a script with an error is logged at
-- its FILE:LINE and the old tree serves on; names that went away are gone
-- at once, though the kernel had them cached; reads racing the swaps never
-- fail.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local function layout(hello, extra)
  return ([[
local p = require "proclua"
local n = 0
return p.layout {
  root = {
    p.stub("hello", "0444", %q),
    p.file("counter", "0444", function() n = n + 1; return %q .. n .. "\n" end),
    %s
    p.link("self", "self"),
  },
  task = { p.file("comm", "0444", "comm"), p.file("status", "0444", "status") },
}
]]):format(hello, hello:sub(1, -2), extra or "")
end

local function world(comm)
  return ([[
local p = require "proclua"
return p.world { tasks = { { pid = 1, comm = %q }, { pid = 7, ppid = 1, comm = "other" } } }
]]):format(comm)
end

local work = suite.once(function()
  local dir = fsx.mktemp_dir("proclua-reload")
  suite.defer("remove " .. dir, function() assert(fsx.remove_tree(dir)) end)
  return dir
end)

-- A mount of a fresh layout file (and world file, if given), torn down
-- after f whatever happens.
local function with_mount(opts, f)
  local dir = work() .. "/" .. opts.name
  assert(sh.ok("mkdir -p " .. sh.quote(dir)))
  local files = { layout = dir .. "/layout.lua", world = dir .. "/world.lua" }
  fsx.write(files.layout, opts.layout)
  local args = {}
  if opts.world then
    fsx.write(files.world, opts.world)
    args = { "--world", files.world }
  end
  for _, a in ipairs(opts.args or {}) do args[#args + 1] = a end
  local m = mnt.start { layout = files.layout, args = args }
  local ok, err = pcall(f, m, files)
  local problems = m:stop()
  if not ok then error(err, 0) end
  lu.assertEquals(problems, {}, "teardown")
end

-- Send SIGHUP and wait (bounded) until the log says the reload ended.
local function reload(m)
  local before = select(2, m:log():gsub("proclua: reload", ""))
  m.proc:signal("HUP")
  procs.wait_for(function() return select(2, m:log():gsub("proclua: reload", "")) > before end,
                 20, "the reload's log line")
  m:check()
end

TestReload = {}

function TestReload.test_sighup_serves_the_new_layout_and_open_files_keep_theirs()
  with_mount({ name = "hup", layout = layout("one\n", 'p.stub("gone", "0444", "g\\n"),') },
    function(m, files)
      lu.assertEquals(fsx.read(m:path("hello")), "one\n")
      lu.assertEquals(fsx.read(m:path("gone")), "g\n") -- now in the kernel's cache
      local held = assert(io.open(m:path("hello")))
      local held_lua = assert(io.open(m:path("counter")))
      fsx.write(files.layout, layout("two\n"))
      reload(m)
      lu.assertStrContains(m:log(), "proclua: reloaded " .. files.layout .. " (SIGHUP)\n")
      lu.assertEquals(fsx.read(m:path("hello")), "two\n")
      lu.assertEquals(fsx.read(m:path("counter")), "two1\n") -- the new script's own state
      lu.assertNil(fsx.read(m:path("gone")))
      lu.assertEquals(sh.run({ "stat", "-c", "%n", m:path("gone") }).code, 1)
      lu.assertEquals(held:read("a"), "one\n")
      lu.assertEquals(held_lua:read("a"), "one1\n")
      held:close()
      held_lua:close()
      -- task entries are the new layout's too
      lu.assertEquals(fsx.read(m:path("self/comm")), "lua5.4\n")
    end)
end

function TestReload.test_a_broken_script_keeps_the_old_tree()
  with_mount({ name = "broken", layout = layout("one\n") }, function(m, files)
    fsx.write(files.layout, "local p = require 'proclua'\nreturn p.layout { root = { p.stub('x') } }\n")
    reload(m)
    lu.assertStrContains(m:log(), "proclua: reload (SIGHUP) failed, still serving the tree loaded before: "
      .. "layout error: " .. files.layout .. ":2: ")
    lu.assertEquals(fsx.read(m:path("hello")), "one\n")
    fsx.write(files.layout, "return (")
    reload(m)
    lu.assertStrContains(m:log(), files.layout .. ":1: ")
    lu.assertEquals(fsx.read(m:path("hello")), "one\n")
    -- and a good one after them is served
    fsx.write(files.layout, layout("three\n"))
    reload(m)
    lu.assertEquals(fsx.read(m:path("hello")), "three\n")
  end)
end

function TestReload.test_watch_reloads_when_the_script_changes()
  with_mount({ name = "watch", layout = layout("one\n"), args = { "--watch" } }, function(m, files)
    lu.assertEquals(fsx.read(m:path("hello")), "one\n")
    -- as an editor saves: a new file renamed over the old
    fsx.write(files.layout .. ".new.tmp", layout("two\n"))
    assert(os.rename(files.layout .. ".new.tmp", files.layout))
    procs.wait_for(function() return fsx.read(m:path("hello")) == "two\n" end, 20, "the reload")
    lu.assertStrContains(m:log(), "(a script changed)")
  end)
end

-- A world's tasks are cached by the kernel for a day: a reload drops them.
function TestReload.test_a_world_is_loaded_again()
  with_mount({ name = "world", layout = layout("one\n"), world = world("first") }, function(m, files)
    lu.assertEquals(fsx.read(m:path("1/comm")), "first\n")
    lu.assertEquals(fsx.read(m:path("7/comm")), "other\n")
    fsx.write(files.world, world("second"))
    reload(m)
    lu.assertEquals(fsx.read(m:path("1/comm")), "second\n")
  end)
end

-- Readers in a loop while the tree is swapped under them, twenty times.
function TestReload.test_reads_racing_reloads_never_fail()
  with_mount({ name = "race", layout = layout("one\n") }, function(m, files)
    local failures = work() .. "/race-failures"
    -- one process, no children: reaping it leaves nothing open on the
    -- mount (a shell's cat could still hold a file at the unmount)
    local script = work() .. "/race-reader.lua"
    fsx.write(script, ([[
      local paths = { %q, %q, %q }
      local failures = assert(io.open(%q, "a"))
      local started = %q
      while true do
        for _, path in ipairs(paths) do
          local f, err = io.open(path)
          local ok = f and f:read("a")
          if f then f:close() end
          if not ok then failures:write("FAIL ", path, " ", tostring(err), "\n"); failures:flush() end
        end
        if started then assert(io.open(started, "w")):close(); started = nil end
      end]]):format(m:path("hello"), m:path("counter"), m:path("self/status"), failures,
                    work() .. "/race-started"))
    local reader = procs.spawn(testenv.lua(script), { name = "reader" })
    procs.wait_for(function() return fsx.read(work() .. "/race-started") end, 20, "the reader's first round")
    local ok, err = pcall(function()
      for i = 1, 20 do
        fsx.write(files.layout, layout((i % 2 == 0 and "even" or "odd") .. "\n"))
        reload(m)
      end
    end)
    reader:reap()
    if not ok then error(err, 0) end
    lu.assertEquals(fsx.read(failures) or "", "")
    lu.assertEquals(fsx.read(m:path("hello")), "even\n")
    m:check()
  end)
end

suite.run()
