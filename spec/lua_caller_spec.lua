-- What a Lua file sees of who reads it and of the task's builtin files:
-- the caller object (the reader, as the kernel sees that process),
-- task:read(name) (a builtin's bytes exactly as that reader would read
-- them through the mount, or nil and the errno), task.argv and
-- task.environ, a function's nil, "ERRNO", and check = "ptrace_read" /
-- "ptrace_attach" / function, which refuse a Lua file exactly where the
-- builtin they stand for is refused.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local p = require "proclua"
local probe = require "probe"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"

local USER, OTHER = 40011, 40012

local LAYOUT = [[
local p = require "proclua"
local function list(t) return t and table.concat(t, ",") or "nil" end
local function who(task, caller)
  local caps = {}
  for name in pairs(caller.caps or {}) do caps[#caps + 1] = name end
  table.sort(caps)
  return ("uid=%s gid=%s euid=%s egid=%s pid=%s tid=%s comm=%s groups=%s caps=%d sys_admin=%s\n")
    :format(caller.uid, caller.gid, caller.euid, caller.egid, caller.pid, caller.tid,
            caller.comm, list(caller.groups), #caps, tostring(caller.caps.CAP_SYS_ADMIN))
end
-- cmdline with every --password=... redacted, as the reader may see it
local function redacted(task)
  local argv = task.argv
  if not argv then return nil, "EACCES" end
  for i, a in ipairs(argv) do argv[i] = a:gsub("^(%-%-password=).*", "%1***") end
  return table.concat(argv, "\0") .. (#argv > 0 and "\0" or "")
end
local function copy(name) return function(task) return task:read(name) end end
return p.layout {
  root = {
    p.link("self", "self"),
    p.file("who", "0444", who),
    p.file("enoent", "0444", function() return nil, "ENOENT" end),
    p.file("badnil", "0444", function() return nil, 42 end),
    p.file("noreader", "0444", function(task) return task:read("nosuch") end),
  },
  task = {
    p.file("stat", "0444", "stat"),
    p.file("status", "0444", "status"),
    p.file("environ", "0400", "environ"),
    p.link("exe", "exe"),
    p.file("stat_copy", "0444", copy("stat")),
    p.file("status_copy", "0444", copy("status")),
    p.file("exe_copy", "0444", copy("exe")),
    p.file("environ_copy", "0444", copy("environ")),
    p.file("environ_read", "0444", copy("environ"), { check = "ptrace_read" }),
    p.file("environ_attach", "0444", copy("environ"), { check = "ptrace_attach" }),
    p.file("root_only", "0444", function() return "secret\n" end,
           { check = function(task, caller) return caller.uid == 0 end }),
    p.file("eperm", "0444", function() return "x" end,
           { check = function() return "EPERM" end }),
    p.file("cmdline", "0444", redacted),
    p.file("argc", "0444", function(task)
      local a, e = task.argv, task.environ
      return ("%s %s\n"):format(a and #a or "nil", e and #e or "nil") end),
  },
}
]]

local fixture = suite.once(function()
  local F = {}
  F.work = fsx.mktemp_dir("proclua-lc")
  suite.defer("remove " .. F.work, function() assert(fsx.remove_tree(F.work)) end)
  assert(sh.ok("chmod 755 " .. F.work))
  F.layout = F.work .. "/lc.lua"
  fsx.write(F.layout, LAYOUT)
  -- a process of USER's, stopped so its files hold still
  F.proc = procs.spawn({ "setpriv", "--reuid=" .. USER, "--regid=" .. USER, "--clear-groups",
                         "/usr/bin/python3", "-c", "import time; time.sleep(1000)", "--password=hunter2", "x" },
                       { name = "sleeper" })
  suite.defer("reap the sleeper", function() F.proc:reap() end)
  procs.wait_for(function()
    local s = fsx.read("/proc/" .. F.proc.pid .. "/comm")
    return s == "python3\n"
  end, 10, "the sleeper's exec")
  F.proc:stop()
  F.mount = mnt.start { layout = F.layout, options = "allow_other" }
  suite.defer("unmount " .. F.mount.dir, function() return F.mount:stop() end)
  return F
end)

local function path(rel) return fixture().mount:path(rel) end
-- What uid reads from file at `file` with cat: its bytes, or nil and cat's message.
local function cat_as(uid, file)
  local r = sh.run({ "setpriv", "--reuid=" .. uid, "--regid=" .. uid, "--clear-groups", "cat", file })
  if r.code ~= 0 then return nil, r.err end
  return r.out
end
local function task(rel) return path(fixture().proc.pid .. "/" .. rel) end

TestCaller = {}

function TestCaller.test_root_reading()
  local out = fsx.read(path("who"))
  local status = fsx.read("/proc/self/status") -- lua5.4 itself reads
  local pid = status:match("\nPid:\t(%d+)")
  local caps, eff = 0, tonumber(status:match("\nCapEff:\t(%x+)"), 16)
  for bit = 0, 63 do caps = caps + ((eff >> bit) & 1) end
  local groups = status:match("\nGroups:\t([^\n]*)"):gsub("%s+$", ""):gsub(" ", ",")
  lu.assertEquals(out, ("uid=0 gid=0 euid=0 egid=0 pid=%s tid=%s comm=lua5.4 groups=%s caps=%d sys_admin=true\n")
    :format(pid, pid, groups, caps))
end

function TestCaller.test_a_user_reading()
  local out = cat_as(USER, path("who"))
  lu.assertStrMatches(out, ("uid=%d gid=%d euid=%d egid=%d pid=%%d+ tid=%%d+ comm=cat groups= caps=0 sys_admin=nil\n")
    :format(USER, USER, USER, USER))
end

-- A function's nil, "ENOENT" is the reader's errno; nil and anything else EIO.
function TestCaller.test_nil_and_an_errno_name()
  lu.assertEquals(probe.read({ path("enoent"), path("badnil") }),
                  { "open:ENOENT", "open:EIO" })
  lu.assertStrContains(fixture().mount:log(), "function returned nil and number, not an errno name")
end

function TestCaller.test_task_read_outside_a_call_is_an_error()
  lu.assertEquals(probe.read({ path("noreader") }), { "open:EIO" })
  lu.assertStrContains(fixture().mount:log(), "no builtin file or link 'nosuch'")
end

-- task:read gives the bytes the reader gets from the builtin itself.
function TestCaller.test_task_read_is_the_builtin_as_the_reader_reads_it()
  for _, who in ipairs { {}, { uid = USER }, { uid = OTHER } } do
    for _, pair in ipairs { { "stat", "stat_copy" }, { "status", "status_copy" },
                            { "environ", "environ_copy" } } do
      local r = probe.read({ task(pair[1]), task(pair[2]) }, who)
      if r[1]:match("^open:") then -- the builtin refused: the copy is empty-handed
        lu.assertEquals(r[2], r[1], pair[2] .. " as " .. tostring(who.uid))
      else
        lu.assertEquals(r[2], r[1], pair[2] .. " as " .. tostring(who.uid))
      end
    end
    local link = probe.readlink({ task("exe") }, who)[1]
    local copy, err = cat_as(who.uid or 0, task("exe_copy"))
    if copy then
      lu.assertEquals("OK " .. copy, link, "exe as " .. tostring(who.uid))
    else
      lu.assertEquals(link, "readlink:EACCES", "exe as " .. tostring(who.uid))
      lu.assertStrContains(err, "Permission denied")
    end
  end
end

-- environ's owner reads it; another user is refused (environ 0400 aside,
-- the copy is 0444: task:read makes environ's own check).
function TestCaller.test_task_read_refuses_as_the_builtin_does()
  local mine = probe.read({ task("environ_copy") }, { uid = USER })[1]
  lu.assertStrContains(mine, "OK ")
  lu.assertEquals(probe.read({ task("environ_copy") }, { uid = OTHER }), { "open:EACCES" })
end

function TestCaller.test_check_ptrace_read_is_environs_check()
  local k = probe.read({ "/proc/" .. fixture().proc.pid .. "/environ" }, { uid = OTHER })[1]
  lu.assertEquals(k, "open:EACCES")
  lu.assertEquals(probe.read({ task("environ_read") }, { uid = OTHER }), { k })
  lu.assertStrContains(probe.read({ task("environ_read") }, { uid = USER })[1], "OK ")
  lu.assertStrContains(probe.read({ task("environ_attach") }, { uid = USER })[1], "OK ")
  lu.assertEquals(probe.read({ task("environ_attach") }, { uid = OTHER }), { "open:EACCES" })
end

function TestCaller.test_check_function()
  lu.assertEquals(fsx.read(task("root_only")), "secret\n")
  lu.assertEquals(probe.read({ task("root_only"), task("eperm") }, { uid = USER }),
                  { "open:EACCES", "open:EPERM" })
end

function TestCaller.test_argv_redacted_as_the_reader_may_see_it()
  lu.assertEquals(fsx.read(task("cmdline")),
                  "/usr/bin/python3\0-c\0import time; time.sleep(1000)\0--password=***\0x\0")
  lu.assertEquals(fsx.read(task("argc")), "5 " .. #fsx.read("/proc/" .. fixture().proc.pid
    .. "/environ"):gsub("[^%z]", "") .. "\n")
  -- cmdline is everyone's; environ only its owner's
  lu.assertEquals(cat_as(OTHER, task("argc")), "5 nil\n")
end

function TestCaller.test_declarations()
  local ok, err = pcall(p.file, "x", "0444", "stat", { check = "ptrace_read" })
  lu.assertFalse(ok)
  lu.assertStrContains(err, "check= needs a Lua function file")
  ok, err = pcall(p.file, "x", "0444", function() end, { check = "ptrace" })
  lu.assertFalse(ok)
  lu.assertStrContains(err, 'check must be "ptrace_read", "ptrace_attach" or a function(task, caller)')
end

suite.run()
