-- Per-task files of issue 15 that look at a task's pages and project ids:
-- pagemap (fs/proc/task_mmu.c pagemap_read), numa_maps (show_numa_map),
-- clear_refs (clear_refs_write) and projid_map (kernel/user_namespace.c
-- projid_m_show, proc_projid_map_write).
--
-- Host: spec/helpers/pagemap.c reads its own pagemap entries from the
-- kernel and through the mount, as root, as an unprivileged user and as
-- root without CAP_SYS_ADMIN: the same entries, frame numbers for root
-- only, the same refusals and ends.  Writes to a stopped process's
-- clear_refs through the kernel and through the mount give the same count
-- or errno.  (host_diff_spec and caller_spec compare the others' bytes
-- and each caller's refusals.)
--
-- World: the exact bytes, written out by hand from Linux's formats, the
-- exact errno of each refused write, and clear_refs's 5 (the peak RSS).
local lu = require "luaunit"
local p = require "proclua"
local fsx = require "fsx"
local mnt = require "mnt"
local probe = require "probe"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local NOBODY = 65534

local function fmt(w, name, pid, tid)
  local v, err, errno = w:format(name, pid, tid)
  if v then return v end
  return ("<%s %d>"):format(err, errno)
end

local function idmap_line(a, b, c) return ("%10d %10d %10d\n"):format(a, b, c) end

------------------------------------------------------------------------------
-- Host

local H = suite.once(function()
  local F = { work = fsx.mktemp_dir("proclua-pages") }
  suite.defer("remove " .. F.work, function() assert(fsx.remove_tree(F.work)) end)
  assert(sh.ok("chmod 755 " .. sh.quote(F.work)))
  F.target = procs.spawn({ "perl", "-e", '$| = 1; print "ready\\n"; sleep 1000 while 1' },
                         { stdout = F.work .. "/target.out", stderr = F.work .. "/target.err",
                           name = "target" })
  suite.defer("reap the target", function() F.target:reap() end)
  F.target:wait_output("^ready")
  F.target:stop_and_wait()
  -- a process in a user namespace of its own (root's, uid 0 mapped), its
  -- projid_map written by root from the top
  F.userns = procs.spawn({ "unshare", "-U", "-r", "perl", "-e",
                           '$| = 1; print "ready\\n"; sleep 1000 while 1' },
                         { stdout = F.work .. "/userns.out", stderr = F.work .. "/userns.err",
                           name = "userns" })
  suite.defer("reap the userns target", function() F.userns:reap() end)
  F.userns:wait_output("^ready")
  fsx.write(("/proc/%d/projid_map"):format(F.userns.pid), "0 1000 10\n50 20 3\n")
  F.userns:stop_and_wait()
  F.mount = mnt.start { options = "allow_other" }
  suite.defer("unmount " .. F.mount.dir, function() return F.mount:stop() end)
  return F
end)

-- The helper's looks, by name: { kernel = ..., proclua = ... }, and frames.
local function pagemap_looks(wrap)
  local F = H()
  local argv = {}
  for _, w in ipairs(wrap) do argv[#argv + 1] = w end
  argv[#argv + 1] = testenv.helper("pagemap")
  argv[#argv + 1] = F.mount.dir
  local r = sh.run(argv, { timeout = 120 })
  lu.assertEquals(r.code, 0, "pagemap helper: " .. r.err)
  local looks, frames = {}, nil
  for line in r.out:gmatch("[^\n]+") do
    local name, k, o = line:match("^(%S+) kernel=(%S+) proclua=(%S+)$")
    if name then
      looks[name] = { kernel = k, proclua = o }
    else
      frames = tonumber(line:match("^frames (%d+)$"))
      assert(frames, "pagemap helper printed " .. line)
    end
  end
  return looks, frames
end

local PAGEMAP_LOOKS = { "private", "private_tail", "shared", "file", "offset_unaligned",
  "count_unaligned", "count_zero", "at_end", "across_end", "past_end" }

local function check_pagemap(wrap, frames_seen)
  local looks, frames = pagemap_looks(wrap)
  for _, name in ipairs(PAGEMAP_LOOKS) do
    local l = looks[name]
    lu.assertNotNil(l, name)
    lu.assertEquals(l.proclua, l.kernel, name)
  end
  -- what pagemap_read answers at the edges, on both sides
  lu.assertEquals(looks.offset_unaligned.kernel, "EINVAL")
  lu.assertEquals(looks.count_unaligned.kernel, "EINVAL")
  lu.assertEquals(looks.count_zero.kernel, "eof")
  lu.assertEquals(looks.at_end.kernel, "eof")
  lu.assertEquals(looks.across_end.kernel, ("0"):rep(16))
  -- pages 0, 3, 7 and 8 written: present (bit 63) and exclusive (56)
  lu.assertEquals(#looks.private.kernel, 16 * 16)
  lu.assertEquals(looks.private.kernel:sub(1, 2), "81")
  if frames_seen then
    lu.assertTrue(frames > 0, "root sees frame numbers")
  else
    lu.assertEquals(frames, 0, "frame numbers are zeroed for this reader")
  end
end

TestHostPagemap = {}

function TestHostPagemap.test_root_reads_its_own_with_frames()
  check_pagemap({}, true)
end

function TestHostPagemap.test_an_unprivileged_reader_sees_no_frames()
  check_pagemap({ "setpriv", "--reuid=" .. NOBODY, "--regid=" .. NOBODY, "--clear-groups", "--" },
                false)
end

function TestHostPagemap.test_root_without_cap_sys_admin_sees_no_frames()
  check_pagemap({ "setpriv", "--bounding-set=-sys_admin", "--inh-caps=-sys_admin", "--" }, false)
end

function TestHostPagemap.test_another_users_pagemap_is_refused_at_open()
  local F = H()
  local pid = F.target.pid
  for _, base in ipairs { "/proc", F.mount.dir } do
    lu.assertEquals(probe.pread(("%s/%d/pagemap"):format(base, pid), 0, 8, { uid = NOBODY }),
                    "open:EACCES", base)
  end
  lu.assertEquals(probe.pread(F.mount:path(pid .. "/pagemap"), 0, 8),
                  probe.pread(("/proc/%d/pagemap"):format(pid), 0, 8))
end

-- clear_refs_write: the first 12 bytes (the count cut to them), stripped,
-- kstrtoint base 10, 1 to 5.  Every input is written to the kernel's file
-- and the mount's, by root and by a user who may not open it.
local CLEAR_REFS_INPUTS = { "1", "2", "3", "4", "5", "5\n", " 4 ", "0", "6", "-1", "+1", "01",
  "0x1", "x", "1 2", "1            ", "1           x", "4294967297", "\t3\n", "12345678901234" }

TestHostClearRefs = {}

function TestHostClearRefs.test_each_write_as_the_kernel_answers_it()
  local F = H()
  local pid = F.target.pid
  local args = { "write" }
  for _, s in ipairs(CLEAR_REFS_INPUTS) do
    for _, base in ipairs { "/proc", F.mount.dir } do
      args[#args + 1] = ("%s/%d/clear_refs"):format(base, pid)
      args[#args + 1] = s
    end
  end
  for _, who in ipairs { {}, { uid = NOBODY } } do
    local r = probe.run(args, who)
    lu.assertEquals(#r, 2 * #CLEAR_REFS_INPUTS)
    for i, s in ipairs(CLEAR_REFS_INPUTS) do
      lu.assertEquals(r[2 * i], r[2 * i - 1], ("%q as %s"):format(s, who.uid or "root"))
    end
    if not who.uid then
      lu.assertEquals(r[1], "OK 1")
      lu.assertEquals(r[2 * 16 - 1], "OK 12") -- 13 bytes: the count is cut to 12
      lu.assertEquals(r[2 * 8 - 1], "write:EINVAL")
      lu.assertEquals(r[2 * 18 - 1], "write:ERANGE")
    else
      lu.assertEquals(r[1], "open:EACCES")
    end
  end
  -- a write-only file: root opens it, each read fails
  lu.assertEquals(probe.read({ F.mount:path(pid .. "/clear_refs") })[1],
                  probe.read({ ("/proc/%d/clear_refs"):format(pid) })[1])
end

-- projid_m_show names the lower ids as the reader's namespace does: the
-- parent's for a reader inside the map's own namespace, through the
-- reader's own projid_map otherwise (unmapped: 4294967295).
TestHostProjidMap = {}

local function projid_reads(F, wrap)
  local kernel = ("/proc/%d/projid_map"):format(F.userns.pid)
  local mine = F.mount:path(F.userns.pid .. "/projid_map")
  local r = probe.run({ "pread", kernel, "0", "4096" }, { wrap = wrap })[1]
  local o = probe.run({ "pread", mine, "0", "4096" }, { wrap = wrap })[1]
  local function text(res)
    local hex = res:match("^OK %d+ (%x*)$")
    return hex and hex:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end) or res
  end
  return text(r), text(o)
end

function TestHostProjidMap.test_each_reader_as_the_kernel_names_the_lower_ids()
  local F = H()
  local readers = {
    top = { want = idmap_line(0, 1000, 10) .. idmap_line(50, 20, 3) },
    inside = { wrap = { "nsenter", "-t", tostring(F.userns.pid), "-U", "--preserve-credentials", "--" },
               want = idmap_line(0, 1000, 10) .. idmap_line(50, 20, 3) },
    fresh_namespace = { wrap = { "unshare", "-U", "-r", "--" },
                        want = idmap_line(0, 4294967295, 10) .. idmap_line(50, 4294967295, 3) },
    own_projid_map = { wrap = { "unshare", "-U", "-r", "--", "sh", "-c",
                                'echo "7 1000 5" > /proc/self/projid_map && exec "$@"', "sh" },
                       want = idmap_line(0, 7, 10) .. idmap_line(50, 4294967295, 3) },
  }
  for name, r in pairs(readers) do
    local k, o = projid_reads(F, r.wrap)
    lu.assertEquals(k, r.want, name .. ": the kernel")
    lu.assertEquals(o, k, name)
  end
  -- the kernel's writes for a writer: written once
  lu.assertEquals(probe.write(F.mount:path(F.userns.pid .. "/projid_map"), "0 0 1\n"), "write:EPERM")
end

------------------------------------------------------------------------------
-- World: bytes

TestWorldBytes = {}

local SMAPS = table.concat({
  "00400000-00403000 r-xp 00000000 08:01 1234                               /usr/bin/my prog",
  "Size:                 12 kB", "KernelPageSize:        4 kB", "MMUPageSize:           4 kB",
  "Rss:                  12 kB", "Pss:                  12 kB", "Pss_Dirty:             0 kB",
  "Shared_Clean:          0 kB", "Shared_Dirty:          0 kB", "Private_Clean:        12 kB",
  "Private_Dirty:         0 kB", "Referenced:           12 kB", "Anonymous:             0 kB",
  "KSM:                   0 kB", "LazyFree:              0 kB", "AnonHugePages:         0 kB",
  "ShmemPmdMapped:        0 kB", "FilePmdMapped:         0 kB", "Shared_Hugetlb:        0 kB",
  "Private_Hugetlb:       0 kB", "Swap:                  0 kB", "SwapPss:               0 kB",
  "Locked:                0 kB", "THPeligible:           0", "VmFlags: rd ex mr mw me ",
  "01000000-01021000 rw-p 00000000 00:00 0                                  [heap]",
  "Size:                132 kB", "KernelPageSize:        4 kB", "MMUPageSize:           4 kB",
  "Rss:                   8 kB", "Pss:                   8 kB", "Pss_Dirty:             8 kB",
  "Shared_Clean:          0 kB", "Shared_Dirty:          0 kB", "Private_Clean:         0 kB",
  "Private_Dirty:         8 kB", "Referenced:            8 kB", "Anonymous:             8 kB",
  "KSM:                   0 kB", "LazyFree:              0 kB", "AnonHugePages:         0 kB",
  "ShmemPmdMapped:        0 kB", "FilePmdMapped:         0 kB", "Shared_Hugetlb:        0 kB",
  "Private_Hugetlb:       0 kB", "Swap:                  0 kB", "SwapPss:               0 kB",
  "Locked:                0 kB", "THPeligible:           0", "VmFlags: rd wr mr mw me ac ",
  "",
}, "\n")

local NUMA = table.concat({
  "00400000 default file=/usr/bin/cat mapped=2 N0=2 kernelpagesize_kB=4",
  "5644763b3000 default file=/usr/bin/cat anon=1 dirty=1 active=0 N0=1 kernelpagesize_kB=4",
  "56448cdbd000 default heap anon=4 dirty=4 active=0 N0=4 kernelpagesize_kB=4",
  "7fc6f03a0000 default file=/usr/lib/locale/C.utf8/LC_CTYPE mapped=32 mapmax=15 N0=32 kernelpagesize_kB=4",
  "7fc6f05f0000 default",
  "7fc6f1000000 bind=static:0-1 anon=6 dirty=6 swapcache=1 writeback=2 N0=2 N1=4 kernelpagesize_kB=4",
  "7fc6f2000000 interleave:0-3 file=/tmp/a\\040b\\075c huge dirty=1 mapped=2 N3=2 kernelpagesize_kB=2048",
  "7ffd1c5e4000 default stack anon=3 dirty=3 N0=3 kernelpagesize_kB=4",
  -- every page dirty: mapped is not printed (pages = dirty)
  "7ffd1c600000 default file=/memfd:sealed\\040(deleted) dirty=10 mapmax=3 N0=10 kernelpagesize_kB=4",
  "",
}, "\n")

function TestWorldBytes.test_numa_maps_declared_as_the_kernels_text()
  local w = p.world { tasks = { { pid = 1, argv = { "/bin/cat" }, numa_maps = NUMA } } }
  lu.assertEquals(fmt(w, "numa_maps", 1), NUMA)
  lu.assertEquals(fmt(w, "numa_maps", 1, 1), NUMA)
end

function TestWorldBytes.test_numa_maps_made_from_the_regions()
  local w = p.world { tasks = { { pid = 1, argv = { "/bin/x" }, smaps = SMAPS },
                                { pid = 2, argv = { "/bin/y" }, numa_maps = "" } } }
  lu.assertEquals(fmt(w, "numa_maps", 1), table.concat({
    "00400000 default file=/usr/bin/my\\040prog mapped=3 N0=3 kernelpagesize_kB=4",
    "01000000 default heap anon=2 dirty=2 N0=2 kernelpagesize_kB=4",
    "" }, "\n"))
  lu.assertEquals(fmt(w, "numa_maps", 2), "")
end

function TestWorldBytes.test_numa_maps_the_kernel_would_not_print_is_refused()
  for _, bad in ipairs {
    "00400000 default mapped=2 N0=2\n",                          -- no kernelpagesize_kB
    "00400000 default anon=2 mapped=2 N0=2 kernelpagesize_kB=4\n", -- mapped = anon is not printed
    "00400000 default dirty=2 mapped=2 N0=2 kernelpagesize_kB=4\n", -- nor mapped = dirty
    "00400000 default N0=0 anon=1 kernelpagesize_kB=4\n",        -- out of order
    "0040000g default\n", "00400000  default\n", "00400000 default bogus=1\n",
    "00400000 default", "00400000 default active=3 anon=2 kernelpagesize_kB=4\n",
  } do
    local ok, err = pcall(p.world, { tasks = { { pid = 1, argv = { "/x" }, numa_maps = bad } } })
    lu.assertFalse(ok, bad)
    lu.assertStrContains(tostring(err), "numa_maps")
  end
end

function TestWorldBytes.test_projid_map()
  local w = p.world { tasks = {
    { pid = 1, argv = { "/sbin/init" } },
    { pid = 2, argv = { "/bin/c" }, ns = { user = 4026600000 }, projid_map = "" },
    { pid = 3, argv = { "/bin/d" }, ns = { user = 4026600001 },
      projid_map = idmap_line(0, 1000, 10) .. idmap_line(10, 5000, 1) },
  } }
  lu.assertEquals(fmt(w, "projid_map", 1), idmap_line(0, 0, 4294967295))
  lu.assertEquals(fmt(w, "projid_map", 2), "")
  lu.assertEquals(fmt(w, "projid_map", 3), idmap_line(0, 1000, 10) .. idmap_line(10, 5000, 1))
  local ok = pcall(p.world, { tasks = { { pid = 1, argv = { "/x" }, projid_map = "0 0 1\n" } } })
  lu.assertFalse(ok, "projid_map is the kernel's text")
end

------------------------------------------------------------------------------
-- World: mounted (pagemap's entries, clear_refs's and projid_map's writes)

local BASE = 0x10000000
local W = suite.once(function()
  local dir = fsx.mktemp_dir("proclua-pages-world")
  suite.defer("remove " .. dir, function() fsx.remove_tree(dir) end)
  assert(sh.ok("chmod 755 " .. sh.quote(dir)))
  local world = dir .. "/world.lua"
  fsx.write(world, ([[
local p = require "proclua"
return p.world { tasks = {
  { pid = 1, argv = { "/sbin/init" }, mem = { { addr = %d, bytes = "abc" }, { addr = %d, bytes = "wxyz" } } },
  { pid = 20, ppid = 1, argv = { "/bin/mine" }, uid = %d, gid = %d, threads = { { tid = 21 } },
    ns = { user = 4026600020 }, uid_map = "", gid_map = "", projid_map = "" },
  { pid = 30, ppid = 1, argv = { "/bin/gone" }, zombie = true },
  { pid = 40, ppid = 1, argv = { "/bin/big" }, rss_anon = 100, rss_file = 20, hiwater_rss = 500,
    threads = { { tid = 41 } } },
} }
]]):format(BASE, BASE + 3 * 4096 - 2, NOBODY, NOBODY))
  local m = mnt.start { args = { "--world", world }, options = "allow_other" }
  suite.defer("unmount the world", function() return m:stop() end)
  return m
end)

local PRESENT, ABSENT = "0000000000000080", "0000000000000000" -- little-endian bytes

TestWorldMounted = {}

function TestWorldMounted.test_modes_and_owners()
  local m = W()
  local r = probe.lstat { m:path("20/pagemap"), m:path("20/numa_maps"), m:path("20/clear_refs"),
                          m:path("20/projid_map"), m:path("20/task/21/pagemap"),
                          m:path("20/task/21/clear_refs"), m:path("20/task/21/projid_map") }
  lu.assertEquals(r, { "OK - 400 65534 65534", "OK - 444 65534 65534", "OK - 200 65534 65534",
                       "OK - 644 65534 65534", "OK - 400 65534 65534", "OK - 200 65534 65534",
                       "OK - 644 65534 65534" })
end

function TestWorldMounted.test_pagemap_entries()
  local m = W()
  local at = BASE // 4096 * 8
  -- pages 0 and 2 (its last two bytes) and 3 (its first two) hold bytes
  lu.assertEquals(probe.pread(m:path("1/pagemap"), at, 40),
                  "OK 40 " .. PRESENT .. ABSENT .. PRESENT .. PRESENT .. ABSENT)
  lu.assertEquals(probe.pread(m:path("1/pagemap"), at + 4, 8), "pread:EINVAL")
  lu.assertEquals(probe.pread(m:path("1/pagemap"), at, 12), "pread:EINVAL")
  local last = 0x7ffffffff000 // 4096 * 8
  -- the last page holds the argv (the top of the stack): one entry, then the end
  lu.assertEquals(probe.pread(m:path("1/pagemap"), last - 8, 24), "OK 8 " .. PRESENT)
  lu.assertEquals(probe.pread(m:path("1/pagemap"), last, 8), "OK 0 ")
  -- below the argv's page, the stack region holds nothing
  lu.assertEquals(probe.pread(m:path("20/pagemap"), (0x7ffffffff000 - 3 * 4096) // 4096 * 8, 16),
                  "OK 16 " .. ABSENT .. ABSENT)
  -- ptrace READ at open; no mm: ESRCH
  lu.assertEquals(probe.pread(m:path("1/pagemap"), at, 8, { uid = NOBODY }), "open:EACCES")
  lu.assertEquals(probe.pread(m:path("20/pagemap"), 0, 8, { uid = NOBODY }), "OK 8 " .. ABSENT)
  lu.assertEquals(probe.pread(m:path("30/pagemap"), 0, 8), "open:ESRCH")
end

function TestWorldMounted.test_clear_refs_writes()
  local m = W()
  local want = {
    ["1"] = "OK 1", ["5\n"] = "OK 2", [" 4 "] = "OK 3", ["01"] = "OK 2", ["+3"] = "OK 2",
    ["0"] = "write:EINVAL", ["6"] = "write:EINVAL", ["-1"] = "write:EINVAL",
    ["0x1"] = "write:EINVAL", ["x"] = "write:EINVAL", ["1 2"] = "write:EINVAL",
    ["1            "] = "OK 12", ["1           x"] = "OK 12", ["4294967297"] = "write:ERANGE",
  }
  for input, result in pairs(want) do
    lu.assertEquals(probe.write(m:path("1/clear_refs"), input), result, ("%q"):format(input))
  end
  lu.assertEquals(probe.write(m:path("20/task/21/clear_refs"), "2", { uid = NOBODY }), "OK 1")
  lu.assertEquals(probe.write(m:path("1/clear_refs"), "1", { uid = NOBODY }), "open:EACCES")
  -- a zombie has no mm: the write is taken, nothing happens
  lu.assertEquals(probe.write(m:path("30/clear_refs"), "1"), "OK 1")
  -- no read method
  lu.assertEquals(probe.read({ m:path("1/clear_refs") })[1], "read:EINVAL")
end

-- 5 resets the peak RSS of the thread group's mm to its RSS; 1 to 4
-- leave what a world shows as it was.
function TestWorldMounted.test_clear_refs_5_resets_the_peak_rss()
  local m = W()
  local function hwm(rel) return fsx.read(m:path(rel)):match("VmHWM:%s*(%d+) kB") end
  lu.assertEquals(hwm("40/status"), "2000")
  for _, t in ipairs { "1", "2", "3", "4", "6" } do probe.write(m:path("40/clear_refs"), t) end
  lu.assertEquals(hwm("40/status"), "2000")
  lu.assertEquals(probe.write(m:path("40/task/41/clear_refs"), "5"), "OK 1")
  for _, rel in ipairs { "40/status", "40/task/40/status", "40/task/41/status" } do
    lu.assertEquals(hwm(rel), "480", rel)
  end
end

function TestWorldMounted.test_projid_map_writes()
  local m = W()
  -- the initial namespace's map is fixed
  lu.assertEquals(probe.write(m:path("1/projid_map"), "0 0 1\n"), "write:EPERM")
  -- no capability asked: the owner writes any valid map, once
  lu.assertEquals(probe.write(m:path("20/projid_map"), "0 0 1 x\n", { uid = NOBODY }), "write:EINVAL")
  lu.assertEquals(probe.write(m:path("20/projid_map"), "0 7000 5\n5 100 1\n", { uid = NOBODY }), "OK 17")
  lu.assertEquals(fsx.read(m:path("20/projid_map")), idmap_line(0, 7000, 5) .. idmap_line(5, 100, 1))
  lu.assertEquals(probe.write(m:path("20/projid_map"), "0 0 1\n"), "write:EPERM")
  -- the namespace's: the thread shows it too
  lu.assertEquals(fsx.read(m:path("20/task/21/projid_map")),
                  idmap_line(0, 7000, 5) .. idmap_line(5, 100, 1))
  -- not the owner: the mode refuses the open
  lu.assertEquals(probe.write(m:path("1/projid_map"), "0 0 1\n", { uid = NOBODY }), "open:EACCES")
end

suite.run()
