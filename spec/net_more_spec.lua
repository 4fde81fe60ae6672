-- net/'s other files: the routing trie, the multicast and anycast tables,
-- ping sockets, the packet handlers, the statistics files and stat/, and
-- x_tables' names (net_spec has the socket and address tables).
--
--   * Host: every file against the kernel's /proc/<pid>/net/<file>, for a
--     task of the host's namespace and for one of a namespace of its own
--     that holds state of every kind these files show (a veth with v4
--     and v6 addresses, blackhole, prohibit, unreachable, tos and table
--     100 routes, a tbf qdisc, ping sockets, source-filtered multicast
--     joins, an anycast address), read by a caller outside it (by pid)
--     and by a caller inside it (net -> self/net); stat/ lists what the
--     namespace has; modes, owners and the answers to writes as the
--     kernel's.
--   * A world: declared text served as it is given, counters over a fresh
--     namespace's, what an undeclared file shows (a fresh namespace's
--     bytes, or nothing for the files that describe the machine's kernel).
--   * Tools through proclua-run, in the namespace of its own: tc qdisc
--     (reads psched), lnstat (stat/), nstat (snmp, netstat, snmp6), the
--     same output as on the kernel's /proc.
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

-- The files this spec covers, in Linux's order (and dev_snmp6/, a file
-- per IPv6 interface).
local FILES = { "icmp", "icmp6", "igmp6", "ptype", "psched", "anycast6", "fib_trie", "mcfilter",
                "mcfilter6", "rt6_stats", "xfrm_stat", "softnet_stat", "ip_tables_names",
                "arp_tables_names", "ip6_tables_names", "ip_tables_matches", "ip_tables_targets",
                "arp_tables_matches", "arp_tables_targets", "ip6_tables_matches",
                "ip6_tables_targets", "stat/rt_cache", "stat/synproxy", "stat/arp_cache",
                "stat/ndisc_cache", "stat/nf_conntrack", "rt_cache", "connector", "fib_triestat",
                "netfilter/nf_log" }
-- the files the first namespace alone has
local INIT_NET_ONLY = { ["stat/arp_cache"] = true, ["stat/ndisc_cache"] = true, connector = true }

local F = suite.once(function()
  local work = fsx.mktemp_dir("proclua-net-more")
  suite.defer("remove " .. work, function() assert(fsx.remove_tree(work)) end)
  return { work = work, rundir = prun.rundir() }
end)

local host_mount = suite.once(function()
  local m = mnt.start {}
  suite.defer("unmount the host mount", function() return m:stop() end)
  return m
end)

local function spawn(argv, name)
  local p = procs.spawn(argv, { stdout = F().work .. "/" .. name .. ".out",
                                stderr = F().work .. "/" .. name .. ".err", name = name })
  suite.defer("end " .. name, function() p:reap() return true end)
  return p
end

local sleeper = suite.once(function() return spawn({ "sleep", "600" }, "sleeper") end)

-- A namespace of its own holding what these files show.
local SETUP = [[
set -e
ip link set lo up
ip link add d0 type veth peer name d1
ip link set d1 up
ip link set d0 up
ip addr add 10.9.0.2/24 dev d0
ip -6 addr add 2001:db8::2/64 dev d0 nodad
ip route add blackhole 10.50.0.0/16
ip route add prohibit 10.51.0.0/16
ip route add unreachable 10.52.0.0/16
ip route add 10.53.0.0/16 via 10.9.0.1 tos 0x10
ip route add 10.54.0.0/16 dev d0 scope host table 100
ip route add throw 10.55.0.0/16 table 100
tc qdisc add dev d0 root tbf rate 1mbit burst 32kbit latency 400ms
echo "0 2147483647" > /proc/sys/net/ipv4/ping_group_range
exec python3 "$1"
]]

local HOLDER = [[
import socket, struct, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP); s.bind(("127.0.0.1", 0))
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_ICMPV6); s6.bind(("::1", 0))
idx = socket.if_nametoindex("d0")
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# IP_ADD_SOURCE_MEMBERSHIP: group, interface, source
u.setsockopt(socket.IPPROTO_IP, 39, socket.inet_aton("239.1.2.3") + socket.inet_aton("10.9.0.2")
             + socket.inet_aton("10.9.0.7"))
# IPV6_JOIN_ANYCAST (before the source join: the kernel's mcfilter6 walk
# shows a device's sources only while their group heads its list)
a6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
a6.setsockopt(socket.IPPROTO_IPV6, 27, socket.inet_pton(socket.AF_INET6, "2001:db8::77") + struct.pack("<I", idx))
def ss6(a):
    b = struct.pack("<H", socket.AF_INET6) + bytes(6) + socket.inet_pton(socket.AF_INET6, a) + bytes(4)
    return b + bytes(128 - len(b))
# MCAST_JOIN_SOURCE_GROUP
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u6.setsockopt(socket.IPPROTO_IPV6, 46, struct.pack("<I", idx) + bytes(4) + ss6("ff15::1234") + ss6("2001:db8::9"))
print("ready", flush=True)
time.sleep(600)
]]

local own_ns = suite.once(function()
  local setup, holder = F().work .. "/setup.sh", F().work .. "/holder.py"
  fsx.write(setup, SETUP)
  fsx.write(holder, HOLDER)
  local p = spawn({ "unshare", "-n", "bash", setup, holder }, "own-netns")
  p:wait_output("^(ready)$", 20)
  return p
end)

local function assert_as_kernel(kernel_path, our_path)
  local ok, why = compare.stable(kernel_path, our_path, { tries = 20, counters = true })
  lu.assertTrue(ok, our_path .. ": " .. tostring(why))
end

------------------------------------------------------------------------------
-- Host

TestHostNetMore = {}

function TestHostNetMore.test_every_file_is_the_kernels()
  local pid = sleeper().pid
  for _, f in ipairs(FILES) do
    assert_as_kernel(("/proc/%d/net/%s"):format(pid, f), host_mount():path(("%d/net/%s"):format(pid, f)))
  end
end

-- The namespace's state is in the kernel's files, and in ours the same.
function TestHostNetMore.test_a_namespace_with_state_of_every_kind()
  local pid = own_ns().pid
  local function kernel(f) return fsx.read(("/proc/%d/net/%s"):format(pid, f)) end
  lu.assertStrContains(kernel("fib_trie"), "Id 100:\n  +-- 10.54.0.0/15 2 0 2\n")
  lu.assertStrContains(kernel("fib_trie"), "\n              /16 universe UNICAST tos=16\n")
  lu.assertStrContains(kernel("fib_trie"), "/16 universe PROHIBIT\n")
  lu.assertStrContains(kernel("mcfilter"), "\n  3     d0 0xef010203 0x0a090007      1      0\n")
  lu.assertStrContains(kernel("mcfilter6"),
    "\n  3     d0 ff150000000000000000000000001234 20010db8000000000000000000000009      1      0\n")
  lu.assertStrContains(kernel("anycast6"), "3    d0              20010db8000000000000000000000077     1\n")
  lu.assertStrContains(kernel("icmp"), ": 0100007F:")
  lu.assertStrContains(kernel("icmp6"), ": 00000000000000000000000001000000:")
  for _, f in ipairs(FILES) do
    assert_as_kernel(("/proc/%d/net/%s"):format(pid, f), host_mount():path(("%d/net/%s"):format(pid, f)))
  end
end

-- A caller inside the namespace reads its own through the net link.
function TestHostNetMore.test_a_caller_in_the_namespace_reads_its_own()
  local pid = own_ns().pid
  local function cat(path) return sh.run({ "nsenter", "-t", tostring(pid), "-n", "cat", path }) end
  for _, f in ipairs(FILES) do
    local k, o, again
    for _ = 1, 10 do -- the CPUs' counters move: ours between two reads of the kernel's
      k, o, again = cat("/proc/net/" .. f), cat(host_mount():path("net/" .. f)), cat("/proc/net/" .. f)
      if o.out == k.out or o.out == again.out then break end
      sh.sleep(0.1)
    end
    if INIT_NET_ONLY[f] then
      lu.assertEquals(k.code, 1, f)
      lu.assertStrContains(o.err, "No such file or directory", f)
    else
      lu.assertEquals(k.code, 0, f)
    end
    lu.assertEquals(o.code, k.code, f)
    lu.assertTrue(o.out == k.out or o.out == again.out, f .. ": " .. compare.describe(k.out, o.out))
  end
end

-- net/ lists the files the namespace has, stat/ too.
function TestHostNetMore.test_listings()
  local function ls(path)
    local r = sh.run({ "ls", path })
    lu.assertEquals(r.code, 0, r.err)
    return r.out
  end
  for _, pid in ipairs { sleeper().pid, own_ns().pid } do
    lu.assertEquals(ls(host_mount():path(pid .. "/net/stat")), ls(("/proc/%d/net/stat"):format(pid)))
    local ours, kernel = "\n" .. ls(host_mount():path(pid .. "/net")), "\n" .. ls(("/proc/%d/net"):format(pid))
    for _, f in ipairs(FILES) do
      local name = "\n" .. f .. "\n"
      if not f:find("/", 1, true) then
        lu.assertEquals(ours:find(name, 1, true) ~= nil, kernel:find(name, 1, true) ~= nil, f)
      end
    end
    lu.assertStrContains(ours, "\nstat\n")
    lu.assertStrContains(ours, "\nnetfilter\n")
    lu.assertStrContains(ls(host_mount():path(pid .. "/net/netfilter")), "nf_log\n")
  end
end

function TestHostNetMore.test_modes_and_owners()
  local pid = sleeper().pid
  local function st(path) return sh.run({ "stat", "-c", "%a %u %g %F", path }).out end
  for _, f in ipairs(FILES) do
    lu.assertEquals(st(host_mount():path(("%d/net/%s"):format(pid, f))),
                    st(("/proc/%d/net/%s"):format(pid, f)), f)
  end
  lu.assertEquals(st(host_mount():path(pid .. "/net/stat")), st(("/proc/%d/net/stat"):format(pid)))
  lu.assertEquals(st(host_mount():path(pid .. "/net/ip_tables_names")), "440 0 0 regular empty file\n")
  -- net/ is its task's, its subdirectories and files the namespace's root's
  local p = spawn({ "setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", "sleep", "600" }, "owned")
  procs.wait_for(function() return (procs.stat(p.pid) or {})[2] == "sleep" end, 10, "setpriv's exec")
  for _, f in ipairs { "net", "net/stat", "net/dev_snmp6", "net/dev_snmp6/lo", "net/stat/rt_cache", "net/psched" } do
    lu.assertEquals(st(host_mount():path(p.pid .. "/" .. f)), st(("/proc/%d/%s"):format(p.pid, f)), f)
  end
  lu.assertEquals(st(host_mount():path(p.pid .. "/net/stat")), "555 0 0 directory\n")
end

-- The open refused (seq_open_net), or each write refused: EACCES
-- (single_open_net) or EIO (no write method at all).
function TestHostNetMore.test_writes_are_refused_as_the_kernel_refuses_them()
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
  lu.assertStrContains(k.out, "write 5\n")
  lu.assertEquals(o.out, k.out)
end

-- dev_snmp6/: a file per IPv6 interface, listed in the kernel's order,
-- each the kernel's bytes, read by pid and from inside the namespace.
function TestHostNetMore.test_dev_snmp6()
  local function ls_f(path)
    local r = sh.run({ "ls", "-f", path })
    lu.assertEquals(r.code, 0, r.err)
    return r.out
  end
  for _, pid in ipairs { sleeper().pid, own_ns().pid } do
    local kdir, odir = ("/proc/%d/net/dev_snmp6"):format(pid), host_mount():path(pid .. "/net/dev_snmp6")
    local names = ls_f(kdir)
    lu.assertEquals(ls_f(odir), names)
    lu.assertStrContains(names, "\nlo\n")
    for name in names:gmatch("[^\n]+") do
      if name ~= "." and name ~= ".." then assert_as_kernel(kdir .. "/" .. name, odir .. "/" .. name) end
    end
    local st = sh.run({ "stat", "-c", "%a %u %g %F %h", odir, odir .. "/lo" }).out
    lu.assertEquals(st, sh.run({ "stat", "-c", "%a %u %g %F %h", kdir, kdir .. "/lo" }).out)
    lu.assertEquals(fsx.outcome(odir .. "/nope"), "<error open:ENOENT>")
  end
  local pid = own_ns().pid
  lu.assertStrContains(ls_f(("/proc/%d/net/dev_snmp6"):format(pid)), "\nd0\n")
  local inside = sh.run({ "nsenter", "-t", tostring(pid), "-n", "cat", host_mount():path("net/dev_snmp6/d0") })
  lu.assertEquals(inside.code, 0, inside.err)
  local k = fsx.read(("/proc/%d/net/dev_snmp6/d0"):format(pid))
  lu.assertStrContains(inside.out, "ifIndex                         \t3\n")
  lu.assertTrue(compare.between(k, inside.out, fsx.read(("/proc/%d/net/dev_snmp6/d0"):format(pid))), inside.out)
  -- opened for writing, each write refused as procfs's (no write method: EIO)
  local w = sh.run({ PYTHON, "-c", "import os, sys\nfd = os.open(sys.argv[1], os.O_WRONLY)\n"
                     .. "try:\n    os.write(fd, b'1')\nexcept OSError as e:\n    print(e.errno)", host_mount():path("net/dev_snmp6/lo") })
  lu.assertEquals(w.out, "5\n", w.err)
end

-- proclua capture keeps each interface's counters as the kernel's text.
function TestHostNetMore.test_capture_keeps_dev_snmp6()
  local pid = own_ns().pid
  local world = F().work .. "/captured.lua"
  local before = fsx.read(("/proc/%d/net/dev_snmp6/d0"):format(pid))
  assert(sh.ok(sh.join { testenv.bin(), "capture", tostring(pid) } .. " > " .. sh.quote(world)))
  local after = fsx.read(("/proc/%d/net/dev_snmp6/d0"):format(pid))
  local m = mnt.start { args = { "--world", world } }
  local names = sh.run({ "ls", m:path(pid .. "/net/dev_snmp6") }).out
  local d0 = fsx.read(m:path(pid .. "/net/dev_snmp6/d0"))
  m:stop()
  lu.assertEquals(names, "d0\nd1\nlo\n")
  lu.assertTrue(d0 == before or d0 == after, tostring(d0))
end

------------------------------------------------------------------------------
-- A world

TestWorldNetMore = {}

local FIB = [[
Main:
  +-- 0.0.0.0/0 2 0 2
     |-- 0.0.0.0
        /0 universe UNICAST
     +-- 10.0.0.0/24 2 0 2
        |-- 10.0.0.0
           /24 link UNICAST
        |-- 10.0.0.5
           /32 host LOCAL
Id 7:
  |-- 192.168.9.0
     /24 nowhere BLACKHOLE tos=8
     /24 scope=17 type 15
]]

local WORLD = ([[
local p = require "proclua"
return p.world {
  tasks = { { pid = 1, argv = { "/sbin/init" } } },
  net = {
    fib_trie = %q,
    xfrm_stat = { XfrmInNoStates = 12, XfrmOutPolBlock = 3 },
    softnet_stat = "0000a000 00000000 00000002 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000\n",
    ["stat/rt_cache"] = %q,
    ip_tables_names = "filter\nnat\n",
    ptype = "Type Device      Function\nALL  eth0     packet_rcv\n0800          ip_rcv\n",
  },
}
]]):format(FIB, fsx.read("/proc/self/net/stat/rt_cache"):match("^[^\n]*\n")
  .. "00000004 00000000 0000000a    00000000   00000000    00000000 00000000       00000000       00000000 00000002     00000000    00000000 00000000   00000000     00000000        00000000        00000000\n")

local function world_file()
  local path = F().work .. "/world.lua"
  if not fsx.read(path) then fsx.write(path, WORLD) end
  return path
end

-- The world's files as its format method makes them (a child interpreter).
local function formats(path, names)
  local script = F().work .. "/fmt.lua"
  local list = {}
  for _, n in ipairs(names) do list[#list + 1] = ("%q"):format(n) end
  fsx.write(script, ([[
local w = dofile(%q)
for _, n in ipairs { %s } do
  local out, err = w:format(n, 1)
  io.write("== ", n, "\n", out or ("<" .. tostring(err) .. ">\n"))
end
]]):format(path, table.concat(list, ", ")))
  local r = sh.run(testenv.lua(script), { timeout = 60 })
  lu.assertEquals(r.code, 0, r.err)
  local out = fsx.sections(r.out)
  return out
end

local function builtin(f) return "net_" .. f:gsub("/", "_") end

function TestWorldNetMore.test_declared_files_exactly()
  local names = {}
  for _, f in ipairs(FILES) do names[#names + 1] = builtin(f) end
  local f = formats(world_file(), names)
  lu.assertEquals(f.net_fib_trie, FIB)
  lu.assertStrContains(f.net_xfrm_stat, "XfrmInNoStates          \t12\n")
  lu.assertStrContains(f.net_xfrm_stat, "XfrmOutPolBlock         \t3\n")
  lu.assertStrContains(f.net_xfrm_stat, "XfrmInError             \t0\n")
  lu.assertEquals(f.net_softnet_stat, "0000a000 00000000 00000002 00000000 00000000 00000000 00000000 "
    .. "00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000\n")
  lu.assertStrContains(f.net_stat_rt_cache, "\n00000004 00000000 0000000a    00000000   ")
  lu.assertEquals(f.net_ip_tables_names, "filter\nnat\n")
  lu.assertEquals(f.net_ptype, "Type Device      Function\nALL  eth0     packet_rcv\n0800          ip_rcv\n")
  -- undeclared: a fresh namespace's (below), or none for the machine's
  for _, n in ipairs { "net_ip_tables_matches", "net_stat_arp_cache", "net_stat_synproxy" } do
    lu.assertStrContains(f[n], "<", n)
  end
end

-- A world that declares nothing shows a fresh namespace's files
-- (unshare -n), and none of the files that describe the machine's kernel.
function TestWorldNetMore.test_undeclared_files()
  local path = F().work .. "/bare.lua"
  fsx.write(path, 'local p = require "proclua"\nreturn p.world { tasks = { { pid = 1 } } }\n')
  local names = {}
  for _, f in ipairs(FILES) do names[#names + 1] = builtin(f) end
  local f = formats(path, names)
  local fresh_ones = { "icmp", "icmp6", "igmp6", "psched", "anycast6", "fib_trie", "mcfilter", "mcfilter6",
                       "rt6_stats", "xfrm_stat", "rt_cache" }
  for _, n in ipairs(fresh_ones) do
    local r = sh.run({ "unshare", "-n", "cat", "/proc/self/net/" .. n })
    lu.assertEquals(r.code, 0, r.err)
    lu.assertEquals(f[builtin(n)], r.out, n)
  end
  lu.assertEquals(f.net_psched, "000003e8 00000040 000f4240 3b9aca00\n")
  for _, n in ipairs { "softnet_stat", "ptype", "ip_tables_names", "ip6_tables_targets", "stat/rt_cache",
                       "stat/nf_conntrack", "connector", "fib_triestat", "netfilter/nf_log" } do
    lu.assertStrContains(f[builtin(n)], "<", n)
  end
  -- through a mount: listed where declared, absent where not
  local m = mnt.start { args = { "--world", path } }
  local bare = sh.run({ "ls", m:path("1/net") }).out
  local stat_dir = sh.run({ "ls", m:path("1/net/stat") }).out
  local psched = fsx.outcome(m:path("net/psched"))
  local softnet = fsx.outcome(m:path("net/softnet_stat"))
  m:stop()
  lu.assertStrContains(bare, "\nfib_trie\n")
  lu.assertNotStrContains(bare, "\nsoftnet_stat\n")
  lu.assertEquals(stat_dir, "")
  lu.assertEquals(psched, "000003e8 00000040 000f4240 3b9aca00\n")
  lu.assertEquals(softnet, "<error open:ENOENT>")
end

-- dev_snmp6: each interface of dev with zero counters, or as declared.
function TestWorldNetMore.test_dev_snmp6()
  local path = F().work .. "/ifaces.lua"
  fsx.write(path, [[
local p = require "proclua"
return p.world {
  tasks = { { pid = 1 }, { pid = 2, ns = { net = 4026532600 } } },
  net = {
    dev = { { name = "eth0" } },
    [4026532600] = {
      dev = { { name = "eth0" }, { name = "veth12" } },
      dev_snmp6 = { eth0 = { Ip6InReceives = 7, Icmp6OutMLDv2Reports = 2 }, veth12 = { ifIndex = 12 },
                    lo = "ifIndex                         \t1\nIp6InReceives                   \t3\n" },
    },
  },
}
]])
  local fresh = sh.run({ "unshare", "-n", "cat", "/proc/self/net/dev_snmp6/lo" }).out
  local m = mnt.start { args = { "--world", path } }
  local names1 = sh.run({ "ls", "-f", m:path("1/net/dev_snmp6") }).out
  local names2 = sh.run({ "ls", "-f", m:path("2/net/dev_snmp6") }).out
  local lo1, eth1 = fsx.read(m:path("1/net/dev_snmp6/lo")), fsx.read(m:path("1/net/dev_snmp6/eth0"))
  local lo2, eth2 = fsx.read(m:path("2/net/dev_snmp6/lo")), fsx.read(m:path("2/net/dev_snmp6/eth0"))
  local veth = fsx.read(m:path("2/net/dev_snmp6/veth12"))
  local st = sh.run({ "stat", "-c", "%a %u %g %F", m:path("2/net/dev_snmp6/veth12") }).out
  m:stop()
  lu.assertEquals(names1, ".\n..\nlo\neth0\n")
  lu.assertEquals(names2, ".\n..\nlo\neth0\nveth12\n")
  lu.assertEquals(lo1, fresh)
  lu.assertEquals(eth1, (fresh:gsub("\t1\n", "\t2\n", 1)))
  lu.assertEquals(lo2, "ifIndex                         \t1\nIp6InReceives                   \t3\n")
  lu.assertEquals(eth2, (fresh:gsub("\t1\n", "\t2\n", 1):gsub("(Ip6InReceives +\t)0", "%17")
    :gsub("(Icmp6OutMLDv2Reports +\t)0", "%12")))
  lu.assertEquals(veth, (fresh:gsub("\t1\n", "\t12\n", 1)))
  lu.assertEquals(st, "444 0 0 regular empty file\n")
end

function TestWorldNetMore.test_text_the_kernel_would_not_print_is_refused()
  local function refused(net, msg)
    local script = F().work .. "/bad.lua"
    fsx.write(script, ('local p = require "proclua"\nlocal ok, e = pcall(p.world, { tasks = { { pid = 1 } }, '
      .. 'net = %s })\nio.write(ok and "loaded" or tostring(e))\n'):format(net))
    local r = sh.run(testenv.lua(script), { timeout = 60 })
    lu.assertEquals(r.code, 0, r.err)
    lu.assertStrContains(r.out, msg, false, net)
  end
  refused('{ fib_trie = "Main:\\n  +-- 10.0.0.0/8  2 0 2\\n" }', "world net: fib_trie is not text the kernel would print (line 2)")
  refused('{ psched = "3e8 40 f4240 3b9aca00\\n" }', "world net: psched is not text the kernel would print (line 1)")
  refused('{ ["stat/synproxy"] = "entries syn_received\\n" }', "world net: stat/synproxy is not text the kernel would print (line 1)")
  refused('{ xfrm_stat = { XfrmInErrors = 1 } }', "world net xfrm_stat: no counter XfrmInErrors")
  refused('{ ip_tables_names = "filter\\n\\n" }', "world net: ip_tables_names is not text the kernel would print (line 2)")
  refused('{ dev_snmp6 = { lo = "Ip6InReceives \\t3\\n" } }', "world net dev_snmp6.lo is not text the kernel would print")
  refused('{ dev_snmp6 = { eth9 = {} } }', "world net dev_snmp6.eth9: no interface of dev: give ifIndex")
  refused('{ dev_snmp6 = { lo = { Ip6InRecieves = 1 } } }', "world net dev_snmp6.lo: no counter Ip6InRecieves")
end

------------------------------------------------------------------------------
-- Tools, in the namespace of its own, through proclua-run

TestNetMoreTools = {}

-- argv in the namespace (nsenter first: through proclua, ns/net is no
-- namespace file setns takes), natively or with proclua-run's /proc.
local function in_ns(argv, through_proclua)
  local cmd = { "nsenter", "-t", tostring(own_ns().pid), "-n" }
  if through_proclua then
    for _, w in ipairs { "env", "TMPDIR=" .. F().rundir, testenv.run_script(), "--" } do cmd[#cmd + 1] = w end
  end
  for _, w in ipairs(prun.TOOL_ENV) do cmd[#cmd + 1] = w end
  for _, w in ipairs(argv) do cmd[#cmd + 1] = w end
  return cmd
end

local function same_as_native(argv)
  local want, got, again
  for _ = 1, 10 do
    want = sh.run(in_ns(argv))
    lu.assertNotEquals(want.out, "", table.concat(argv, " ") .. ": " .. want.err)
    got = sh.run(in_ns(argv, true), { timeout = 120 })
    prun.assert_clean(F().rundir)
    lu.assertEquals(got.code, want.code, got.err) -- lnstat -f exits 1 on the kernel's /proc too
    again = sh.run(in_ns(argv))
    if got.out == want.out or got.out == again.out then return want.out end
    sh.sleep(0.2)
  end
  prun.assert_text(got.out, want.out, table.concat(argv, " ") .. " (native vs proclua)")
end

function TestNetMoreTools.test_tc_lnstat_nstat()
  -- tc turns the qdisc's times into text with psched's units
  lu.assertStrContains(same_as_native { "tc", "qdisc", "show", "dev", "d0" }, " lat 400ms")
  -- lnstat reads every file of stat/ it lists
  lu.assertStrContains(same_as_native { "lnstat", "-c", "1" }, "rt_cache|")
  same_as_native { "lnstat", "-c", "1", "-f", "rt_cache" }
  -- nstat: snmp, netstat and snmp6, without its history file
  lu.assertStrContains(same_as_native { "nstat", "-asz" }, "Ip6InReceives")
end

suite.run()
