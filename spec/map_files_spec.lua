-- map_files/: a link per file-mapping region, as Linux 6.18 serves it
-- (fs/proc/base.c proc_map_files_lookup, proc_map_files_readdir,
-- map_files_get_link, proc_map_files_get_link).
--
-- Host tasks: the mapfiles helper maps a file read-only and private, one
-- shared and writable, one it then unlinks, and one whose name has a space
-- and a newline; it is started as root and as a user, and stopped.  Each
-- caller then lists, lstats and readlinks the directory and its entries
-- (and names that are none) through the kernel's /proc and through a
-- proclua mount in one run of the probe helper: the outcomes must be the
-- same.  What a FUSE server cannot do the same is stated exactly in
-- test_following_a_link.
--
-- A world: names, modes and targets made from its declared maps, written
-- out by hand.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local probe = require "probe"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local OWNER, NOBODY = 40001, 65534

local function as_user(uid)
  return { "setpriv", "--reuid=" .. uid, "--regid=" .. uid, "--clear-groups", "--" }
end

local F = suite.once(function()
  local F = procs.fixture("proclua-mapfiles")
  F.targets = {}
  local function start(kind, prefix)
    local dir = F.work .. "/" .. kind
    assert(sh.ok("mkdir " .. dir .. " && chmod 777 " .. dir))
    local argv = {}
    for _, w in ipairs(prefix) do argv[#argv + 1] = w end
    argv[#argv + 1] = testenv.helper("mapfiles")
    argv[#argv + 1] = dir
    local p = F.spawn(kind, argv)
    F.targets[kind] = { proc = p, pid = p.pid, dir = dir }
  end
  start("root", {})
  start("user", as_user(OWNER))
  -- a zombie of the owner: its parent never reaps it
  local argv = as_user(OWNER)
  for _, w in ipairs { "sh", "-c", "sleep 0 & exec sleep 1000" } do argv[#argv + 1] = w end
  local parent = F.spawn("zombie_parent", argv)
  for _, t in pairs(F.targets) do t.proc:wait_output("^ready") end
  F.zombie = procs.zombie_of(parent.pid)
  for _, t in pairs(F.targets) do
    t.proc:stop_and_wait()
    -- the regions of the four files, from the kernel's maps (names escaped)
    t.ranges = {}
    for line in fsx.read("/proc/" .. t.pid .. "/maps"):gmatch("[^\n]+") do
      local range, name = line:match("^(%x+%-%x+) .-(/%S.*)$")
      if name and name:sub(1, #t.dir + 1) == t.dir .. "/" then
        t.ranges[name:sub(#t.dir + 2)] = range
      end
    end
  end
  F.mount = mnt.start { options = "allow_other" }
  suite.defer("unmount " .. F.mount.dir, function() return F.mount:stop() end)
  return F
end)

-- The four files' names as maps prints them.
local FILES = { "ro", "sh", "del (deleted)", "a b\\012c" }

-- Names that name no region: an address with a leading zero, no dash,
-- one that is no mapping; an upper-case name of a region names it.
local function names_of(t)
  local out = {}
  for _, f in ipairs(FILES) do out[#out + 1] = assert(t.ranges[f], f) end
  local first = out[1]
  out[#out + 1] = first:upper()
  out[#out + 1] = "0" .. first
  out[#out + 1] = first:gsub("%-", "")
  out[#out + 1] = "1000-2000"
  out[#out + 1] = "x"
  return out
end

local CALLERS = {
  root = {},
  stranger = as_user(NOBODY),
  owner = as_user(OWNER),
  -- root without a capability: the targets' permitted sets are not its
  root_without_caps = { "setpriv", "--inh-caps=-all", "--bounding-set=-all", "--" },
  -- CAP_CHECKPOINT_RESTORE is enough to follow the links: without
  -- CAP_SYS_ADMIN root still reads all of it
  root_without_sys_admin = { "setpriv", "--bounding-set=-sys_admin", "--" },
}

local function both(base_kernel, base_mount, rels)
  local paths = {}
  for _, r in ipairs(rels) do paths[#paths + 1] = base_kernel .. r end
  for _, r in ipairs(rels) do paths[#paths + 1] = base_mount .. r end
  return paths
end

-- Kernel and mount outcomes of op on rels under each target's map_files/.
local function compare(op, caller, target, rels)
  local f = F()
  local t = f.targets[target] or { pid = f.zombie }
  local k = "/proc/" .. t.pid .. "/map_files"
  local m = f.mount:path(t.pid .. "/map_files")
  local res = probe[op](both(k, m, rels), { wrap = CALLERS[caller] })
  for i, rel in ipairs(rels) do
    lu.assertEquals(res[#rels + i], res[i],
      ("%s: %s of %s map_files%s: the mount's, then the kernel's"):format(caller, op, target, rel))
  end
  return res
end

TestMapFiles = {}

-- Root: the same names in the same order, the same modes, owners and
-- targets; and those are what the mappings say.
function TestMapFiles.test_root_sees_the_kernels()
  local f = F()
  for kind, t in pairs(f.targets) do
    local list = compare("list", "root", kind, { "" })[1]
    for _, name in ipairs(FILES) do
      lu.assertStrContains(list, t.ranges[name])
    end
    local rels = {}
    for n in list:match("^OK (.*)$"):gmatch("[^/]+") do rels[#rels + 1] = "/" .. n end
    lu.assertTrue(#rels > #FILES)
    compare("lstat", "root", kind, rels)
    compare("readlink", "root", kind, rels)
    local uid = kind == "user" and OWNER or 0
    local own = (" %d %d"):format(uid, uid)
    local want = {
      ["ro"] = { "OK l 400" .. own, "OK " .. t.dir .. "/ro" },
      ["sh"] = { "OK l 600" .. own, "OK " .. t.dir .. "/sh" },
      -- opened for writing: the file's f_mode, not the private mapping's
      ["del (deleted)"] = { "OK l 600" .. own, "OK " .. t.dir .. "/del (deleted)" },
      ["a b\\012c"] = { "OK l 400" .. own, "OK " .. t.dir .. "/a b\\nc" },
    }
    for name, w in pairs(want) do
      local path = f.mount:path(t.pid .. "/map_files/" .. t.ranges[name])
      lu.assertEquals(probe.lstat({ path })[1], w[1], name)
      lu.assertEquals(probe.readlink({ path })[1], w[2], name)
    end
  end
end

-- Every caller, every target: the listing, and each name's lstat and
-- readlink, as the kernel gives them (EACCES where the caller may not
-- ptrace the task, ENOENT for a name that parses as no region first).
function TestMapFiles.test_each_caller_as_the_kernel()
  local f = F()
  for caller in pairs(CALLERS) do
    for kind, t in pairs(f.targets) do
      compare("list", caller, kind, { "" })
      local rels = {}
      for _, n in ipairs(names_of(t)) do rels[#rels + 1] = "/" .. n end
      compare("lstat", caller, kind, rels)
      compare("readlink", caller, kind, rels)
    end
  end
  -- what that means, for the record
  local t = f.targets.user
  local link = "/" .. t.ranges.ro
  lu.assertEquals(compare("readlink", "owner", "user", { link })[1], "OK " .. t.dir .. "/ro")
  lu.assertEquals(compare("lstat", "stranger", "user", { link })[1], "lstat:EACCES")
  lu.assertEquals(compare("list", "root_without_caps", "root", { "" })[1], "readdir:EACCES")
  lu.assertEquals(compare("lstat", "root_without_caps", "root", { link, "/x" }),
    { "lstat:EACCES", "lstat:ENOENT", "lstat:EACCES", "lstat:ENOENT" })
end

-- A zombie has no address space: an empty directory for root, ESRCH for a
-- name of a region, ENOENT for a name that is none.
function TestMapFiles.test_a_zombie()
  lu.assertEquals(compare("list", "root", "zombie", { "" })[1], "OK ")
  lu.assertEquals(compare("lstat", "root", "zombie", { "/400000-401000", "/x" }),
    { "lstat:ESRCH", "lstat:ENOENT", "lstat:ESRCH", "lstat:ENOENT" })
  compare("list", "owner", "zombie", { "" })
end

-- Following a link.  Linux opens the mapped file itself, for a caller
-- holding CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE in the initial user
-- namespace, and refuses any other with EPERM.  A FUSE server answers a
-- readlink and a walk through the link with the same request, and
-- readlink(2) is Linux's to anyone with ptrace read access: so through
-- the mount the walk resolves the target path, as the caller itself would
-- (it opens what the caller may open; a deleted file's path names nothing).
function TestMapFiles.test_following_a_link()
  local f = F()
  local t = f.targets.user
  local k = "/proc/" .. t.pid .. "/map_files/"
  local m = f.mount:path(t.pid .. "/map_files/")
  local names = { t.ranges.ro, t.ranges.sh, t.ranges["del (deleted)"] }
  local function read(caller)
    local paths = {}
    for _, n in ipairs(names) do paths[#paths + 1] = k .. n end
    for _, n in ipairs(names) do paths[#paths + 1] = m .. n end
    local res = probe.read(paths, { wrap = CALLERS[caller] })
    for i, r in ipairs(res) do res[i] = r:match("^OK") and "OK" or r end
    return res
  end
  lu.assertEquals(read("root"), { "OK", "OK", "OK", "OK", "OK", "open:ENOENT" })
  lu.assertEquals(read("owner"), { "open:EPERM", "open:EPERM", "open:EPERM", "OK", "OK", "open:ENOENT" })
end

-- A task's directory counts map_files/ among its links, a thread's does
-- not (it has none): 2 and one per subdirectory, as the kernel's.
function TestMapFiles.test_link_counts()
  local f = F()
  local pid = f.targets.root.pid
  local function links(base)
    local r = sh.run({ "stat", "-c", "%h", base .. "/" .. pid, base .. "/" .. pid .. "/task/" .. pid })
    lu.assertEquals(r.code, 0, r.err)
    return r.out
  end
  lu.assertEquals(links(f.mount:path()), links("/proc"))
end

-- ------------------------------------------------------------------------
-- A world: the links made from the declared regions.

local function region(start, stop, perms, dev, inode, name)
  return ("%08x-%08x %s 00000000 %s %d"):format(start, stop, perms, dev, inode)
    .. (name and ((" "):rep(35 - #tostring(inode)) .. name) or " ")
end

local WORLD_MAPS = table.concat({
  region(0x400000, 0x401000, "r-xp", "08:01", 1001, "/usr/bin/app"),
  region(0x600000, 0x601000, "rw-p", "00:00", 0, "[heap]"),
  region(0x700000, 0x701000, "rw-s", "00:05", 1002, "/dev/shm/buf"),
  region(0x702000, 0x703000, "rw-p", "08:01", 1003, "/tmp/gone (deleted)"),
  region(0x704000, 0x705000, "r--p", "08:01", 1004, "/srv/a b\\012c"),
  region(0x706000, 0x707000, "rw-p", "00:00", 0),
  region(0x7ffd0000, 0x7ffd1000, "rw-p", "00:00", 0, "[stack]"),
}, "\n") .. "\n"

local W = suite.once(function()
  local m = mnt.start { world = ([[
local p = require "proclua"
return p.world { tasks = {
  { pid = 1, argv = { "/sbin/init" } },
  { pid = 20, ppid = 1, argv = { "/usr/bin/app" }, uid = %d, gid = %d, maps = %q },
  { pid = 30, ppid = 1, argv = { "/usr/bin/app" }, maps = %q, absent = { "map_files" } },
} }
]]):format(OWNER, OWNER, WORLD_MAPS, WORLD_MAPS), options = "allow_other" }
  suite.defer("unmount the world", function() return m:stop() end)
  return m
end)

function TestMapFiles.test_a_world()
  local m = W()
  local d = m:path("20/map_files/")
  lu.assertEquals(probe.names(m:path("20/map_files")),
    { "400000-401000", "700000-701000", "702000-703000", "704000-705000" })
  local names = { "400000-401000", "700000-701000", "702000-703000", "704000-705000",
                  "600000-601000", "706000-707000", "400000-401001", "0400000-401000" }
  local paths = {}
  for _, n in ipairs(names) do paths[#paths + 1] = d .. n end
  local own = (" %d %d"):format(OWNER, OWNER)
  -- read always (mmap needs a readable file); write where the mapping is
  -- shared and writable, which needs a file opened for writing
  lu.assertEquals(probe.lstat(paths), {
    "OK l 400" .. own, "OK l 600" .. own, "OK l 400" .. own, "OK l 400" .. own,
    "lstat:ENOENT", "lstat:ENOENT", "lstat:ENOENT", "lstat:ENOENT" })
  lu.assertEquals(probe.readlink({ paths[1], paths[2], paths[3], paths[4] }, { uid = OWNER }),
    { "OK /usr/bin/app", "OK /dev/shm/buf", "OK /tmp/gone (deleted)", "OK /srv/a b\\nc" })
  lu.assertEquals(probe.list({ m:path("20/map_files") }, { uid = NOBODY }), { "open:EACCES" })
  lu.assertEquals(probe.lstat({ paths[1] }, { uid = NOBODY }), { "lstat:EACCES" })
  -- the threads' directories have none, as Linux's tid_base_stuff
  lu.assertEquals(probe.lstat({ m:path("1/task/1/map_files") }), { "lstat:ENOENT" })
  -- a task saved without it (absent = { "map_files" }) has none either
  lu.assertEquals(probe.lstat({ m:path("30/map_files"), m:path("30/maps") }),
    { "lstat:ENOENT", "OK - 444 0 0" })
  local listed = table.concat(probe.names(m:path("30")), " ")
  lu.assertNotStrContains(" " .. listed .. " ", " map_files ")
  lu.assertStrContains(" " .. listed .. " ", " fd ")
end

suite.run()
