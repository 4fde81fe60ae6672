-- Network namespaces: one declared by its inode, the others' by records
-- and text; a task without net/.
local p = require "proclua"
return p.world {
  tasks = {
    { pid = 1, fds = { { fd = 3, target = "socket:[3001]", mode = "rw" } } },
    { pid = 2, ppid = 1, ns = { net = 4026532500 } },
    { pid = 3, ppid = 1, absent = { "net" } },
  },
  net = {
    dev = { { name = "eth0", rx_bytes = 1000, tx_packets = 3 } },
    tcp = { { local_address = "0.0.0.0:80", inode = 3001, uid = 33 },
            { local_address = "10.0.0.5:80", remote = "10.0.0.9:51000", state = "TIME_WAIT" } },
    tcp6 = { { local_address = "[::1]:443" } },
    udp = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            \n",
    unix = { { path = "@abstract\0name", state = "LISTEN" }, { type = "dgram" } },
    route = { { iface = "eth0", gateway = "10.0.0.1" } },
    if_inet6 = { { address = "fe80::1", dev = "eth0" } },
    snmp = { Tcp = { MaxConn = -1, ActiveOpens = 2 } },
    snmp6 = { Ip6InReceives = 4 },
    sockstat = { TCP = { mem = 2 } },
    [4026532500] = { raw = { { protocol = 1 } }, uid = 100000, gid = 100000 },
  },
}
