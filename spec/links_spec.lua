-- What the magic links of ns/ and fd/ lead to (core/tree/object.c).
--
-- In Linux, stat(2) through /proc/PID/ns/net or /proc/PID/fd/N shows the
-- namespace's or the open file's own inode; lsns and lsof match them by
-- number.  Through proclua the kernel resolves a target such as
-- "pipe:[123]" inside the link's own directory, and the daemon answers
-- that name with the object's attributes.
--
--   * Host (a stopped process holding a pipe, a TCP listener, a unix
--     socket, an eventfd and an open namespace, in a uts namespace of its
--     own): stat through every ns/ and fd/ link equals the kernel's in
--     every field but st_dev (a FUSE mount gives all its inodes its own:
--     checked to be the mount's), except the eventfd, whose inode has no
--     type and is shown as a regular file (FUSE has no such type); the
--     same refusals for uid 65534; a name no link names is ENOENT; an
--     opened namespace answers NS_GET_NSTYPE as the kernel's and EPERM
--     for NS_GET_USERNS/NS_GET_PARENT (no FUSE reply can hand out an fd);
--     lsns -p equals the kernel's; lsof -p equals the kernel's line for
--     line but for the DEVICE column of the objects (the mount's device),
--     the eventfd (REG, "anon_inode") and, while the layout serves no
--     net/, the sockets (lsof then names them "sock", with the kernel's
--     inode number); nsenter fails as documented.
--   * A process's own pipes, through the mount bound over /proc: bash's
--     <(...), > /dev/stdout, cat /dev/stdin, a writer that comes late, a
--     large transfer, SIGPIPE: the same output as on the kernel's /proc;
--     stat -L of one's own pipe says "regular empty file" (the relay).
--   * A world: ns/ and fd/ objects as its facts declare them (stat, lsns
--     exactly), and a caller's own fd/ (reached through self) its real one:
--     /dev/stdout and <(...) work, while /proc/<self pid>/fd stays the
--     world's declared one.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local procs = require "procs"
local prun = require "prun"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local NOBODY = 65534

local HOLDER = [[
import os, socket, time
r, w = os.pipe()
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
u = socket.socket(socket.AF_UNIX); u.bind("\0proclua-links-%d" % os.getpid()); u.listen()
ev = os.eventfd(0)
ns = os.open("/proc/self/ns/uts", os.O_RDONLY)
print("ready", r, w, s.fileno(), u.fileno(), ev, ns, flush=True)
time.sleep(100000)
]]

local F = suite.once(function()
  local work = fsx.mktemp_dir("proclua-links")
  suite.defer("remove " .. work, function() assert(fsx.remove_tree(work)) end)
  assert(sh.ok("chmod 755 " .. sh.quote(work)))
  fsx.write(work .. "/holder.py", HOLDER)
  local m = mnt.start({ options = "allow_other" })
  suite.defer("stop the mount", function() return m:stop() end)
  local holder = procs.spawn({ "unshare", "-u", "python3", work .. "/holder.py" },
                             { stdout = work .. "/holder.out", name = "holder" })
  suite.defer("end the holder", function() holder:reap() end)
  local line = holder:wait_output("^ready (.*)$")
  local fds = {}
  for n in line:gmatch("%d+") do fds[#fds + 1] = n end
  holder:stop_and_wait()
  local r = sh.run({ "stat", "-c", "%t,%T %Hd,%Ld", m.dir }) -- the mount's device
  local maj, min = r.out:match("(%d+),(%d+)\n$")
  return { work = work, m = m, pid = tostring(holder.pid), holder = holder,
           fds = { pipe_r = fds[1], pipe_w = fds[2], tcp = fds[3], unix = fds[4], eventfd = fds[5],
                   nsfd = fds[6] },
           dev = maj .. "," .. min, rundir = prun.rundir() }
end)

local function linkstat(op, paths, opts)
  opts = opts or {}
  local argv = {}
  if opts.uid then
    for _, w in ipairs { "setpriv", "--reuid=" .. opts.uid, "--regid=" .. opts.uid, "--clear-groups", "--" } do
      argv[#argv + 1] = w
    end
  end
  argv[#argv + 1] = testenv.helper("linkstat")
  argv[#argv + 1] = op
  for _, p in ipairs(paths) do argv[#argv + 1] = p end
  local r = sh.run(argv, { timeout = 60 })
  lu.assertEquals(r.code, 0, r.err)
  local lines = fsx.lines(r.out)
  lu.assertEquals(#lines, #paths)
  return lines
end

-- The fields of a stat line without the device, and the device.
local function split_dev(line)
  local rest, dev = line:match("^(OK .*) (%d+,%d+)$")
  return rest or line, dev
end

-- Run words inside a private mount namespace with the mount over /proc.
local function through_mount(m, argv, opts)
  local script = "mount --bind " .. sh.quote(m.dir) .. " /proc && exec " .. sh.join(argv)
  return sh.run({ "unshare", "-m", "--propagation", "private", "sh", "-c", script },
                opts or { timeout = 120 })
end

local function names(dir)
  local out = {}
  local h = assert(io.popen("ls " .. sh.quote(dir)))
  for n in h:lines() do out[#out + 1] = n end
  h:close()
  return out
end

TestHost = {}

function TestHost.test_ns_links_lead_to_the_namespaces()
  local f = F()
  local kp, mp = {}, {}
  for _, n in ipairs(names("/proc/" .. f.pid .. "/ns")) do
    kp[#kp + 1] = "/proc/" .. f.pid .. "/ns/" .. n
    mp[#mp + 1] = f.m:path(f.pid .. "/ns/" .. n)
  end
  lu.assertTrue(#kp >= 8)
  local k, m = linkstat("stat", kp), linkstat("stat", mp)
  for i = 1, #kp do
    local kf, kdev = split_dev(k[i])
    local mf, mdev = split_dev(m[i])
    lu.assertStrContains(kf, "OK 100000 444 ", false, kp[i])
    lu.assertEquals(mf, kf, mp[i])
    lu.assertEquals(mdev, f.dev, mp[i] .. ": the mount's device")
    lu.assertNotEquals(kdev, f.dev)
  end
  -- a reader the kernel refuses (ptrace READ) is refused alike
  local kn, mn = linkstat("stat", kp, { uid = NOBODY }), linkstat("stat", mp, { uid = NOBODY })
  for i = 1, #kp do
    lu.assertEquals(kn[i], "stat:EACCES", kp[i])
    lu.assertEquals(mn[i], kn[i], mp[i])
  end
end

function TestHost.test_fd_links_lead_to_the_open_files()
  local f = F()
  local order = { "pipe_r", "pipe_w", "tcp", "unix", "eventfd", "nsfd" }
  local kp, mp = { "/proc/" .. f.pid .. "/fd/0" }, { f.m:path(f.pid .. "/fd/0") }
  for _, what in ipairs(order) do
    kp[#kp + 1] = "/proc/" .. f.pid .. "/fd/" .. f.fds[what]
    mp[#mp + 1] = f.m:path(f.pid .. "/fd/" .. f.fds[what])
  end
  local k, m = linkstat("stat", kp), linkstat("stat", mp)
  -- /dev/null: a path, resolved by the kernel itself
  lu.assertEquals(m[1], k[1])
  for i = 2, #kp do
    local what = order[i - 1]
    local kf, kdev = split_dev(k[i])
    local mf, mdev = split_dev(m[i])
    lu.assertEquals(mdev, f.dev, mp[i] .. ": the mount's device")
    lu.assertNotEquals(kdev, f.dev)
    if what == "eventfd" then
      -- an inode of no type: a regular file through FUSE
      lu.assertStrContains(kf, "OK 0 600 ", false)
      lu.assertEquals(mf, (kf:gsub("^OK 0 ", "OK 100000 ")), mp[i])
    else
      lu.assertEquals(mf, kf, mp[i] .. " (" .. what .. ")")
    end
  end
  lu.assertStrContains(k[2], "OK 10000 600 ", false)  -- a FIFO
  lu.assertStrContains(k[4], "OK 140000 777 ", false) -- a socket
  lu.assertStrContains(k[7], "OK 100000 444 ", false) -- a namespace held open
  local kn, mn = linkstat("stat", kp, { uid = NOBODY }), linkstat("stat", mp, { uid = NOBODY })
  lu.assertEquals(mn, kn)
end

-- A name inside ns/ or fd/ that none of its links names is ENOENT, as in
-- Linux.  One a link does name is found through the mount (the kernel
-- looks it up there when it follows the link), where Linux has no such
-- name.
function TestHost.test_names_only_links_name()
  local f = F()
  local ino = split_dev(linkstat("stat", { "/proc/" .. f.pid .. "/fd/" .. f.fds.pipe_r })[1]):match("^OK %d+ %d+ (%d+)")
  local rels = { "fd/pipe:[1]", "fd/socket:[1]", "ns/net:[1]", "ns/uts:[1]", "fd/anon_inode:[timerfd]",
                 "fd/pipe:[" .. ino .. "]" }
  local kp, mp = {}, {}
  for _, rel in ipairs(rels) do
    kp[#kp + 1] = "/proc/" .. f.pid .. "/" .. rel
    mp[#mp + 1] = f.m:path(f.pid .. "/" .. rel)
  end
  local k, m = linkstat("stat", kp), linkstat("stat", mp)
  for i = 1, #rels do lu.assertEquals(k[i], "stat:ENOENT", kp[i]) end
  for i = 1, #rels - 1 do lu.assertEquals(m[i], "stat:ENOENT", mp[i]) end
  lu.assertStrContains(m[#rels], "OK 10000 600 " .. ino .. " ", false)
end

-- An opened namespace: the kernel's type; no fd can be handed out through
-- FUSE (EPERM, which lsns takes as out of reach); reads fail as nsfs's.
function TestHost.test_an_opened_namespace()
  local f = F()
  local k = linkstat("nsioctl", { "/proc/" .. f.pid .. "/ns/uts", "/proc/" .. f.pid .. "/ns/user" })
  local m = linkstat("nsioctl", { f.m:path(f.pid .. "/ns/uts"), f.m:path(f.pid .. "/ns/user") })
  lu.assertEquals(k[1], "OK 67108864 fd EINVAL EINVAL")
  lu.assertEquals(m[1], "OK 67108864 EPERM EPERM EINVAL")
  lu.assertStrContains(k[2], "OK 268435456 ", false)
  lu.assertEquals(m[2], "OK 268435456 EPERM EPERM EINVAL")
end

function TestHost.test_lsns_p_is_the_kernels()
  local f = F()
  -- NPROCS counts every process of a namespace, which comes and goes
  local argv = { "lsns", "-p", f.pid, "-o", "NS,TYPE,PID,USER,COMMAND" }
  local k = sh.run(argv, { timeout = 60 })
  local m = through_mount(f.m, argv)
  lu.assertEquals(k.code, 0, k.err)
  lu.assertEquals(m.code, 0, m.err)
  lu.assertEquals(m.out, k.out)
  lu.assertEquals(#fsx.lines(k.out), 9) -- header, 8 namespaces
  lu.assertNotNil(k.out:find("\n%d+ uts +" .. f.pid .. " root "), k.out) -- its own uts namespace
end

-- lsof's columns: COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME; a
-- line as its fields (NAME whole), keyed by FD.
local function lsof_lines(out)
  local by_fd = {}
  for i, line in ipairs(fsx.lines(out)) do
    if i > 1 then
      local w = {}
      for x in line:gmatch("%S+") do w[#w + 1] = x end
      by_fd[w[4] .. (w[4] == "mem" and ("/" .. #by_fd) or "")] = w
      by_fd[#by_fd + 1] = w
    end
  end
  return by_fd
end

function TestHost.test_lsof_p_is_the_kernels()
  local f = F()
  local argv = { "lsof", "-w", "-p", f.pid }
  local k = sh.run(argv, { timeout = 60 })
  local m = through_mount(f.m, argv)
  lu.assertEquals(k.code, 0, k.err)
  lu.assertEquals(m.code, 0, m.err)
  local kl, ml = lsof_lines(k.out), lsof_lines(m.out)
  lu.assertEquals(#ml, #kl, "the same number of files:\n" .. k.out .. "\n" .. m.out)
  local serves_net = fsx.exists(f.m:path("net/tcp"))
  local fdn = function(what, mode) return f.fds[what] .. mode end
  local objects = { [fdn("pipe_r", "r")] = "FIFO", [fdn("pipe_w", "w")] = "FIFO", [fdn("nsfd", "r")] = "REG" }
  for i, kw in ipairs(kl) do
    local mw = ml[i]
    local fd = kw[4]
    lu.assertEquals(mw[4], fd, "lsof's files in the same order")
    local label = ("fd %s:\n  kernel:  %s\n  proclua: %s"):format(fd, table.concat(kw, " "), table.concat(mw, " "))
    if objects[fd] or (kw[5] == "FIFO" and kw[9] == "pipe") then -- one inherited, too
      -- the object's line, its device the mount's
      lu.assertEquals(kw[5], objects[fd] or "FIFO", label)
      lu.assertEquals(mw[6], f.dev, label)
      local kc, mc = { table.unpack(kw) }, { table.unpack(mw) }
      kc[6], mc[6] = nil, nil
      lu.assertEquals(mc, kc, label)
    elseif fd == fdn("eventfd", "u") then
      -- no type through FUSE: a regular file named as its link's start
      lu.assertEquals({ kw[5], kw[8], kw[9] }, { "a_inode", "26", "[eventfd:" .. kw[9]:match("%d+") .. "]" }, label)
      lu.assertEquals({ mw[5], mw[6], mw[7], mw[8], mw[9] }, { "REG", f.dev, "0", kw[8], "anon_inode" }, label)
    elseif (fd == fdn("tcp", "u") or fd == fdn("unix", "u")) and not serves_net then
      -- no net/ to name the protocol: a socket of the kernel's inode number
      local ino = fd == fdn("tcp", "u") and kw[6] or kw[8]
      lu.assertEquals({ mw[5], mw[6], mw[7], mw[8] }, { "sock", f.dev, "0t0", ino }, label)
    else
      lu.assertEquals(mw, kw, label)
    end
  end
end

-- nsenter opens the namespace and calls setns(2) with that fd: through
-- FUSE the fd is the mount's file, not the namespace, and setns refuses it.
function TestHost.test_nsenter_is_refused()
  local f = F()
  local argv = { "nsenter", "-t", f.pid, "-u", "true" }
  local k = sh.run(argv, { timeout = 60 })
  lu.assertEquals(k.code, 0, k.err)
  local m = through_mount(f.m, argv)
  lu.assertEquals(m.code, 1)
  lu.assertEquals(m.err, "nsenter: reassociate to namespace 'ns/uts' failed: Invalid argument\n")
end

-- Why the daemon relays a process's own pipes rather than hand them over:
-- FUSE passthrough takes a regular file only (fs/fuse/passthrough.c since
-- Linux 6.16), and a namespace, which it takes, would still be the FUSE
-- file to setns.  (Should a kernel take pipes, this fails: look again.)
function TestHost.test_passthrough_takes_no_pipe()
  local f = F()
  local dir = f.work .. "/backing"
  assert(sh.ok("mkdir -p " .. sh.quote(dir)))
  local r = sh.run({ "unshare", "-m", "--propagation", "private", testenv.helper("backing"), dir },
                   { timeout = 60 })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.out, "offered yes\npipe EINVAL\nsocket EINVAL\nnsfs OK\nregular OK\n")
end

-- A process's own pipes through the mount: read and written through the
-- daemon, with the kernel's results.
local OWN_PIPES = [[
diff <(echo a) <(printf 'a\nb\n'); echo "diff $?"
{ echo hi > /dev/stdout; } | cat
echo piped | cat /dev/stdin
{ sleep 0.3; echo late; } | cat /dev/fd/0
head -c 300000 /dev/zero | cat /dev/stdin | wc -c
bash -c 'yes > /dev/stdout' | head -2; echo "yes ${PIPESTATUS[0]}"
exec 3< <(echo three); read -r x <&3; echo "$x"
]]

function TestHost.test_own_pipes()
  local f = F()
  local argv = { "bash", "-c", OWN_PIPES .. "stat -L -c %F /dev/stdin < <(echo x)" }
  local k = sh.run(argv, { timeout = 60 })
  local m = through_mount(f.m, argv)
  lu.assertEquals(m.code, k.code, m.err)
  local want = "1a2\n> b\ndiff 1\nhi\npiped\nlate\n300000\ny\ny\nyes 141\nthree\n"
  lu.assertEquals(k.out, want .. "fifo\n")
  lu.assertEquals(m.out, want .. "regular empty file\n")
  lu.assertEquals(m.err, k.err)
end

-- A pipe a process opened through the mount is a file of the mount (the
-- relay), whose own link names a path in the mount: opening that link
-- again finds no fd naming the pipe (the one it came through is closed).
function TestHost.test_a_relayed_pipe_is_not_opened_again()
  local f = F()
  local argv = { "bash", "-c", "exec 3< <(echo three); cat /proc/self/fd/3" }
  local k = sh.run(argv, { timeout = 60 })
  local m = through_mount(f.m, argv)
  lu.assertEquals({ k.code, k.out }, { 0, "three\n" })
  lu.assertEquals(m.code, 1)
  lu.assertStrMatches(m.err, "cat: /proc/self/fd/3: No such file or directory\n")
end

-- Readers waiting on their own empty pipes through the mount hold no
-- worker: with 40 of them waiting, another caller's read is answered at
-- once; killed, they go (the daemon answers their interrupted reads).
local WAITERS = [[
import os, sys, threading
mnt = sys.argv[1]
fds = []
for i in range(40):
    r, w = os.pipe()
    fds.append((os.open("%s/%d/fd/%d" % (mnt, os.getpid(), r), os.O_RDONLY), w))
for fd, w in fds:
    threading.Thread(target=os.read, args=(fd, 1), daemon=True).start()
print("ready", flush=True)
threading.Event().wait()
]]

function TestHost.test_waiting_readers_hold_no_worker()
  local f = F()
  fsx.write(f.work .. "/waiters.py", WAITERS)
  local p = procs.spawn({ "python3", f.work .. "/waiters.py", f.m.dir },
                        { stdout = f.work .. "/waiters.out", stderr = f.work .. "/waiters.err", name = "waiters" })
  local ok, err = pcall(function()
    p:wait_output("^ready")
    sh.sleep(0.5)
    local t = os.time()
    for _ = 1, 20 do lu.assertNotNil(fsx.read(f.m:path(f.pid .. "/stat"))) end
    lu.assertTrue(os.time() - t <= 2, "reads through the mount waited for the pipes' readers")
  end)
  p:reap()
  if not ok then error(err, 0) end
  f.m:check()
  local r = through_mount(f.m, { "bash", "-c", "echo again | cat /dev/stdin" })
  lu.assertEquals(r.out, "again\n")
end

local WORLD = [[
local p = require "proclua"
return p.world { self = 1, tasks = {
  { pid = 1, argv = { "/sbin/init" }, ns = { uts = 4026532901 } },
  { pid = 10, ppid = 1, uid = 1000, gid = 1000, argv = { "/usr/bin/server" },
    ns = { net = 4026532900, uts = 4026532902 },
    fds = { { fd = 0, target = "/dev/null" },
            { fd = 3, target = "pipe:[777]", mode = "r" },
            { fd = 4, target = "pipe:[777]", mode = "w" },
            { fd = 5, target = "socket:[888]", mode = "rw" },
            { fd = 6, target = "anon_inode:[eventfd]", mode = "rw", ino = 26 },
            { fd = 7, target = "net:[4026532900]" } } },
} }
]]

local function world()
  local f = F()
  local path = f.work .. "/world.lua"
  if not fsx.exists(path) then fsx.write(path, WORLD) end
  return path
end

local function in_world(argv)
  local r = prun.tool(F().rundir, { "--world", world() }, argv)
  lu.assertEquals(r.code, 0, table.concat(argv, " ") .. " failed: " .. r.err)
  return r.out
end

TestWorld = {}

function TestWorld.test_objects_are_the_declared_ones()
  local out = in_world { "stat", "-L", "-c", "%n %F %a %i %u %g %h %s",
                         "/proc/10/ns/net", "/proc/10/ns/uts", "/proc/10/ns/pid", "/proc/10/fd/3",
                         "/proc/10/fd/4", "/proc/10/fd/5", "/proc/10/fd/6", "/proc/10/fd/7" }
  lu.assertEquals(out, table.concat({
    "/proc/10/ns/net regular empty file 444 4026532900 0 0 1 0",
    "/proc/10/ns/uts regular empty file 444 4026532902 0 0 1 0",
    "/proc/10/ns/pid regular empty file 444 4026531836 0 0 1 0",
    "/proc/10/fd/3 fifo 600 777 1000 1000 1 0",
    "/proc/10/fd/4 fifo 600 777 1000 1000 1 0",
    "/proc/10/fd/5 socket 777 888 1000 1000 1 0",
    "/proc/10/fd/6 regular empty file 600 26 0 0 1 0",
    "/proc/10/fd/7 regular empty file 444 4026532900 0 0 1 0",
    "" }, "\n"))
end

function TestWorld.test_lsns()
  local out = in_world { "lsns", "-o", "NS,TYPE,NPROCS,PID,UID,COMMAND" }
  lu.assertEquals(out, table.concat({
    "        NS TYPE   NPROCS PID  UID COMMAND",
    "4026531834 time        2   1    0 /sbin/init",
    "4026531835 cgroup      2   1    0 /sbin/init",
    "4026531836 pid         2   1    0 /sbin/init",
    "4026531837 user        2   1    0 /sbin/init",
    "4026531839 ipc         2   1    0 /sbin/init",
    "4026531840 net         1   1    0 /sbin/init",
    "4026531841 mnt         2   1    0 /sbin/init",
    "4026532900 net         1  10 1000 `-/usr/bin/server",
    "4026532901 uts         1   1    0 /sbin/init",
    "4026532902 uts         1  10 1000 `-/usr/bin/server",
    "" }, "\n"))
end

-- Through self, a caller's own fd/ is its real one (/dev/stdout is its
-- standard output); by number, the self task's fd/ is the world's.
function TestWorld.test_own_fds_through_self()
  local out = in_world { "bash", "-c", "{ echo hi > /dev/stdout; } | cat; " ..
                         "diff <(echo a) <(echo a) && echo same; " ..
                         "readlink /proc/self/fd/0 /proc/1/fd/0 /proc/1/fd/1; " ..
                         "ls /proc/1/fd | tr '\\n' ' '; echo" }
  lu.assertEquals(out, "hi\nsame\n/dev/null\n/dev/null\n/dev/null\n0 1 2 \n")
  -- its own links read through a handle on its fd/, then the self task's
  -- by number
  out = in_world { "bash", "-c", "python3 -c 'import os; d = os.open(\"/proc/self/fd\", os.O_RDONLY); " ..
                   "print(os.readlink(\"1\", dir_fd=d)[:6], os.readlink(\"/proc/1/fd/1\"))' | cat" }
  lu.assertEquals(out, "pipe:[ /dev/null\n")
end

suite.run()
