-- A container as its own /proc would show it: an init, a shell, a web
-- server with workers, and a threaded application, all in a user namespace
-- mapped to host uid 100000, under one cgroup.
local p = require "proclua"

local cgroup = "0::/system.slice/docker-3f2a9c.scope\n"
local mountinfo = table.concat({
  "601 523 0:52 / / rw,relatime master:290 - overlay overlay rw,lowerdir=/var/lib/docker/l/A:/var/lib/docker/l/B,upperdir=/var/lib/docker/d/diff,workdir=/var/lib/docker/d/work",
  "602 601 0:55 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw",
  "603 601 0:56 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755,uid=100000,gid=100000",
  "604 601 254:0 /var/lib/docker/containers/3f2a9c/hostname /etc/hostname rw,relatime - ext4 /dev/vda1 rw",
  "",
}, "\n")
local uid_map = "         0     100000      65536\n"

-- Facts every process here shares.
local function proc(t)
  t.cgroup, t.mountinfo, t.uid_map, t.gid_map = cgroup, mountinfo, uid_map, uid_map
  t.env = t.env or { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=3f2a9c" }
  t.cpus = 2
  t.ns = { user = 4026532455, mnt = 4026532451, uts = 4026532452, ipc = 4026532453,
           pid = 4026532454, pid_for_children = 4026532454, net = 4026532457,
           cgroup = 4026532456 }
  return t
end

-- The container's network namespace (every task's ns.net): eth0 with some
-- traffic, nginx listening on 80, the app on a unix socket, a client of
-- nginx's in the middle of a request.
local net = {
  dev = { { name = "eth0", rx_bytes = 4823117, rx_packets = 3911, tx_bytes = 1290344, tx_packets = 2760 } },
  tcp = {
    { local_address = "0.0.0.0:80", inode = 51011 },
    { local_address = "172.17.0.2:80", remote = "172.17.0.1:40312", inode = 51040, uid = 101 },
  },
  unix = { { path = "/run/app.sock", state = "LISTEN", inode = 51020 } },
  route = { { iface = "eth0", gateway = "172.17.0.1" },
            { iface = "eth0", destination = "172.17.0.0", mask = "255.255.0.0" } },
}

return p.world {
  net = net,
  tasks = {
    proc { pid = 1, argv = { "/sbin/tini", "--", "/docker-entrypoint.sh" }, state = "S",
           starttime = 1000, utime = 1, stime = 2 },
    proc { pid = 7, ppid = 1, pgrp = 7, session = 7, argv = { "/bin/sh", "/docker-entrypoint.sh" },
           starttime = 1010 },
    proc { pid = 12, ppid = 7, pgrp = 7, session = 7, argv = { "nginx: master process nginx -g daemon off;" },
           comm = "nginx", starttime = 1050, rss_anon = 512, rss_file = 1024,
           fds = { { fd = 0, target = "/dev/null" }, { fd = 1, target = "pipe:[51002]", mode = "w" },
                   { fd = 2, target = "pipe:[51002]", mode = "w" },
                   { fd = 6, target = "socket:[51011]", mode = "rw" } } },
    proc { pid = 13, ppid = 12, pgrp = 7, session = 7, argv = { "nginx: worker process" }, comm = "nginx",
           uid = 101, gid = 101, starttime = 1060, rss_anon = 700, rss_file = 1024 },
    proc { pid = 14, ppid = 12, pgrp = 7, session = 7, argv = { "nginx: worker process" }, comm = "nginx",
           uid = 101, gid = 101, starttime = 1061, rss_anon = 690, rss_file = 1024 },
    proc { pid = 20, ppid = 7, pgrp = 20, session = 7, argv = { "/usr/bin/python3", "-m", "app" },
           comm = "python3", uid = 1000, gid = 1000, starttime = 1100, utime = 420, stime = 35,
           rss_anon = 9000, rss_file = 3000,
           fds = { { fd = 0, target = "/dev/null" }, { fd = 3, target = "socket:[51020]", mode = "rw" } },
           threads = { { tid = 21, comm = "gunicorn" }, { tid = 22, comm = "gunicorn", state = "R" } } },
  },
}
