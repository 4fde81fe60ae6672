local p = require "proclua"
local decl = (function()
-- A maps/smaps header as Linux prints it: the name at column 74 (the
-- prefix padded to 72, then one space); an unnamed region ends with the
-- prefix's trailing space.
local function header(r)
  local prefix = ("%s %s %s %s %d "):format(r[1], r[2], r.off or "00000000",
                                            r.dev or "00:00", r.ino or 0)
  if r.name then return ("%-72s %s"):format(prefix, r.name) end
  return prefix
end

local function maps(regions)
  local out = {}
  for _, r in ipairs(regions) do out[#out + 1] = header(r) end
  return table.concat(out, "\n") .. "\n"
end

-- smaps as Linux prints it: labels padded to 16 columns, values in 8.
-- Every page is private: Pss = Rss, Private_Dirty = dirty.
local function smaps(regions)
  local out = {}
  local function line(label, v) out[#out + 1] = ("%-16s%8d kB"):format(label .. ":", v) end
  for _, r in ipairs(regions) do
    local lo, hi = r[1]:match("^(%x+)-(%x+)$")
    local rss, dirty = r.rss or 0, r.dirty or 0
    out[#out + 1] = header(r)
    line("Size", (tonumber(hi, 16) - tonumber(lo, 16)) // 1024)
    line("KernelPageSize", 4); line("MMUPageSize", 4)
    line("Rss", rss); line("Pss", rss); line("Pss_Dirty", dirty)
    line("Shared_Clean", 0); line("Shared_Dirty", 0)
    line("Private_Clean", rss - dirty); line("Private_Dirty", dirty)
    line("Referenced", rss); line("Anonymous", r.anon or 0)
    line("KSM", 0); line("LazyFree", 0); line("AnonHugePages", 0)
    line("ShmemPmdMapped", 0); line("FilePmdMapped", 0); line("Shared_Hugetlb", 0)
    out[#out + 1] = ("Private_Hugetlb: %7d kB"):format(0)
    line("Swap", 0); line("SwapPss", 0); line("Locked", 0)
    out[#out + 1] = ("%-16s%8d"):format("THPeligible:", 0)
    out[#out + 1] = "VmFlags: " .. r.flags .. " "
  end
  return table.concat(out, "\n") .. "\n"
end

local CAT, LIBC = "/usr/bin/cat", "/usr/lib/x86_64-linux-gnu/libc.so.6"
-- `cat /etc/motd`: 2544 KiB mapped (636 pages), 1232 KiB resident of which
-- 72 KiB anonymous and dirty (18 pages) and 1160 KiB file pages (290).
local cat_regions = {
  { "55d4c8a00000-55d4c8a02000", "r--p", dev = "08:01", ino = 1048601, name = CAT, rss = 8, flags = "rd mr mw me sd" },
  { "55d4c8a02000-55d4c8a07000", "r-xp", off = "00002000", dev = "08:01", ino = 1048601, name = CAT, rss = 20, flags = "rd ex mr mw me sd" },
  { "55d4c8a07000-55d4c8a0a000", "r--p", off = "00007000", dev = "08:01", ino = 1048601, name = CAT, rss = 8, flags = "rd mr mw me sd" },
  { "55d4c8a0a000-55d4c8a0b000", "r--p", off = "00009000", dev = "08:01", ino = 1048601, name = CAT, rss = 4, dirty = 4, anon = 4, flags = "rd mr mw me ac sd" },
  { "55d4c8a0b000-55d4c8a0c000", "rw-p", off = "0000a000", dev = "08:01", ino = 1048601, name = CAT, rss = 4, dirty = 4, anon = 4, flags = "rd wr mr mw me ac sd" },
  { "55d4c9b1e000-55d4c9b3f000", "rw-p", name = "[heap]", rss = 8, dirty = 8, anon = 8, flags = "rd wr mr mw me ac sd" },
  { "7f1e2c600000-7f1e2c628000", "r--p", dev = "08:01", ino = 1050123, name = LIBC, rss = 160, flags = "rd mr mw me sd" },
  { "7f1e2c628000-7f1e2c7bd000", "r-xp", off = "00028000", dev = "08:01", ino = 1050123, name = LIBC, rss = 896, flags = "rd ex mr mw me sd" },
  { "7f1e2c7bd000-7f1e2c815000", "r--p", off = "001bd000", dev = "08:01", ino = 1050123, name = LIBC, rss = 64, flags = "rd mr mw me sd" },
  { "7f1e2c815000-7f1e2c819000", "r--p", off = "00214000", dev = "08:01", ino = 1050123, name = LIBC, rss = 16, dirty = 16, anon = 16, flags = "rd mr mw me ac sd" },
  { "7f1e2c819000-7f1e2c81b000", "rw-p", off = "00218000", dev = "08:01", ino = 1050123, name = LIBC, rss = 8, dirty = 8, anon = 8, flags = "rd wr mr mw me ac sd" },
  { "7f1e2c81b000-7f1e2c828000", "rw-p", rss = 20, dirty = 20, anon = 20, flags = "rd wr mr mw me ac sd" },
  { "7ffd1a2b0000-7ffd1a2d1000", "rw-p", name = "[stack]", rss = 12, dirty = 12, anon = 12, flags = "rd wr mr mw me gd ac" },
  { "7ffd1a3f2000-7ffd1a3f6000", "r--p", name = "[vvar]", flags = "rd mr pf io de dd sd" },
  { "7ffd1a3f6000-7ffd1a3f8000", "r-xp", name = "[vdso]", rss = 4, flags = "rd ex mr mw me de sd" },
}

return {
  self = 1,
  machine = { cpus = 2, uptime = 98700, loadavg = { 0.52, 0.31, 0.07 },
              mem_total_kb = 4194304, mem_free_kb = 2097152, btime = 1700000000,
              hostname = "toolbox" },
  tasks = {
    { pid = 1, argv = { "/sbin/init", "splash" }, starttime = 100, utime = 150, stime = 250,
      total_vm = 42000, rss_anon = 300, rss_file = 900 },
    -- a kernel thread: no mm, no argv (ps shows [kthreadd])
    { pid = 2, ppid = 0, pgrp = 0, session = 0, comm = "kthreadd", kthread = 1, has_mm = 0,
      flags = 0x208040, starttime = 100 },
    { pid = 50, ppid = 1, argv = { "/usr/sbin/sshd", "-D" }, starttime = 500, utime = 20, stime = 10,
      total_vm = 3800, rss_anon = 200, rss_file = 1000,
      rchar = 123456, wchar = 7890, syscr = 321, syscw = 54, read_bytes = 40960, write_bytes = 8192 },
    -- a login shell: argv[0] "-bash"
    { pid = 100, ppid = 50, argv = { "-bash" }, comm = "bash", exe = "/usr/bin/bash",
      uid = 33, gid = 33, starttime = 4000, utime = 30, stime = 12,
      total_vm = 2200, rss_anon = 500, rss_file = 800, rchar = 5000, wchar = 600, syscr = 70, syscw = 8 },
    -- three threads, niced: the group's times are the sum of its threads'
    { pid = 200, ppid = 1, argv = { "/usr/bin/server", "--port", "8080" }, uid = 65534, gid = 65534,
      starttime = 2000, utime = 600000, stime = 120000, nice = 5, priority = 25,
      total_vm = 262144, rss_anon = 25600, rss_file = 2048,
      threads = { { tid = 200, utime = 1000, stime = 500 },
                  { tid = 201, comm = "worker-1", utime = 400000, stime = 80000 },
                  { tid = 202, comm = "worker-2", state = "R", utime = 199000, stime = 39500 } } },
    -- its stack pointer inside its [stack], so pmap names that region
    { pid = 300, ppid = 100, pgrp = 300, session = 100, argv = { "cat", "/etc/motd" }, exe = CAT,
      uid = 33, gid = 33, starttime = 8000, utime = 1, stime = 2,
      total_vm = 636, rss_anon = 18, rss_file = 290, smaps = smaps(cat_regions),
      start_stack = 0x7ffd1a2cf5d0 },
    { pid = 400, ppid = 100, pgrp = 100, session = 100, zombie = true, argv = { "gone" },
      uid = 33, gid = 33, starttime = 7000 },
    -- stopped, owned by a uid with no name in /etc/passwd
    { pid = 500, ppid = 1, argv = { "/opt/job/run", "--once" }, uid = 4321, gid = 4321, state = "T",
      starttime = 9000, utime = 5, stime = 5, total_vm = 1000, rss_anon = 100, rss_file = 100 },
  },
  -- for the specs, not for p.world
  regions = { cat = cat_regions }, maps = maps, smaps = smaps,
}

end)()
decl.regions, decl.maps, decl.smaps = nil, nil, nil
return p.world(decl)
