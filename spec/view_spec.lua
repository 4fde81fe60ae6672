-- The pid view (--view-root PID): only PID and its descendants, renumbered
-- from 1, consistently in every file that prints pids, and `ps -ef` run
-- inside the view sees exactly that.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"

-- A sandbox: a shell (the view's root) with one sleeping child; once told
-- the mount point (through a fifo, so that waiting starts no processes that
-- would join the view), it runs `ps -ef` in a private mount namespace with
-- the view bound over /proc and writes the output.
local F = suite.once(function()
  local work = fsx.mktemp_dir("proclua-view")
  suite.defer("remove " .. work, function() fsx.remove_tree(work) end)
  assert(sh.ok("mkfifo " .. sh.quote(work .. "/go")))
  local script = table.concat({
    "sleep 1000 &",
    "read M < " .. work .. "/go",
    "unshare -m --propagation private sh -c \"mount --bind $M /proc && ps -ef\" > "
      .. work .. "/ps.out 2>&1",
    "touch " .. work .. "/DONE",
    "kill $!",
  }, "\n")
  local root = procs.spawn({ "sh", "-c", script }, { name = "sandbox" })
  suite.defer("reap the sandbox", function() root:reap() end)
  local sleeper = procs.wait_for(function() return procs.children(root.pid, root.pid)[1] end,
                                 30, "the sandbox's first child")
  local m = mnt.start { options = "allow_other", args = { "--view-root", tostring(root.pid) } }
  suite.defer("unmount", function() return m:stop() end)
  return { work = work, root = root, sleeper = sleeper, mount = m }
end)

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function pids_in(dir)
  local out = {}
  local h = assert(io.popen("ls " .. sh.quote(dir)))
  for l in h:lines() do
    if l:match("^%d+$") then out[#out + 1] = tonumber(l) end
  end
  h:close()
  table.sort(out)
  return out
end

TestView = {}

function TestView.test_1_root_is_1_and_its_child_2()
  local f = F()
  lu.assertEquals(pids_in(f.mount:path("")), { 1, 2 })
  local root_stat = procs.parse_stat(read(f.mount:path("1/stat")))
  lu.assertEquals(root_stat[1], 1)
  lu.assertEquals(root_stat[4], 0) -- its parent is outside the view
  local child = procs.parse_stat(read(f.mount:path("2/stat")))
  lu.assertEquals(child[1], 2)
  lu.assertEquals(child[4], 1)
  lu.assertEquals(read(f.mount:path("1/task/1/children")), "2 ")
  local status = read(f.mount:path("2/status"))
  lu.assertStrContains(status, "\nPid:\t2\n")
  lu.assertStrContains(status, "\nPPid:\t1\n")
  lu.assertStrContains(status, "\nNSpid:\t2\n")
  lu.assertEquals(pids_in(f.mount:path("2/task")), { 2 })
  -- the real pids are not there
  lu.assertFalse(fsx.exists(f.mount:path(tostring(f.sleeper) .. "/stat")))
end

function TestView.test_2_ps_inside_the_view()
  local f = F()
  fsx.write(f.work .. "/go", f.mount:path("") .. "\n")
  procs.wait_for(function() return fsx.exists(f.work .. "/DONE") end, 60, "ps in the sandbox")
  local lines = fsx.lines(read(f.work .. "/ps.out"))
  lu.assertStrMatches(lines[1], "UID%s+PID%s+PPID%s+C%s+STIME%s+TTY%s+TIME%s+CMD")
  -- UID PID PPID C STIME TTY TIME CMD: check the pid columns and commands
  local rows = {}
  for i = 2, #lines do
    local pid, ppid, cmd = lines[i]:match("^%S+%s+(%d+)%s+(%d+)%s+%S+%s+%S+%s+%S+%s+%S+%s+(.*)$")
    rows[#rows + 1] = { tonumber(pid), tonumber(ppid), cmd }
  end
  lu.assertEquals(#rows, 4, table.concat(lines, "\n"))
  lu.assertEquals({ rows[1][1], rows[1][2] }, { 1, 0 })
  lu.assertStrMatches(rows[1][3], "sh %-c sleep 1000 &.*")
  lu.assertEquals(rows[2], { 2, 1, "sleep 1000" })
  lu.assertEquals({ rows[3][1], rows[3][2] }, { 3, 1 })
  lu.assertStrMatches(rows[3][3], "sh %-c mount %-%-bind .* && ps %-ef")
  lu.assertEquals(rows[4], { 4, 3, "ps -ef" })
end

-- A view declared in the layout: view = { select = function(task) ... end },
-- here over a world, so the tasks and their numbers are known exactly.
local declared = suite.once(function()
  local work = fsx.mktemp_dir("proclua-view-decl")
  suite.defer("remove " .. work, function() fsx.remove_tree(work) end)
  fsx.write(work .. "/world.lua", [[
local p = require "proclua"
return p.world { tasks = {
  { pid = 1, argv = { "/sbin/init" } },
  { pid = 40, ppid = 1, argv = { "worker" } },
  { pid = 41, ppid = 40, argv = { "helper" } },
  { pid = 50, ppid = 1, argv = { "worker" } },
  { pid = 60, ppid = 1, argv = { "other" } },
} }
]])
  fsx.write(work .. "/layout.lua", [[
local p = require "proclua"
local base = dofile(os.getenv("PROCLUA_SRC") .. "/scripts/proc.lua")
return p.layout { root = base.root, task = base.task,
  view = { select = function(task) return task.comm ~= "other" and task.pid ~= 1 end } }
]])
  local m = mnt.start { layout = work .. "/layout.lua", args = { "--world", work .. "/world.lua" } }
  suite.defer("unmount", function() return m:stop() end)
  return m
end)

function TestView.test_3_a_select_function_declared_in_the_layout()
  local m = declared()
  -- 40, 41, 50 are chosen and numbered 1, 2, 3 in pid order
  lu.assertEquals(pids_in(m:path("")), { 1, 2, 3 })
  lu.assertStrContains(read(m:path("1/status")), "Name:\tworker\nUmask:")
  lu.assertStrContains(read(m:path("1/status")), "\nPid:\t1\nPPid:\t0\n") -- init is outside
  lu.assertStrContains(read(m:path("2/status")), "Name:\thelper\n")
  lu.assertStrContains(read(m:path("2/status")), "\nPid:\t2\nPPid:\t1\n")
  lu.assertEquals(read(m:path("1/task/1/children")), "2 ")
  lu.assertFalse(fsx.exists(m:path("4/stat")))
end

suite.run()
