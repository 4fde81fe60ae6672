-- A container-like /proc: what a process inside a container may see of the
-- machine, and nothing that names the host.
--
--   kept      cpuinfo, meminfo, stat, uptime, loadavg, vmstat, softirqs,
--             pressure/ (tools such as top, free, uptime, vmstat and PSI
--             monitors need them), sys/kernel as the source has it,
--             self, thread-self, net (the task's own network namespace:
--             netstat, ss's fallback, psutil), sysvipc/ (the reader's own
--             IPC namespace: ipcs, lsipc), and per task everything ps,
--             top, pgrep, pmap and psutil read
--   stubbed   sys/kernel/hostname reads "container"; each task's cgroup is
--             the root of the cgroup tree ("0::/"), not the host's path
--   dropped   version (the host kernel's build string), filesystems,
--             cmdline (the host's boot line), swaps, partitions, diskstats,
--             interrupts, tty/ and cgroups (the host's devices and
--             controllers), locks (the host's processes and files),
--             the host's kernel and hardware tables (slabinfo, zoneinfo,
--             buddyinfo, pagetypeinfo, devices, misc, consoles,
--             execdomains, crypto, iomem, ioports, kallsyms),
--             sys/ outside kernel/, the mounts link and each task's mounts and mountinfo (the host's
--             mount table and paths), ns/ (namespace inode numbers identify
--             the host's namespaces)
--
-- Combine with a world (--world) for a container whose tasks are declared,
-- or use it as is over the host's tasks.
--
--   proclua --layout examples/layouts/container.lua MNT
--   proclua-run --layout examples/layouts/container.lua -- ps -ef
local p = require "proclua"
local stock = require "proc" -- the default layout, scripts/proc.lua

-- sys/kernel as the source has it, with a hostname of our own
local sys = p.sysctl("sys", "0555", {
  hide = { "abi", "debug", "dev", "fs", "net", "user", "vm" },
  files = { ["kernel.hostname"] = p.stub("hostname", "0444", "container\n") },
})

return p.layout {
  root = p.edit(stock.root, {
    sys = sys,
    version = false, filesystems = false, mounts = false, cmdline = false, swaps = false,
    partitions = false, diskstats = false, interrupts = false, cgroups = false, tty = false,
    locks = false, slabinfo = false, zoneinfo = false, buddyinfo = false, pagetypeinfo = false,
    devices = false, misc = false, consoles = false, execdomains = false, crypto = false,
    iomem = false, ioports = false, kallsyms = false,
  }),
  task = p.edit(stock.task, {
    cgroup = p.stub("cgroup", "0444", "0::/\n"),
    mounts = false, mountinfo = false, ns = false,
  }),
}
