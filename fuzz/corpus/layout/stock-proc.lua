-- The default layout: Linux's per-task table (fs/proc/base.c tgid_base_stuff
-- and tid_base_stuff), in Linux's readdir order, for the files proclua
-- builds.  Edit a copy and pass it with --layout to change the /proc a
-- program sees: drop a line to hide a file, change a mode, add p.stub or a
-- Lua function file.
--
--   p.file(name, mode, generator [, {only = "tgid" | "tid"}])
--   p.stub(name, mode, content)         p.link(name, generator)
--   p.dir(name, mode, {entries...} | "task" | "fd" | "fdinfo")
--   p.symlink(name, target)
--
-- Modes are strings of octal digits: Lua has no octal literals.
local p = require "proclua"

local tgid = { only = "tgid" }   -- only in /proc/<pid>/
local tid = { only = "tid" }     -- only in /proc/<pid>/task/<tid>/

return p.layout {
  root = {                     -- in Linux's order (proc_root's entries, then self)
    p.dir("sys", "0555", {
      p.dir("kernel", "0555", {
        p.file("hostname", "0644", "hostname"),
        p.file("osrelease", "0444", "osrelease"),
        p.file("ostype", "0444", "ostype"),
        p.file("pid_max", "0644", "pid_max"),
      }),
    }),
    p.file("stat", "0444", "system_stat"),
    p.symlink("mounts", "self/mounts"),
    p.file("uptime", "0444", "uptime"),
    p.file("cpuinfo", "0444", "cpuinfo"),
    p.file("loadavg", "0444", "loadavg"),
    p.file("meminfo", "0444", "meminfo"),
    p.file("version", "0444", "version"),
    p.file("filesystems", "0444", "filesystems"),
    p.link("self", "self"),
    p.link("thread-self", "thread_self"),
  },
  task = {
    p.dir("task", "0555", "task", tgid),
    p.dir("fd", "0500", "fd"),
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
    p.file("environ", "0400", "environ"),
    p.file("auxv", "0400", "auxv"),
    p.file("status", "0444", "status"),
    p.file("limits", "0444", "limits"),
    p.file("comm", "0644", "comm"),
    p.file("cmdline", "0444", "cmdline"),
    p.file("stat", "0444", "stat"),
    p.file("statm", "0444", "statm"),
    p.file("maps", "0444", "maps"),
    p.file("children", "0444", "children", tid),
    p.file("mem", "0600", "mem"),
    p.link("cwd", "cwd"),
    p.link("root", "root"),
    p.link("exe", "exe"),
    p.file("mounts", "0444", "mounts"),
    p.file("mountinfo", "0444", "mountinfo"),
    p.file("smaps", "0444", "smaps"),
    p.file("smaps_rollup", "0444", "smaps_rollup"),
    p.file("wchan", "0444", "wchan"),
    p.file("cgroup", "0444", "cgroup"),
    p.file("oom_score", "0444", "oom_score"),
    p.file("oom_score_adj", "0644", "oom_score_adj"),
    p.file("coredump_filter", "0644", "coredump_filter", tgid),
    p.file("io", "0400", "io"),
    p.file("uid_map", "0644", "uid_map"),
    p.file("gid_map", "0644", "gid_map"),
    p.file("setgroups", "0644", "setgroups"),
  },
}
