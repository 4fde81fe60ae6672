-- net/: each task's network namespace files and the top-level net link.
--
--   * Host: every file of the stock layout's net/ against the kernel's
--     /proc/<pid>/net/<file>, for a task of the host's namespace and one
--     of a namespace of its own (unshare -n).  Counters and socket tables
--     move between two reads, so the kernel is read just before and just
--     after ours: ours must equal one of the two or lie between them (the
--     same text, each number between the two reads'), a failing
--     comparison repeated.  Then exactly: the lines of sockets a test
--     process holds (tcp, tcp6, udp, udp6, raw, unix, packet) by their
--     inode; uids as a reader in a user namespace names them; modes and
--     owners; a zombie's ENOENT and EINVAL.
--   * A world: the exact bytes of a declared namespace (a tcp listener and
--     a connection, udp, unix sockets, dev counters, routes) and of a
--     fresh one, which tasks share it (ns.net), a task saved without
--     net/, mistakes refused with their key named.
--   * Tools in a private mount namespace (proclua-run): netstat -tan,
--     netstat -i, cat /proc/net/dev and psutil over the host say what
--     they say on the kernel's /proc; over a world they show the declared
--     sockets and counters.
local lu = require "luaunit"
local compare = require "compare"
local fsx = require "fsx"
local mnt = require "mnt"
local procs = require "procs"
local prun = require "prun"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"
local writes = require "writes"

local PYTHON = "/usr/bin/python3"

-- The stock layout's net/, in Linux's order.
local FILES = { "arp", "dev", "raw", "tcp", "udp", "igmp", "raw6", "snmp", "tcp6", "udp6", "unix",
                "route", "snmp6", "packet", "netlink", "netstat", "udplite", "if_inet6", "sockstat",
                "udplite6", "dev_mcast", "protocols", "sockstat6", "ipv6_route" }

local F = suite.once(function()
  local work = fsx.mktemp_dir("proclua-net")
  suite.defer("remove " .. work, function() assert(fsx.remove_tree(work)) end)
  return { work = work, rundir = prun.rundir() }
end)

local host_mount = suite.once(function()
  local m = mnt.start {}
  suite.defer("unmount the host mount", function() return m:stop() end)
  return m
end)

-- A process of its own for each use, stopped at the end by its pid.
local function spawn(argv, name)
  local out = F().work .. "/" .. name .. ".out"
  local p = procs.spawn(argv, { stdout = out, stderr = F().work .. "/" .. name .. ".err", name = name })
  suite.defer("end " .. name, function() p:reap() return true end)
  return p
end

local sleeper = suite.once(function() return spawn({ "sleep", "600" }, "sleeper") end)
local own_ns = suite.once(function()
  return spawn({ "unshare", "-n", "sleep", "600" }, "own-netns")
end)

-- Files of a world as world:format makes them, in a child interpreter:
-- { ["net_tcp 80"] = bytes or "<message>" }.
local function formats(world_path, wants)
  local script = F().work .. "/fmt.lua"
  local lines = {}
  for _, w in ipairs(wants) do lines[#lines + 1] = ("{ %q, %d }"):format(w[1], w[2]) end
  fsx.write(script, ([[
local w = dofile(%q)
for _, x in ipairs { %s } do
  local out, err = w:format(x[1], x[2])
  io.write("== ", x[1], " ", x[2], "\n", out or ("<" .. tostring(err) .. ">\n"))
end
]]):format(world_path, table.concat(lines, ", ")))
  local r = sh.run(testenv.lua(script), { timeout = 60 })
  lu.assertEquals(r.code, 0, r.err)
  return fsx.sections(r.out)
end

------------------------------------------------------------------------------
-- Host: bytes against the kernel's.

TestHostNet = {}

local function assert_as_kernel(kernel_path, our_path)
  local ok, why = compare.stable(kernel_path, our_path, { tries = 20, counters = true })
  lu.assertTrue(ok, our_path .. ": " .. tostring(why))
end

function TestHostNet.test_net_lists_the_layouts_files()
  local pid = sleeper().pid
  local h = assert(io.popen("ls " .. sh.quote(host_mount():path(pid .. "/net"))))
  local listed = {}
  for name in h:lines() do listed[#listed + 1] = name end
  h:close()
  local want = {}
  for _, f in ipairs(FILES) do want[#want + 1] = f end
  -- and the others (net_more_spec), this namespace's
  for _, f in ipairs { "icmp", "stat", "icmp6", "igmp6", "ptype", "psched", "anycast6", "fib_trie", "dev_snmp6",
                       "mcfilter", "mcfilter6", "rt6_stats", "xfrm_stat", "softnet_stat",
                       "ip_tables_names", "arp_tables_names", "ip6_tables_names", "ip_tables_matches",
                       "ip_tables_targets", "arp_tables_matches", "arp_tables_targets",
                       "ip6_tables_matches", "ip6_tables_targets", "rt_cache", "connector", "netfilter",
                       "fib_triestat" } do
    want[#want + 1] = f
  end
  table.sort(want)
  lu.assertEquals(listed, want)
end

function TestHostNet.test_every_file_is_the_kernels()
  local pid = sleeper().pid
  for _, f in ipairs(FILES) do
    assert_as_kernel(("/proc/%d/net/%s"):format(pid, f), host_mount():path(("%d/net/%s"):format(pid, f)))
  end
end

-- The top-level link, and a thread's net/ (task/<tid>/net)
function TestHostNet.test_the_net_link_and_a_threads_net()
  lu.assertEquals(sh.run({ "readlink", host_mount():path("net") }).out, "self/net\n")
  lu.assertEquals(sh.run({ "readlink", "/proc/net" }).out, "self/net\n")
  local pid = sleeper().pid
  for _, f in ipairs { "dev", "tcp", "unix", "route" } do
    assert_as_kernel(("/proc/%d/task/%d/net/%s"):format(pid, pid, f),
                     host_mount():path(("%d/task/%d/net/%s"):format(pid, pid, f)))
  end
end

-- A task in a namespace of its own shows that namespace: lo alone, no
-- sockets, and the kernel's bytes for every file.
function TestHostNet.test_a_namespace_of_its_own()
  local p = own_ns()
  procs.wait_for(function()
    local l = fsx.read(("/proc/%d/net/dev"):format(p.pid))
    return l and not l:find("eth", 1, true) and p:alive()
  end, 10, "the unshared sleep")
  for _, f in ipairs(FILES) do
    assert_as_kernel(("/proc/%d/net/%s"):format(p.pid, f), host_mount():path(("%d/net/%s"):format(p.pid, f)))
  end
  local dev = fsx.read(host_mount():path(p.pid .. "/net/dev"))
  lu.assertEquals(select(2, dev:gsub("\n", "")), 3, dev)
  lu.assertStrContains(dev, "\n    lo:       0       0")
end

-- Sockets held by a test process: each line, found by its inode, exactly
-- the kernel's.
local SOCKETS = [[
import os, socket, sys, time
out = []
def keep(name, s):
    out.append("%s %d" % (name, os.fstat(s.fileno()).st_ino))
    return s
ss = []
l = keep("tcp", socket.socket(socket.AF_INET, socket.SOCK_STREAM)); l.bind(("127.0.0.1", 0)); l.listen(7); ss.append(l)
c = keep("tcp", socket.create_connection(l.getsockname())); ss.append(c)
a, _ = l.accept(); keep("tcp", a); ss.append(a)
c.send(b"0123456789")
l6 = keep("tcp6", socket.socket(socket.AF_INET6, socket.SOCK_STREAM)); l6.bind(("::1", 0)); l6.listen(3); ss.append(l6)
u = keep("udp", socket.socket(socket.AF_INET, socket.SOCK_DGRAM)); u.bind(("127.0.0.1", 0)); ss.append(u)
u6 = keep("udp6", socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)); u6.bind(("::1", 0)); u6.connect(("::1", 9)); ss.append(u6)
r = keep("raw", socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)); ss.append(r)
k = keep("packet", socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x88b5))); ss.append(k)
x = keep("unix", socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)); x.bind(sys.argv[1]); x.listen(1); ss.append(x)
y = keep("unix", socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)); y.bind("\0proclua-net-spec\0" + str(os.getpid())); ss.append(y)
print(" ".join(out), flush=True)
time.sleep(600)
]]

-- A process holding sockets of every kind, its unix socket bound at path.
local function hold(path, name)
  local script = F().work .. "/sockets.py"
  fsx.write(script, SOCKETS)
  local p = spawn({ PYTHON, script, path }, name)
  local line = p:wait_output("^(tcp %d+.*)$", 20)
  local socks = {}
  for file, ino in line:gmatch("(%S+) (%d+)") do socks[#socks + 1] = { file = file, inode = ino } end
  return { pid = p.pid, socks = socks, proc = p }
end

local holder = suite.once(function() return hold(F().work .. "/unix sock", "sockets") end)

-- The line of `text` (a net file) that holds the socket of inode `ino`.
local function line_of(file, text, ino)
  local lines = {}
  local pending
  for l in (text .. ""):gmatch("([^\n]*)\n") do
    -- a path with a newline goes on over the next line
    if pending and not l:match("^%x+: ") then
      pending[#pending] = pending[#pending] .. "\n" .. l
    end
    pending = nil
    local cols = {}
    for w in l:gmatch("%S+") do cols[#cols + 1] = w end
    local at = file == "unix" and 7 or file == "packet" and 9 or 10
    if cols[at] == ino then
      lines[#lines + 1] = l
      if file == "unix" then pending = lines end
    end
  end
  return table.concat(lines, "\n")
end

function TestHostNet.test_a_processs_sockets_line_for_line()
  -- a path with a newline, which the kernel prints as it is (and which
  -- psutil then cannot read: gone before the tools run)
  local h = hold(F().work .. "/unix sock\nwith newline", "sockets-newline")
  lu.assertEquals(#h.socks, 10)
  for _, s in ipairs(h.socks) do
    local kernel, ours
    for _ = 1, 10 do
      kernel = line_of(s.file, fsx.read(("/proc/%d/net/%s"):format(h.pid, s.file)), s.inode)
      ours = line_of(s.file, fsx.read(host_mount():path(("%d/net/%s"):format(h.pid, s.file))), s.inode)
      if ours == kernel then break end
      sh.sleep(0.1)
    end
    lu.assertNotEquals(kernel, "", s.file .. " " .. s.inode .. ": not in the kernel's file")
    lu.assertEquals(ours, kernel, s.file .. " " .. s.inode)
  end
  h.proc:reap()
end

-- uid columns as the reader's user namespace names them: a listener of
-- uid 1000 read from a namespace mapping only root shows the overflow id.
function TestHostNet.test_uids_as_the_readers_namespace_names_them()
  local p = spawn({ "setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", PYTHON, "-c",
                    "import os, socket, time\ns = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
                    .. "print(os.fstat(s.fileno()).st_ino, flush=True); time.sleep(600)" }, "uid1000")
  local ino = p:wait_output("^(%d+)$", 20)
  local function read_as(argv_prefix, path)
    local cmd = {}
    for _, w in ipairs(argv_prefix) do cmd[#cmd + 1] = w end
    cmd[#cmd + 1] = "cat"
    cmd[#cmd + 1] = path
    local r = sh.run(cmd)
    lu.assertEquals(r.code, 0, r.err)
    return line_of("tcp", r.out, ino)
  end
  local ours_top = read_as({}, host_mount():path(p.pid .. "/net/tcp"))
  lu.assertStrContains(ours_top, "  1000        0 " .. ino .. " ")
  local kernel = read_as({ "unshare", "-Ur" }, ("/proc/%d/net/tcp"):format(p.pid))
  local ours = read_as({ "unshare", "-Ur" }, host_mount():path(p.pid .. "/net/tcp"))
  lu.assertStrContains(kernel, " 65534        0 " .. ino .. " ")
  lu.assertEquals(ours, kernel)
end

-- net/ is the task's (0555, its owner); its files are its namespace's
-- root's, 0444.
function TestHostNet.test_modes_and_owners()
  local p = spawn({ "setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", "sleep", "600" }, "owned")
  procs.wait_for(function() return (procs.stat(p.pid) or {})[2] == "sleep" end, 10, "setpriv's exec")
  local function st(path) return sh.run({ "stat", "-c", "%a %u %g %F", path }).out end
  lu.assertEquals(st(host_mount():path(p.pid .. "/net")), "555 1000 1000 directory\n")
  lu.assertEquals(st(host_mount():path(p.pid .. "/net")), st(("/proc/%d/net"):format(p.pid)))
  for _, f in ipairs { "tcp", "dev", "unix", "snmp" } do
    lu.assertEquals(st(host_mount():path(("%d/net/%s"):format(p.pid, f))),
                    st(("/proc/%d/net/%s"):format(p.pid, f)), f)
  end
  lu.assertEquals(st(host_mount():path(p.pid .. "/net/tcp")), "444 0 0 regular empty file\n")
end

-- Writes: the seq_file ones refuse even root's open (EACCES), the
-- single_open ones (snmp, netstat, sockstat...) open and refuse each write.
function TestHostNet.test_writes_are_refused_as_the_kernel_refuses_them()
  local pid = sleeper().pid
  local kernel, ours = {}, {}
  for _, f in ipairs(FILES) do
    kernel[#kernel + 1] = ("/proc/%d/net/%s"):format(pid, f)
    ours[#ours + 1] = host_mount():path(("%d/net/%s"):format(pid, f))
  end
  local k, o = writes.open_and_write(kernel), writes.open_and_write(ours)
  lu.assertEquals(k.code, 0, k.err)
  lu.assertStrContains(k.out, "open 13\n")
  lu.assertStrContains(k.out, "write 13\n")
  lu.assertEquals(o.out, k.out)
end

-- A zombie has no namespace: its files are ENOENT, its net/ unlistable.
function TestHostNet.test_a_zombies_net()
  local p = spawn({ PYTHON, "-c", "import os, time\npid = os.fork()\nif pid == 0: os._exit(0)\n"
                    .. "print(pid, flush=True); time.sleep(600)" }, "zombie-parent")
  local z = math.tointeger(tonumber(p:wait_output("^(%d+)$", 20)))
  procs.wait_for(function() return procs.state(z) == "Z" end, 10, "the zombie")
  lu.assertEquals(fsx.outcome(host_mount():path(z .. "/net/tcp")), "<error open:ENOENT>")
  lu.assertEquals(fsx.outcome(("/proc/%d/net/tcp"):format(z)), "<error open:ENOENT>")
  local function ls(path)
    local r = sh.run({ "ls", path })
    return r.code, (r.err:gsub("^.-: ", ""))
  end
  local kc, ke = ls(("/proc/%d/net"):format(z))
  local oc, oe = ls(host_mount():path(z .. "/net"))
  lu.assertEquals(kc, 2)
  lu.assertEquals(oc, kc)
  lu.assertStrContains(ke, "Invalid argument")
  lu.assertStrContains(oe, "Invalid argument")
end

-- proclua capture records a task's namespace once, as the kernel's text:
-- the captured world serves every file of a namespace of its own (which
-- nothing else moves) as the kernel does.
function TestHostNet.test_capture_records_the_namespace()
  local p = own_ns()
  local world = F().work .. "/captured.lua"
  assert(sh.ok(sh.join { testenv.bin(), "capture", tostring(p.pid) } .. " > " .. sh.quote(world)))
  local wants = {}
  for _, f in ipairs(FILES) do wants[#wants + 1] = { "net_" .. f, p.pid } end
  local got = formats(world, wants)
  for _, f in ipairs(FILES) do
    lu.assertEquals(got["net_" .. f .. " " .. p.pid], fsx.outcome(("/proc/%d/net/%s"):format(p.pid, f)), f)
  end
  local text = fsx.read(world)
  local _, n = text:gsub("\n  %[%d+%] = {\n", "")
  lu.assertEquals(n, 1, "one namespace")
end

------------------------------------------------------------------------------
-- A world: exact bytes.

TestWorldNet = {}

local WORLD = [[
local p = require "proclua"
return p.world {
  tasks = {
    { pid = 1, argv = { "/sbin/init" } },
    { pid = 80, ppid = 1, argv = { "nginx" }, uid = 33, gid = 33,
      fds = { { fd = 0, target = "/dev/null" }, { fd = 6, target = "socket:[3001]", mode = "rw" },
              { fd = 7, target = "socket:[3004]", mode = "rw" } } },
    { pid = 90, ppid = 1, argv = { "app" }, ns = { net = 4026532500 } },
    { pid = 91, ppid = 1, argv = { "app" }, ns = { net = 4026532500 } },
    { pid = 95, ppid = 1, argv = { "saved" }, absent = { "net" } },
  },
  net = {
    dev = { { name = "eth0", rx_bytes = 123456789, rx_packets = 98765, rx_errs = 1, rx_drop = 2,
              rx_multicast = 7, tx_bytes = 987654, tx_packets = 5432, tx_colls = 3 } },
    tcp = { { local_address = "0.0.0.0:80", inode = 3001, uid = 33 },
            { local_address = "10.0.0.5:80", remote = "10.0.0.9:51000", inode = 3004, uid = 33,
              tx_queue = 10, rx_queue = 2 },
            { local_address = "10.0.0.5:80", remote = "10.0.0.9:50000", state = "TIME_WAIT",
              when = 5850 } },
    tcp6 = { { local_address = "[::]:443", inode = 3005 } },
    udp = { { local_address = "127.0.0.53:53", inode = 3002, uid = 101 } },
    unix = { { path = "/run/nginx.sock", state = "LISTEN", inode = 3003 },
             { path = "@/tmp/.X11-unix/X0", inode = 3006 },
             { type = "dgram", state = "CONNECTED", inode = 3007 } },
    route = { { iface = "eth0", gateway = "10.0.0.1", metric = 100 },
              { iface = "eth0", destination = "10.0.0.0", mask = "255.255.255.0", metric = 100 } },
    if_inet6 = { { address = "::1", dev = "lo" }, { address = "fe80::1", dev = "eth0" } },
    snmp = { Tcp = { ActiveOpens = 4, CurrEstab = 1 } },
    [4026532500] = { tcp = { { local_address = "127.0.0.1:8080", inode = 4001 } } },
  },
}
]]

local world_file = suite.once(function()
  local path = F().work .. "/world.lua"
  fsx.write(path, WORLD)
  return path
end)

local function pad(line, width) return line .. (" "):rep(width - #line) .. "\n" end
local TCP_HEAD = pad("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode", 149)
local UDP_HEAD = pad("   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops", 127)
local TCP6_HEAD = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
local DEV_HEAD = "Inter-|   Receive                                                |  Transmit\n"
  .. " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
local LO = "    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n"
local ROUTE_HEAD = pad("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT", 127)

function TestWorldNet.test_a_declared_namespace_exactly()
  local f = formats(world_file(), { { "net_tcp", 80 }, { "net_udp", 80 }, { "net_tcp6", 80 },
    { "net_unix", 80 }, { "net_dev", 80 }, { "net_route", 80 }, { "net_if_inet6", 80 },
    { "net_sockstat", 80 }, { "net_sockstat6", 80 }, { "net_snmp", 80 } })
  lu.assertEquals(f["net_tcp 80"], TCP_HEAD
    .. pad("   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000    33        0 3001 1 0000000000000000 100 0 0 10 0", 149)
    .. pad("   1: 0500000A:0050 0900000A:C738 01 0000000A:00000002 00:00000000 00000000    33        0 3004 1 0000000000000000 20 4 0 10 -1", 149)
    .. pad("   2: 0500000A:0050 0900000A:C350 06 00000000:00000000 03:000016DA 00000000     0        0 0 3 0000000000000000", 149))
  lu.assertEquals(f["net_udp 80"], UDP_HEAD
    .. pad("   53: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 3002 2 0000000000000000 0", 127))
  lu.assertEquals(f["net_tcp6 80"], TCP6_HEAD
    .. "   0: 00000000000000000000000000000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3005 1 0000000000000000 100 0 0 10 0\n")
  lu.assertEquals(f["net_unix 80"], "Num       RefCount Protocol Flags    Type St Inode Path\n"
    .. "0000000000000000: 00000002 00000000 00010000 0001 01  3003 /run/nginx.sock\n"
    .. "0000000000000000: 00000002 00000000 00000000 0001 01  3006 @/tmp/.X11-unix/X0\n"
    .. "0000000000000000: 00000002 00000000 00000000 0002 03  3007\n")
  lu.assertEquals(f["net_dev 80"], DEV_HEAD .. LO
    .. "  eth0: 123456789   98765    1    2    0     0          0         7   987654    5432    0    0    0     3       0          0\n")
  lu.assertEquals(f["net_route 80"], ROUTE_HEAD
    .. pad("eth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0", 127)
    .. pad("eth0\t0000000A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0", 127))
  lu.assertEquals(f["net_if_inet6 80"], "00000000000000000000000000000001 01 80 10 80       lo\n"
    .. "fe800000000000000000000000000001 02 40 20 80     eth0\n")
  -- counted from the sockets: 2 tcp in use and 1 time-wait, 1 tcp6, 1 udp, 3 unix
  lu.assertEquals(f["net_sockstat 80"], "sockets: used 7\nTCP: inuse 2 orphan 0 tw 1 alloc 3 mem 0\n"
    .. "UDP: inuse 1 mem 0\nUDPLITE: inuse 0\nRAW: inuse 0\nFRAG: inuse 0 memory 0\n")
  lu.assertEquals(f["net_sockstat6 80"], "TCP6: inuse 1\nUDP6: inuse 0\nUDPLITE6: inuse 0\nRAW6: inuse 0\n"
    .. "FRAG6: inuse 0 memory 0\n")
  lu.assertStrContains(f["net_snmp 80"], "\nTcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens "
    .. "AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n"
    .. "Tcp: 1 200 120000 -1 4 0 0 0 1 0 0 0 0 0 0\n")
end

-- Tasks share a namespace by ns.net: 90 and 91 see the one declared by
-- its inode, 1 and 80 the other; the counters of a fresh namespace.
function TestWorldNet.test_tasks_share_namespaces_by_inode()
  local f = formats(world_file(), { { "net_tcp", 1 }, { "net_tcp", 90 }, { "net_tcp", 91 },
    { "net_dev", 90 }, { "net_udp", 91 }, { "net_route", 90 }, { "net_unix", 90 } })
  lu.assertEquals(f["net_tcp 90"], TCP_HEAD
    .. pad("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4001 1 0000000000000000 100 0 0 10 0", 149))
  lu.assertEquals(f["net_tcp 91"], f["net_tcp 90"])
  lu.assertStrContains(f["net_tcp 1"], " 3001 ")
  lu.assertEquals(f["net_dev 90"], DEV_HEAD .. LO)
  lu.assertEquals(f["net_udp 91"], UDP_HEAD)
  lu.assertEquals(f["net_route 90"], "") -- no main table yet: not even the header
  lu.assertEquals(f["net_unix 90"], "Num       RefCount Protocol Flags    Type St Inode Path\n")
end

-- A world with no net: one fresh namespace, as unshare -n makes it.
function TestWorldNet.test_no_declaration_is_a_fresh_namespace()
  local path = F().work .. "/bare.lua"
  fsx.write(path, 'local p = require "proclua"\nreturn p.world { tasks = { { pid = 1 } } }\n')
  local wants = {}
  for _, n in ipairs(FILES) do wants[#wants + 1] = { "net_" .. n, 1 } end
  local f = formats(path, wants)
  lu.assertEquals(f["net_dev 1"], DEV_HEAD .. LO)
  lu.assertEquals(f["net_tcp 1"], TCP_HEAD)
  lu.assertEquals(f["net_udp 1"], UDP_HEAD)
  lu.assertEquals(f["net_tcp6 1"], TCP6_HEAD)
  lu.assertEquals(f["net_route 1"], "")
  lu.assertEquals(f["net_if_inet6 1"], "")
  lu.assertEquals(f["net_arp 1"], "IP address       HW type     Flags       HW address            Mask     Device\n")
  lu.assertEquals(f["net_sockstat 1"], "sockets: used 0\nTCP: inuse 0 orphan 0 tw 0 alloc 0 mem 0\n"
    .. "UDP: inuse 0 mem 0\nUDPLITE: inuse 0\nRAW: inuse 0\nFRAG: inuse 0 memory 0\n")
  lu.assertStrContains(f["net_snmp 1"], "\nIp: 2 64 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n")
  -- the kernel's own netlink sockets of a fresh namespace
  lu.assertStrContains(f["net_netlink 1"], "sk               Eth Pid        Groups   Rmem     Wmem     Dump  "
    .. "Locks    Drops    Inode\n0000000000000000 0   0          00000000 0        0        0     2        0        ")
  -- every file as a fresh namespace of this machine has it, but for the
  -- numbers the machine's history gives (inodes, global memory)
  local fresh = {}
  for _, name in ipairs(FILES) do
    local r = sh.run({ "unshare", "-n", "cat", "/proc/self/net/" .. name })
    lu.assertEquals(r.code, 0, r.err)
    fresh[name] = r.out
  end
  for _, name in ipairs(FILES) do
    if name ~= "netlink" and name ~= "sockstat" and name ~= "protocols" then
      lu.assertEquals(f["net_" .. name .. " 1"], fresh[name], name)
    end
  end
  -- protocols: but for the memory the machine's sockets hold
  lu.assertEquals(f["net_protocols 1"], (fresh.protocols:gsub("(\n%S+%s+%d+%s+%d+%s+)(%d+)", function(a, m)
    return a .. (" "):rep(#m - 1) .. "0" end)))
end

-- A task saved without net/ has none.
function TestWorldNet.test_a_task_without_net()
  local m = mnt.start { args = { "--world", world_file() } }
  local listing = sh.run({ "ls", m:path("95") }).out
  local with = sh.run({ "ls", m:path("80") }).out
  local tcp = fsx.outcome(m:path("95/net/tcp"))
  local st = sh.run({ "stat", "-c", "%a %u %g", m:path("80/net"), m:path("80/net/tcp") }).out
  local link = fsx.outcome(m:path("net/tcp"))
  m:stop()
  lu.assertNotStrContains(listing, "\nnet\n")
  lu.assertStrContains(with, "\nnet\n")
  lu.assertEquals(tcp, "<error open:ENOENT>")
  lu.assertEquals(st, "555 33 33\n444 0 0\n")
  lu.assertStrContains(link, " 3001 ") -- net -> self/net: the world's self, pid 1
end

-- Mistakes fail the world with the key named.
function TestWorldNet.test_mistakes_are_refused()
  local function refused(net, msg)
    local script = F().work .. "/bad.lua"
    fsx.write(script, ('local p = require "proclua"\nlocal ok, e = pcall(p.world, { tasks = { { pid = 1 } }, '
      .. 'net = %s })\nio.write(ok and "loaded" or tostring(e))\n'):format(net))
    local r = sh.run(testenv.lua(script), { timeout = 60 })
    lu.assertEquals(r.code, 0, r.err)
    lu.assertStrContains(r.out, msg, false, net)
  end
  refused('{ tcp = { { local_adress = "0.0.0.0:80" } } }',
          "world net tcp[1]: unknown field 'local_adress' (did you mean 'local_address'?)")
  refused('{ tcp = { { local_address = "0.0.0.300:80" } } }', "world net tcp[1]: '0.0.0.300' is not an IPv4 address")
  refused('{ tcp6 = { { local_address = "[::1]:99999" } } }', "world net tcp6[1]: '[::1]:99999' has no port 0 .. 65535")
  refused('{ tcp = { { state = "LISTENING" } } }', "world net tcp[1]: unknown state 'LISTENING'")
  refused('{ dev = { { name = "eth:0" } } }', "world net dev[1]: name must be an interface name")
  refused('{ tpc = {} }', "world net : unknown field 'tpc' (did you mean 'tcp'?)")
  refused('{ tcp = "  sl  local_address\\n" }', "world net: tcp is not text the kernel would print (line 1)")
  refused('{ snmp = { Tcp = { ActiveOpen = 1 } } }', "world net snmp: no counter Tcp.ActiveOpen")
  refused('{ netlink = {} }', "world net: netlink is the kernel's text")
  refused('{ if_inet6 = { { address = "::1", dev = "wlan0" } } }',
          "world net if_inet6[1]: dev 'wlan0' is no interface of dev: give ifindex")
end

------------------------------------------------------------------------------
-- Tools, in a private mount namespace.

TestNetTools = {}

local native = prun.native

-- The tool's output through proclua equals its output on the kernel's
-- /proc read just before or just after (sockets and counters move).
local function same_as_native(argv)
  local want, got, again
  for _ = 1, 10 do
    want = native(argv)
    lu.assertEquals(want.code, 0, want.err)
    got = prun.tool(F().rundir, {}, argv)
    lu.assertEquals(got.code, 0, got.err)
    again = native(argv)
    if got.out == want.out or got.out == again.out then return end
    sh.sleep(0.2)
  end
  prun.assert_text(got.out, want.out, table.concat(argv, " ") .. " (native vs proclua)")
end

function TestNetTools.test_host_netstat_and_dev()
  holder() -- sockets of every kind on the host
  same_as_native { "netstat", "-tan" }
  same_as_native { "netstat", "-uan" }
  same_as_native { "netstat", "-xan" }
  same_as_native { "netstat", "-rn" }
  same_as_native { "cat", "/proc/net/dev" }
end

function TestNetTools.test_host_psutil()
  holder()
  same_as_native { PYTHON, "-c", "import psutil\n"
    .. "print(sorted((c.fd, c.family, c.type, c.laddr, c.raddr, c.status, c.pid) for c in psutil.net_connections('all')))\n"
    .. "print(sorted(psutil.net_io_counters(pernic=True)))" }
end

local function in_world(argv)
  local r = prun.tool(F().rundir, { "--world", world_file() }, argv)
  lu.assertEquals(r.code, 0, table.concat(argv, " ") .. " failed: " .. r.err)
  return r.out
end

function TestNetTools.test_netstat_over_a_world()
  prun.assert_text(in_world { "netstat", "-tan" }, table.concat({
    "Active Internet connections (servers and established)",
    "Proto Recv-Q Send-Q Local Address           Foreign Address         State      ",
    "tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN     ",
    "tcp        2     10 10.0.0.5:80             10.0.0.9:51000          ESTABLISHED",
    "tcp        0      0 10.0.0.5:80             10.0.0.9:50000          TIME_WAIT  ",
    "tcp6       0      0 :::443                  :::*                    LISTEN     ", "" }, "\n"),
    "netstat -tan")
  prun.assert_text(in_world { "netstat", "-xan" }, table.concat({
    "Active UNIX domain sockets (servers and established)",
    "Proto RefCnt Flags       Type       State         I-Node   Path",
    "unix  2      [ ACC ]     STREAM     LISTENING     3003     /run/nginx.sock",
    "unix  2      [ ]         STREAM                   3006     @/tmp/.X11-unix/X0",
    "unix  2      [ ]         DGRAM      CONNECTED     3007     ", "" }, "\n"), "netstat -xan")
  local i = in_world { "netstat", "-i" }
  lu.assertStrContains(i, "\neth0")
  lu.assertStrContains(i, " 98765      1      2 0          5432      0      0      0 ")
end

function TestNetTools.test_psutil_over_a_world()
  prun.assert_text(in_world { PYTHON, "-c", "import psutil\n"
    .. "n = psutil.net_io_counters(pernic=True)['eth0']\n"
    .. "print(n.bytes_recv, n.packets_recv, n.errin, n.dropin, n.bytes_sent, n.packets_sent)\n"
    .. "for c in sorted(psutil.net_connections('inet'), key=lambda c: (c.laddr, c.raddr)):\n"
    .. "    print(c.fd, c.laddr, c.raddr, c.status, c.pid)\n"
    .. "print(sorted(psutil.Process(80).connections('tcp'), key=lambda c: c.fd))" },
    table.concat({
      "123456789 98765 1 2 987654 5432",
      "6 addr(ip='0.0.0.0', port=80) () LISTEN 80",
      "-1 addr(ip='10.0.0.5', port=80) addr(ip='10.0.0.9', port=50000) TIME_WAIT None",
      "7 addr(ip='10.0.0.5', port=80) addr(ip='10.0.0.9', port=51000) ESTABLISHED 80",
      "-1 addr(ip='127.0.0.53', port=53) () NONE None",
      "-1 addr(ip='::', port=443) () LISTEN None",
      "[pconn(fd=6, family=<AddressFamily.AF_INET: 2>, type=<SocketKind.SOCK_STREAM: 1>, "
        .. "laddr=addr(ip='0.0.0.0', port=80), raddr=(), status='LISTEN'), "
        .. "pconn(fd=7, family=<AddressFamily.AF_INET: 2>, type=<SocketKind.SOCK_STREAM: 1>, "
        .. "laddr=addr(ip='10.0.0.5', port=80), raddr=addr(ip='10.0.0.9', port=51000), status='ESTABLISHED')]",
      "" }, "\n"), "psutil")
end

suite.run()
