-- The proclua program: its command line, how a mount looks, and the three
-- ways a mount ends (fusermount3 -u, SIGTERM, SIGINT), each leaving nothing
-- mounted and the daemon exited rather than killed.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local probe = require "probe"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

TestProgram = {}

function TestProgram:test_help_and_version()
  for _, flag in ipairs { "--help", "--version" } do
    local r = sh.run({ testenv.bin(), flag }, { timeout = 60 })
    lu.assertEquals(r.code, 0, flag .. " exits 0; stderr: " .. r.err)
    lu.assertNotEquals(r.out .. r.err, "", flag .. " prints something")
  end
  -- every command and option a user has, each once
  local help = sh.run({ testenv.bin(), "--help" }, { timeout = 60 }).out
  for _, word in ipairs { "capture", "proclua-run", "--log=FILE", "-o layout=FILE", "-o world=FILE",
                          "PROCLUA_HOSTFD", "share/proclua/proc.lua" } do
    lu.assertStrContains(help, word)
  end
  local _, helps = help:gsub("%-%-help", "")
  lu.assertEquals(helps, 1, "--help is listed once")
  for _, word in ipairs { "--watch", "SIGHUP" } do lu.assertStrContains(help, word) end
  -- every subcommand has its own
  local r = sh.run({ testenv.bin(), "capture", "--help" }, { timeout = 60 })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.err, "")
  for _, word in ipairs { "usage: proclua capture", "--proc DIR", "--fill", "Exit status" } do
    lu.assertStrContains(r.out, word)
  end
  r = sh.run({ testenv.src() .. "/bindings/fuse/proclua-run", "--help" }, { timeout = 60 })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertStrContains(r.out .. r.err, "proclua-run [--pid] [--layout FILE]")
end

function TestProgram:test_a_missing_layout_file_is_an_error()
  local path = "/nonexistent/proclua-layout.lua"
  local r = sh.run({ testenv.bin(), "--check", "--layout", path }, { timeout = 60 })
  lu.assertEquals(r.code, 1)
  lu.assertStrContains(r.err, path)
  local a = mnt.attempt({ "-f", "--layout", path, "MNT" })
  lu.assertTrue(a.exited)
  lu.assertFalse(a.mounted)
  lu.assertNotEquals(a.code, 0)
  lu.assertStrContains(a.err, path)
end

-- --layout, --world and --view-root take their value after "=" (as --help
-- shows them) or as the next word, and -o layout= too.
function TestProgram:test_options_with_equals()
  local layout = testenv.default_layout()
  local world = testenv.src() .. "/examples/worlds/container.lua"
  for _, argv in ipairs {
    { "--layout=" .. layout }, { "--layout", layout }, { "-o", "layout=" .. layout },
    { "--world=" .. world }, { "--world", world },
    { "--view-root=12", "--world=" .. world }, { "--view-root", "12", "--world", world },
  } do
    local cmd = { testenv.bin(), "--check" }
    for _, w in ipairs(argv) do cmd[#cmd + 1] = w end
    local r = sh.run(cmd, { timeout = 60 })
    lu.assertEquals({ r.code, r.out, r.err }, { 0, "", "" }, table.concat(cmd, " "))
  end
  -- the file named is the one after "=", not "=FILE"
  local r = sh.run({ testenv.bin(), "--check", "--layout=/nonexistent/l.lua" }, { timeout = 60 })
  lu.assertEquals(r.code, 1)
  lu.assertStrContains(r.err, "cannot open /nonexistent/l.lua:")
  for _, bad in ipairs { { "--view-root=x" }, { "--view-root=0" }, { "--view-root" }, { "--layout" } } do
    r = sh.run({ testenv.bin(), "--check", table.unpack(bad) }, { timeout = 60 })
    lu.assertEquals(r.code, 1, table.concat(bad, " "))
    lu.assertStrContains(r.err, bad[1]:match("^[^=]*"), false, table.concat(bad, " "))
  end
end

-- The same, mounted: the container world seen from its nginx master (12),
-- which the view renumbers 1, its two workers 2 and 3.
function TestProgram:test_mount_with_equals()
  local m = mnt.start { args = { "--layout=" .. testenv.default_layout(),
                                 "--world=" .. testenv.src() .. "/examples/worlds/container.lua",
                                 "--view-root=12" } }
  local ok, err = pcall(function()
    local pids = {}
    local ls = assert(io.popen("ls -A " .. sh.quote(m:path())))
    for name in ls:lines() do
      if name:match("^%d+$") then pids[#pids + 1] = tonumber(name) end
    end
    ls:close()
    table.sort(pids)
    lu.assertEquals(pids, { 1, 2, 3 })
    lu.assertStrContains(assert(fsx.read(m:path("1/status"))), "Name:\tnginx\n")
    lu.assertEquals(assert(fsx.read(m:path("2/stat"))):match("^2 %(nginx%) S 1 "), "2 (nginx) S 1 ")
    m:check()
  end)
  local problems = m:stop()
  if not ok then error(err, 0) end
  lu.assertEquals(problems, {})
end

-- A FUSE mount of type fuse.proclua.  It does not use default_permissions:
-- proclua checks mode bits itself for the caller (host_diff_spec compares
-- every mode decision with the kernel's, as uid 65534).  Dynamic files
-- report size 0 and yet read their content (direct I/O).
function TestProgram:test_the_mount()
  local m = mnt.start()
  local ok, err = pcall(function()
    local line = assert(fsx.mountinfo_line(m.dir))
    local fstype, super = line:match(" %- (%S+) %S+ (%S+)$")
    lu.assertEquals(fstype, "fuse.proclua")
    lu.assertNotStrContains(super, "default_permissions")
    local status = m:path("self/status")
    local r = sh.run({ "stat", "-L", "-c", "%s", status })
    lu.assertEquals(r.out, "0\n", "status reports size 0")
    lu.assertStrContains(assert(fsx.read(status)), "Name:\t")
    lu.assertEquals(probe.lstat({ m:path() })[1]:match("^OK (d %d+)"), "d 555")
  end)
  local problems, how, code = m:stop()
  if not ok then error(err, 0) end
  lu.assertEquals(problems, {})
  lu.assertEquals(how, "exit", "fusermount3 -u ends the daemon (exit code " .. tostring(code) .. ")")
end

-- SIGTERM and SIGINT unmount cleanly: the daemon handles the signal,
-- unmounts and exits by itself.
local function ended_by_signal(sig)
  local m = mnt.start()
  m.expect_exit = true
  m.proc:signal(sig)
  local exited = m.proc:wait_exit(30)
  local still_mounted = m:mounted()
  local problems, how, code = m:stop()
  lu.assertTrue(exited, "the daemon exits on SIG" .. sig)
  lu.assertFalse(still_mounted, "nothing is left mounted after SIG" .. sig)
  lu.assertEquals(how, "exit", "the daemon handled SIG" .. sig .. " (it ended by " .. tostring(how)
    .. " " .. tostring(code) .. ")")
  lu.assertEquals(code, 0, "a mount ended as asked is a success")
  lu.assertEquals(problems, {})
end

function TestProgram:test_sigterm_unmounts()
  ended_by_signal("TERM")
end

function TestProgram:test_sigint_unmounts()
  ended_by_signal("INT")
end

-- A daemon whose mount was detached (umount -l) and covered by a newer
-- mount at the same path unmounts only its own on SIGTERM: the newer one
-- stays.
function TestProgram:test_sigterm_unmounts_only_its_own_mount()
  local old = mnt.start()
  old.expect_exit = true
  local newer
  local ok, err = pcall(function()
    assert(sh.ok("umount -l " .. sh.quote(old.dir)))
    newer = mnt.start { command = { testenv.bin(), "-f" }, dir = old.dir }
    old.proc:signal("TERM")
    lu.assertTrue(old.proc:wait_exit(30), "the old daemon exits on SIGTERM")
    lu.assertTrue(newer:mounted(), "the newer mount is still there")
    lu.assertStrContains(assert(fsx.read(newer:path("self/status"))), "Name:\t")
  end)
  if newer then newer:stop() end
  old:stop()
  if not ok then error(err, 0) end
end

-- A mount point that cannot take a mount is refused with what to do: a
-- file, a live proclua mount, a mount whose daemon was killed.
function TestProgram:test_mount_points_that_cannot_take_a_mount()
  local work = fsx.mktemp_dir("proclua-mp")
  local live, dead
  local ok, err = pcall(function()
    local file = work .. "/file"
    fsx.write(file, "")
    local r = sh.run({ testenv.bin(), "-f", file }, { timeout = 60 })
    lu.assertEquals(r.code, 1)
    lu.assertStrContains(r.err, "is not a directory")

    live = mnt.start()
    r = sh.run({ testenv.bin(), "-f", live.dir }, { timeout = 60 })
    lu.assertEquals(r.code, 1)
    lu.assertStrContains(r.err, "is a proclua mount already; unmount it first: fusermount3 -u " .. live.dir)
    lu.assertTrue(live:mounted())

    dead = mnt.start()
    dead.expect_exit = true
    dead.proc:signal("KILL")
    dead.proc:wait_exit(30)
    r = sh.run({ testenv.bin(), "-f", dead.dir }, { timeout = 60 })
    lu.assertEquals(r.code, 1)
    lu.assertStrContains(r.err, "whose daemon is gone; unmount it first: fusermount3 -u " .. dead.dir)
  end)
  if live then live:stop() end
  if dead then dead:stop() end
  fsx.remove_tree(work)
  if not ok then error(err, 0) end
end

-- Without -f the program mounts and returns; fusermount3 -u ends the
-- daemon it left behind.
function TestProgram:test_background_mount()
  local work = fsx.mktemp_dir("proclua-bg")
  local dir = work .. "/mnt"
  assert(sh.ok("mkdir " .. dir))
  local ok, err = pcall(function()
    local r = sh.run({ testenv.bin(), dir }, { timeout = 60 })
    lu.assertEquals(r.code, 0, "stderr: " .. r.err)
    procs.wait_for(function() return fsx.is_mounted(dir) end, 30, "the background mount")
    lu.assertStrContains(assert(fsx.read(dir .. "/self/status")), "Name:\t")
    local u = sh.run({ "fusermount3", "-u", dir }, { timeout = 60 })
    lu.assertEquals(u.code, 0, u.err)
    lu.assertFalse(fsx.is_mounted(dir))
  end)
  if fsx.is_mounted(dir) then sh.run({ "fusermount3", "-u", "-z", dir }, { timeout = 60 }) end
  fsx.remove_tree(work)
  if not ok then error(err, 0) end
end

-- cmake --install puts the program, proclua-run, the stock layout, the
-- man page, and for the stock lua5.4 the `proclua` module and `proc` where
-- it looks under /usr/local (lib/lua/5.4, share/lua/5.4; installed into
-- a temporary prefix here, the spec names that prefix's two): the
-- installed program finds its layout, and a Lua spec requires both.
function TestProgram:test_install()
  local work = fsx.mktemp_dir("proclua-install")
  local ok, err = pcall(function()
    local build = testenv.bin():gsub("/[^/]*$", "")
    local r = sh.run({ "cmake", "--install", build, "--prefix", work }, { timeout = 120 })
    lu.assertEquals(r.code, 0, r.err)
    for _, f in ipairs { "bin/proclua", "bin/proclua-run", "share/proclua/proc.lua",
                         "share/lua/5.4/proc.lua", "lib/lua/5.4/proclua.so", "share/man/man1/proclua.1" } do
      lu.assertTrue(fsx.exists(work .. "/" .. f), f .. " is installed")
    end
    r = sh.run({ work .. "/bin/proclua", "--check" }, { timeout = 60 })
    lu.assertEquals(r.code, 0, "the installed program finds its layout: " .. r.err)
    local script = work .. "/spec.lua"
    fsx.write(script, table.concat({
      ('package.path = "%s/share/lua/5.4/?.lua;" .. package.path'):format(work),
      ('package.cpath = "%s/lib/lua/5.4/?.so;" .. package.cpath'):format(work),
      'local stock = require "proclua.stock"', -- from proclua.so itself
      'local p = require "proclua"',
      'assert(require "proc")',
      'local w = p.world { tasks = { { pid = 7, comm = "seven" } } }',
      'io.write(w:format("comm", 7))',
      'io.write(p.tree { layout = stock, world = w }:read("/7/comm"))', "" }, "\n"))
    r = sh.run(testenv.lua(script), { timeout = 60 })
    lu.assertEquals(r.code, 0, r.err)
    lu.assertEquals(r.out, "seven\nseven\n")
  end)
  fsx.remove_tree(work)
  if not ok then error(err, 0) end
end

-- The Debian package CPack makes installs into a fresh root (dpkg --root:
-- a dpkg database of its own, with nothing else installed) and works from
-- there: the program finds its layout and mounts, the stock lua5.4 finds the
-- module and the stock layout where Debian's interpreter looks under /usr,
-- man renders the page.  Its dependencies are the packages this machine
-- runs it with.
function TestProgram:test_debian_package()
  local work = fsx.mktemp_dir("proclua-deb")
  local m
  local ok, err = pcall(function()
    local build = testenv.bin():gsub("/[^/]*$", "")
    local r = sh.run({ "cpack", "--config", build .. "/CPackConfig.cmake", "-G", "DEB", "-B", work .. "/pkg" },
                     { timeout = 300 })
    lu.assertEquals(r.code, 0, r.out .. r.err)
    local deb = r.out:match("package: (%S+%.deb) generated")
    lu.assertNotNil(deb, r.out)
    local root = work .. "/root"
    assert(sh.ok("mkdir -p " .. root .. "/var/lib/dpkg/info " .. root .. "/var/lib/dpkg/updates && touch "
                 .. root .. "/var/lib/dpkg/status"))
    r = sh.run({ "dpkg", "--root=" .. root, "--force-depends", "--log=/dev/null", "-i", deb }, { timeout = 120 })
    lu.assertEquals(r.code, 0, r.err)
    lu.assertStrContains(sh.run({ "dpkg", "--root=" .. root, "-s", "proclua" }).out, "Status: install ok installed")
    for _, f in ipairs { "bin/proclua", "bin/proclua-run", "share/proclua/proc.lua", "share/lua/5.4/proc.lua",
                         "lib/lua/5.4/proclua.so", "share/man/man1/proclua.1" } do
      lu.assertTrue(fsx.exists(root .. "/usr/" .. f), f .. " is in the package")
    end
    -- every dependency is a package installed here
    local depends = sh.run({ "dpkg-deb", "-f", deb, "Depends" }).out
    for name in depends:gmatch("([%w%.%+%-]+)[^,]*") do
      lu.assertStrContains(sh.run({ "dpkg-query", "-W", "-f=${Status}", name }).out, "installed", name)
    end
    -- the installed program, run from elsewhere, uses the installed layout
    r = sh.run({ "sh", "-c", "cd / && " .. root .. "/usr/bin/proclua --check" })
    lu.assertEquals(r.code, 0, r.err)
    m = mnt.start { command = { root .. "/usr/bin/proclua", "-f" } }
    lu.assertStrContains(fsx.read(m:path("self/status")), "Name:\tlua5.4\n")
    local script = work .. "/use.lua"
    fsx.write(script, table.concat({
      ('package.path = "%s/usr/share/lua/5.4/?.lua;" .. package.path'):format(root),
      ('package.cpath = "%s/usr/lib/lua/5.4/?.so;" .. package.cpath'):format(root),
      'local p = require "proclua"',
      'assert(require "proc")',
      'io.write(p.world { tasks = { { pid = 7, comm = "seven" } } }:format("comm", 7))', "" }, "\n"))
    r = sh.run(testenv.lua(script), { timeout = 60 })
    lu.assertEquals(r.out, "seven\n", r.err)
    r = sh.run({ "sh", "-c", "MANWIDTH=80 man -l " .. root .. "/usr/share/man/man1/proclua.1 | head -5" })
    lu.assertStrContains(r.out, "proclua")
  end)
  local problems = m and m:stop() or {}
  fsx.remove_tree(work)
  if not ok then error(err, 0) end
  lu.assertEquals(problems, {})
end

-- In the background, --log=FILE keeps what the daemon says (a Lua file's
-- error, with the script's file and line) in FILE; the daemon serves on.
function TestProgram:test_background_log_file()
  local work = fsx.mktemp_dir("proclua-log")
  local dir, log, layout = work .. "/mnt", work .. "/daemon.log", work .. "/boom.lua"
  assert(sh.ok("mkdir " .. dir))
  fsx.write(layout, table.concat({
    'local p = require "proclua"',
    'return p.layout {',
    '  root = { p.link("self", "self"),',
    '           p.file("boom", "0444", function() error("kaboom") end) },',
    '  task = { p.file("status", "0444", "status") },',
    '}', ""}, "\n"))
  local ok, err = pcall(function()
    local r = sh.run({ testenv.bin(), "--layout", layout, "--log=" .. log, dir }, { timeout = 60 })
    lu.assertEquals(r.code, 0, "stderr: " .. r.err)
    procs.wait_for(function() return fsx.is_mounted(dir) end, 30, "the background mount")
    lu.assertEquals(probe.read({ dir .. "/boom" })[1], "open:EIO")
    lu.assertStrContains(assert(fsx.read(dir .. "/self/status")), "Name:\t")
    lu.assertStrContains(fsx.read(log) or "", "boom.lua:4: kaboom")
    local u = sh.run({ "fusermount3", "-u", dir }, { timeout = 60 })
    lu.assertEquals(u.code, 0, u.err)
  end)
  if fsx.is_mounted(dir) then sh.run({ "fusermount3", "-u", "-z", dir }, { timeout = 60 }) end
  fsx.remove_tree(work)
  if not ok then error(err, 0) end
end

suite.run()
