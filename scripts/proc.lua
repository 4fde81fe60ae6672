-- The default layout: Linux's per-task table (fs/proc/base.c tgid_base_stuff
-- and tid_base_stuff), in Linux's readdir order, for the files proclua
-- builds.  Edit a copy and pass it with --layout to change the /proc a
-- program sees: drop a line to hide a file, change a mode, add p.stub or a
-- Lua function file.
--
--   p.file(name, mode, generator [, {only = "tgid" | "tid"}])
--   p.file(name, mode, function(task) ... end
--          [, {write = function(task, bytes, offset, caller) ... end}])
--   p.stub(name, mode, content)         p.link(name, generator)
--   p.dir(name, mode, {entries...} | "task" | "fd" | "fdinfo" | "map_files")
--   p.sysctl(name, mode [, {hide = {names...}, files = {[name] = entry}}])
--   p.symlink(name, target)
--
-- Modes are strings of octal digits: Lua has no octal literals.
local p = require "proclua"

local tgid = { only = "tgid" }   -- only in /proc/<pid>/
local tid = { only = "tid" }     -- only in /proc/<pid>/task/<tid>/

return p.layout {
  root = {                     -- in Linux's order (proc_root's entries, then self)
    p.symlink("net", "self/net"),
    -- sys/: every setting the source has (the host's kernel's, or those a
    -- world declares), named as sysctl names them.  Hide some, or put a
    -- declaration of your own in place of one:
    --   p.sysctl("sys", "0555", { hide = { "kernel.core_pattern", "net" },
    --     files = { ["kernel.hostname"] = p.stub("hostname", "0444", "box\n") } })
    p.sysctl("sys", "0555"),
    p.dir("tty", "0555", {
      p.file("drivers", "0444", "tty_drivers"),
    }),
    p.file("stat", "0444", "system_stat"),
    p.file("locks", "0444", "locks"),
    p.file("swaps", "0444", "swaps"),
    p.symlink("mounts", "self/mounts"),
    p.file("uptime", "0444", "uptime"),
    p.file("vmstat", "0444", "vmstat"),
    p.file("cgroups", "0444", "cgroups"),
    p.file("cmdline", "0444", "boot_cmdline"),
    p.file("cpuinfo", "0444", "cpuinfo"),
    p.file("loadavg", "0444", "loadavg"),
    p.file("meminfo", "0444", "meminfo"),
    p.file("version", "0444", "version"),
    -- written to, these register PSI triggers: not served (EACCES)
    p.dir("pressure", "0555", {
      p.file("io", "0666", "pressure_io"),
      p.file("cpu", "0666", "pressure_cpu"),
      p.file("memory", "0666", "pressure_memory"),
    }),
    p.file("softirqs", "0444", "softirqs"),
    p.file("diskstats", "0444", "diskstats"),
    p.file("interrupts", "0444", "interrupts"),
    p.file("partitions", "0444", "partitions"),
    p.file("filesystems", "0444", "filesystems"),
    -- machine tables (in Linux's order among themselves; Linux interleaves
    -- them with the files above by name length)
    p.file("misc", "0444", "misc"),
    p.file("iomem", "0444", "iomem"),
    p.file("crypto", "0444", "crypto"),
    p.file("devices", "0444", "devices"),
    p.file("ioports", "0444", "ioports"),
    -- System V IPC: the objects of the reader's IPC namespace
    p.dir("sysvipc", "0555", {
      p.file("msg", "0444", "sysvipc_msg"),
      p.file("sem", "0444", "sysvipc_sem"),
      p.file("shm", "0444", "sysvipc_shm"),
    }),
    p.file("consoles", "0444", "consoles"),
    p.file("kallsyms", "0444", "kallsyms"),
    p.file("slabinfo", "0400", "slabinfo"),
    p.file("zoneinfo", "0444", "zoneinfo"),
    p.file("buddyinfo", "0444", "buddyinfo"),
    p.file("execdomains", "0444", "execdomains"),
    p.file("pagetypeinfo", "0400", "pagetypeinfo"),
    p.link("self", "self"),
    p.link("thread-self", "thread_self"),
  },
  task = {
    p.dir("task", "0555", "task", tgid),
    p.dir("fd", "0500", "fd"),
    p.dir("map_files", "0500", "map_files", tgid),
    p.dir("fdinfo", "0555", "fdinfo"),
    p.dir("ns", "0511", {
      p.link("net", "ns_net"),
      p.link("uts", "ns_uts"),
      p.link("ipc", "ns_ipc"),
      p.link("pid", "ns_pid"),
      p.link("pid_for_children", "ns_pid_for_children"),
      p.link("user", "ns_user"),
      p.link("mnt", "ns_mnt"),
      p.link("cgroup", "ns_cgroup"),
      p.link("time", "ns_time"),
      p.link("time_for_children", "ns_time_for_children"),
    }),
    -- net/: the task's network namespace, in Linux's order (by length,
    -- then name); the directory is the task's, its files root's
    p.dir("net", "0555", {
      p.file("arp", "0444", "net_arp"),
      p.file("dev", "0444", "net_dev"),
      p.file("raw", "0444", "net_raw"),
      p.file("tcp", "0444", "net_tcp"),
      p.file("udp", "0444", "net_udp"),
      p.file("icmp", "0444", "net_icmp"),
      p.file("igmp", "0444", "net_igmp"),
      p.file("raw6", "0444", "net_raw6"),
      p.file("snmp", "0444", "net_snmp"),
      p.dir("stat", "0555", {
        p.file("rt_cache", "0444", "net_stat_rt_cache"),
        p.file("synproxy", "0444", "net_stat_synproxy"),
        p.file("arp_cache", "0444", "net_stat_arp_cache"),
        p.file("ndisc_cache", "0444", "net_stat_ndisc_cache"),
        p.file("nf_conntrack", "0444", "net_stat_nf_conntrack"),
      }),
      p.file("tcp6", "0444", "net_tcp6"),
      p.file("udp6", "0444", "net_udp6"),
      p.file("unix", "0444", "net_unix"),
      p.file("icmp6", "0444", "net_icmp6"),
      p.file("igmp6", "0444", "net_igmp6"),
      p.file("ptype", "0444", "net_ptype"),
      p.file("route", "0444", "net_route"),
      p.file("snmp6", "0444", "net_snmp6"),
      p.file("packet", "0444", "net_packet"),
      p.file("psched", "0444", "net_psched"),
      p.file("netlink", "0444", "net_netlink"),
      p.file("netstat", "0444", "net_netstat"),
      p.file("udplite", "0444", "net_udplite"),
      p.file("anycast6", "0444", "net_anycast6"),
      p.file("fib_trie", "0444", "net_fib_trie"),
      p.file("if_inet6", "0444", "net_if_inet6"),
      p.file("mcfilter", "0444", "net_mcfilter"),
      p.file("rt_cache", "0444", "net_rt_cache"),
      p.file("sockstat", "0444", "net_sockstat"),
      p.file("udplite6", "0444", "net_udplite6"),
      p.file("connector", "0444", "net_connector"),
      p.file("dev_mcast", "0444", "net_dev_mcast"),
      p.dir("dev_snmp6", "0555", "dev_snmp6"),
      p.file("mcfilter6", "0444", "net_mcfilter6"),
      p.dir("netfilter", "0555", {
        p.file("nf_log", "0444", "net_netfilter_nf_log"),
      }),
      p.file("protocols", "0444", "net_protocols"),
      p.file("rt6_stats", "0444", "net_rt6_stats"),
      p.file("sockstat6", "0444", "net_sockstat6"),
      p.file("xfrm_stat", "0444", "net_xfrm_stat"),
      p.file("ipv6_route", "0444", "net_ipv6_route"),
      p.file("fib_triestat", "0444", "net_fib_triestat"),
      p.file("softnet_stat", "0444", "net_softnet_stat"),
      p.file("ip_tables_names", "0440", "net_ip_tables_names"),
      p.file("arp_tables_names", "0440", "net_arp_tables_names"),
      p.file("ip6_tables_names", "0440", "net_ip6_tables_names"),
      p.file("ip_tables_matches", "0440", "net_ip_tables_matches"),
      p.file("ip_tables_targets", "0440", "net_ip_tables_targets"),
      p.file("arp_tables_matches", "0440", "net_arp_tables_matches"),
      p.file("arp_tables_targets", "0440", "net_arp_tables_targets"),
      p.file("ip6_tables_matches", "0440", "net_ip6_tables_matches"),
      p.file("ip6_tables_targets", "0440", "net_ip6_tables_targets"),
    }),
    p.file("environ", "0400", "environ"),
    p.file("auxv", "0400", "auxv"),
    p.file("status", "0444", "status"),
    p.file("personality", "0400", "personality"),
    p.file("limits", "0444", "limits"),
    p.file("sched", "0644", "sched"),
    p.file("autogroup", "0644", "autogroup", tgid),
    p.file("timens_offsets", "0644", "timens_offsets", tgid),
    p.file("comm", "0644", "comm"),
    p.file("syscall", "0400", "syscall"),
    p.file("cmdline", "0444", "cmdline"),
    p.file("stat", "0444", "stat"),
    p.file("statm", "0444", "statm"),
    p.file("maps", "0444", "maps"),
    p.file("children", "0444", "children", tid),
    p.file("numa_maps", "0444", "numa_maps"),
    p.file("mem", "0600", "mem"),
    p.link("cwd", "cwd"),
    p.link("root", "root"),
    p.link("exe", "exe"),
    p.file("mounts", "0444", "mounts"),
    p.file("mountinfo", "0444", "mountinfo"),
    p.file("mountstats", "0400", "mountstats", tgid),
    p.file("clear_refs", "0200", "clear_refs"),
    p.file("smaps", "0444", "smaps"),
    p.file("smaps_rollup", "0444", "smaps_rollup"),
    p.file("pagemap", "0400", "pagemap"),
    -- what the security module says (on a kernel without one, each read
    -- fails with EINVAL)
    p.dir("attr", "0555", {
      p.file("current", "0666", "attr_current"),
      p.file("prev", "0444", "attr_prev"),
      p.file("exec", "0666", "attr_exec"),
      p.file("fscreate", "0666", "attr_fscreate"),
      p.file("keycreate", "0666", "attr_keycreate"),
      p.file("sockcreate", "0666", "attr_sockcreate"),
    }),
    p.file("wchan", "0444", "wchan"),
    p.file("stack", "0400", "stack"),
    p.file("schedstat", "0444", "schedstat"),
    p.file("cpuset", "0444", "cpuset"),
    p.file("cgroup", "0444", "cgroup"),
    p.file("oom_score", "0444", "oom_score"),
    p.file("oom_adj", "0644", "oom_adj"),
    p.file("oom_score_adj", "0644", "oom_score_adj"),
    p.file("loginuid", "0644", "loginuid"),
    p.file("sessionid", "0444", "sessionid"),
    p.file("coredump_filter", "0644", "coredump_filter", tgid),
    p.file("io", "0400", "io"),
    p.file("uid_map", "0644", "uid_map"),
    p.file("gid_map", "0644", "gid_map"),
    p.file("projid_map", "0644", "projid_map"),
    p.file("setgroups", "0644", "setgroups"),
    p.file("timers", "0444", "timers", tgid),
    p.file("timerslack_ns", "0666", "timerslack_ns", tgid),
    p.file("arch_status", "0444", "arch_status"),
    p.file("ksm_merging_pages", "0400", "ksm_merging_pages"),
    p.file("ksm_stat", "0400", "ksm_stat"),
  },
}
