-- The machine's newer files and sys/ settings, as text and as numbers.
local p = require "proclua"
return p.world {
  tasks = { { pid = 1, argv = { "/sbin/init" } } },
  machine = {
    cpus = 2, mem_total_kb = 2097152,
    sysctl = { ["vm.overcommit_memory"] = 2, ["net.ipv4.ip_local_port_range"] = { 1024, 65535 },
               ["kernel.core_pattern"] = "|/usr/lib/systemd/systemd-coredump %P\n",
               ["kernel.yama.ptrace_scope"] = 1, ["kernel.random.uuid"] = "00112233-4455-4677-8899-aabbccddeeff\n",
               ["kernel.random.boot_id"] = "7f3c2a9e-4b1d-4c8e-9a6f-2d5e8b1c0a47\n",
               ["fs.file-nr"] = { 1024, 0, 9223372036854775807 }, ["kernel.cap_last_cap"] = false },
    vmstat = { pswpin = 7, pswpout = 9 },
    swaps = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/swap\\040file" .. (" "):rep(27)
      .. "file\t\t1048572\t\t0\t\t-2\n",
    cmdline = "root=/dev/sda1 ro quiet",
    pressure = { io = "some avg10=1.50 avg60=0.25 avg300=0.05 total=123456\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=42\n",
                 memory = "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n" },
    cgroups = "#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t4\t58\t1\n",
    partitions = "major minor  #blocks  name\n\n   8        0   10485760 sda\n   8        1   10484736 sda1\n",
  },
}
