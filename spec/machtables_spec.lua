-- The machine tables of the top level: sysvipc/{msg,sem,shm}, slabinfo,
-- buddyinfo, zoneinfo, pagetypeinfo, devices, misc, consoles, execdomains
-- and crypto; iomem, ioports and kallsyms.
--
--   * Host: each file's bytes equal the kernel's (the numbers of slabinfo,
--     buddyinfo, zoneinfo and pagetypeinfo move: ours lie between two
--     reads of the kernel's, as machine_spec compares vmstat).  sysvipc/
--     lists the objects of the reader's IPC namespace, their pids as its
--     pid namespace numbers them and their ids as its user namespace names
--     them: a reader in namespaces of its own (unshare -i, -p, -U) reads
--     what the kernel shows it.  slabinfo and pagetypeinfo are 0400: a
--     reader that is not root is refused, as by the kernel.  iomem,
--     ioports and kallsyms show addresses only to the readers the kernel
--     shows them to (CAP_SYS_ADMIN, CAP_SYSLOG in the top namespace, with
--     kptr_restrict and perf_event_paranoid): root, nobody, root without
--     either capability and root of a user namespace of its own each read
--     what the kernel gives them.
--   * Tools over the host (proclua-run): ipcs -a and lsipc over a shared
--     memory segment, a message queue and a semaphore set the spec makes
--     say what they say on the kernel's /proc; slabtop -o and vmstat -m
--     show the kernel's caches (their numbers move: compared without them).
--   * A world: its declared IPC objects, as records or as the kernel's
--     text, give exactly the declared lines (their ids named as the
--     reader's user namespace names them) and the exact output of ipcs
--     and lsipc; declared caches slabtop's and vmstat -m's;
--     the other tables' defaults; the host's tables given as text are
--     served back byte for byte; text the kernel could not print is refused.
local lu = require "luaunit"
local compare = require "compare"
local fsx = require "fsx"
local mnt = require "mnt"
local prun = require "prun"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local F = suite.once(function()
  local work = fsx.mktemp_dir("proclua-machtables")
  suite.defer("remove " .. work, function() assert(fsx.remove_tree(work)) end)
  return { work = work, rundir = prun.rundir() }
end)

-- allow_other: readers in user namespaces of their own reach the mount
local host_mount = suite.once(function()
  local m = mnt.start { options = "allow_other" }
  suite.defer("unmount the host mount", function() return m:stop() end)
  return m
end)

-- A shared memory segment, a message queue and a semaphore set of the
-- host's IPC namespace, removed at the end.
local ipc_objects = suite.once(function()
  local ids = {}
  for _, kind in ipairs { { "-M", "4096", "m" }, { "-Q", nil, "q" }, { "-S", "3", "s" } } do
    local r = sh.run({ "ipcmk", kind[1], kind[2] })
    lu.assertEquals(r.code, 0, r.err)
    local id = assert(r.out:match("(%d+)%s*$"), r.out)
    suite.defer("remove ipc object " .. id, function()
      return sh.run({ "ipcrm", "-" .. kind[3], id }).code == 0
    end)
    ids[kind[3]] = id
  end
  return ids
end)

------------------------------------------------------------------------------
-- Host: bytes against the kernel's.

TestHostTables = {}

local function assert_as_kernel(rel, counters)
  local ok, why = compare.stable("/proc/" .. rel, host_mount():path(rel),
                                 { tries = counters and 30 or 5, counters = counters })
  lu.assertTrue(ok, rel .. ": " .. tostring(why))
end

function TestHostTables.test_static_tables_are_the_kernels()
  for _, rel in ipairs { "devices", "misc", "consoles", "execdomains", "crypto" } do
    assert_as_kernel(rel)
  end
end

function TestHostTables.test_moving_tables_are_the_kernels_between_two_reads()
  assert_as_kernel("slabinfo", true)
  assert_as_kernel("buddyinfo", true)
  assert_as_kernel("zoneinfo", true)
  assert_as_kernel("pagetypeinfo", true)
end

function TestHostTables.test_modes_are_the_kernels()
  for _, rel in ipairs { "sysvipc", "sysvipc/shm", "sysvipc/msg", "sysvipc/sem", "slabinfo",
                         "buddyinfo", "zoneinfo", "pagetypeinfo", "devices", "misc", "consoles", "execdomains", "crypto",
                         "iomem", "ioports", "kallsyms" } do
    lu.assertEquals(sh.run({ "stat", "-c", "%a %F %U", host_mount():path(rel) }).out,
                    sh.run({ "stat", "-c", "%a %F %U", "/proc/" .. rel }).out, rel .. ": mode")
  end
  lu.assertEquals(sh.run({ "ls", "-f", host_mount():path("sysvipc") }).out,
                  sh.run({ "ls", "-f", "/proc/sysvipc" }).out)
end

-- slabinfo and pagetypeinfo are root's (0400): another user is refused by both.
function TestHostTables.test_root_only_tables_refuse_who_the_kernel_refuses()
  local function as_nobody(path)
    return sh.run({ "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "cat", path })
  end
  for _, rel in ipairs { "slabinfo", "pagetypeinfo" } do
    local ours, theirs = as_nobody(host_mount():path(rel)), as_nobody("/proc/" .. rel)
    lu.assertNotEquals(theirs.code, 0)
    lu.assertEquals(ours.code, theirs.code)
    lu.assertStrContains(ours.err, "Permission denied")
    lu.assertStrContains(theirs.err, "Permission denied")
  end
  -- buddyinfo is everyone's
  lu.assertEquals(as_nobody(host_mount():path("buddyinfo")).code, 0)
end

function TestHostTables.test_sysvipc_is_the_kernels()
  local ids = ipc_objects()
  for _, rel in ipairs { "sysvipc/shm", "sysvipc/msg", "sysvipc/sem" } do assert_as_kernel(rel) end
  lu.assertStrContains(fsx.read(host_mount():path("sysvipc/shm")), " " .. ids.m .. " ")
end

-- A reader in namespaces of its own reads what the kernel shows it there.
-- The script prints our file, a separator, the kernel's: read in the same
-- process's namespaces one after the other.
local function both_in(unshare, script)
  local argv = { "unshare" }
  for _, w in ipairs(unshare) do argv[#argv + 1] = w end
  for _, w in ipairs { "sh", "-c", script, "-", host_mount():path("sysvipc") } do argv[#argv + 1] = w end
  local r = sh.run(argv)
  lu.assertEquals(r.code, 0, r.err)
  local ours, theirs = r.out:match("^(.*)%-%-%-\n(.*)$")
  lu.assertNotNil(ours, r.out)
  return ours, theirs
end

function TestHostTables.test_sysvipc_in_a_new_ipc_namespace()
  ipc_objects()
  local ours, theirs = both_in({ "-i" }, 'ipcmk -M 8192 >/dev/null && ipcmk -Q >/dev/null && ' ..
    'for f in shm msg sem; do cat "$1/$f"; done; echo ---; for f in shm msg sem; do cat /proc/sysvipc/$f; done')
  lu.assertEquals(ours, theirs)
  -- its own objects alone: a segment of 8192 bytes and a queue
  local lines = fsx.lines(ours)
  lu.assertEquals(#lines, 5, ours)
  lu.assertStrContains(lines[2], " 8192 ")
end

local function ids_m() return ipc_objects().m end

function TestHostTables.test_sysvipc_pids_in_a_new_pid_namespace()
  ipc_objects()
  local ours, theirs = both_in({ "-p", "-f" },
    'cat "$1/shm" "$1/msg"; echo ---; cat /proc/sysvipc/shm /proc/sysvipc/msg')
  lu.assertEquals(ours, theirs)
  -- the spec's segment: its creator is outside the namespace, pid 0
  local seg = ours:match("\n[^\n]* " .. ids_m() .. " [^\n]*")
  lu.assertNotNil(seg, ours)
  lu.assertEquals(seg:match("^%s*%S+%s+%S+%s+%S+%s+%S+%s+(%d+)"), "0", seg)
end

function TestHostTables.test_sysvipc_ids_in_a_new_user_namespace()
  ipc_objects()
  -- unmapped: every id is the overflow id
  local ours, theirs = both_in({ "-U" }, 'cat "$1/shm" "$1/sem"; echo ---; cat /proc/sysvipc/shm /proc/sysvipc/sem')
  lu.assertEquals(ours, theirs)
  lu.assertStrContains(ours, " 65534 ")
end

-- iomem and ioports show their addresses to an opener with CAP_SYS_ADMIN
-- in the top namespace, kallsyms its to one with CAP_SYSLOG there (as
-- kptr_restrict and perf_event_paranoid allow): every other reader reads
-- zeros, from the kernel and from proclua alike.
local ADDRESS_READERS = {
  root = {},
  nobody = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups" },
  root_without_sys_admin = { "setpriv", "--bounding-set=-sys_admin", "--" },
  root_without_syslog = { "setpriv", "--bounding-set=-syslog", "--" },
  -- every capability, in a namespace of its own: none in the top one
  root_of_a_user_namespace = { "unshare", "-U", "-r" },
}

local function read_as(reader, path)
  local argv = {}
  for _, w in ipairs(ADDRESS_READERS[reader]) do argv[#argv + 1] = w end
  argv[#argv + 1] = "cat"
  argv[#argv + 1] = path
  local r = sh.run(argv)
  return r.code == 0 and r.out or ("<" .. r.code .. " " .. r.err .. ">")
end

function TestHostTables.test_addresses_are_shown_as_the_kernel_shows_them()
  for _, rel in ipairs { "iomem", "ioports", "kallsyms" } do
    for reader in pairs(ADDRESS_READERS) do
      local ok, why = compare.stable("/proc/" .. rel, host_mount():path(rel),
        { tries = 5, read = function(path) return read_as(reader, path) end })
      lu.assertTrue(ok, rel .. " read by " .. reader .. ": " .. tostring(why))
    end
  end
  -- the daemon (root) reads the addresses; nobody is shown zeros
  lu.assertStrContains(read_as("nobody", host_mount():path("iomem")), "00000000-00000000 : ")
  lu.assertNotEquals(read_as("root", host_mount():path("iomem")):match("^[^\n]*\n[^\n]*"),
                     read_as("nobody", host_mount():path("iomem")):match("^[^\n]*\n[^\n]*"))
  lu.assertStrContains(read_as("root_without_sys_admin", host_mount():path("ioports")), "0000-0000 : ")
end

------------------------------------------------------------------------------
-- Tools over the host, in a private mount namespace.

TestHostTools = {}

local native = prun.native

-- The same output through the mount as on the kernel's /proc; another
-- process may make or remove an IPC object in between, so a few tries.
local function same_as_native(argv, normalise)
  normalise = normalise or function(s) return s end
  local want, got
  for _ = 1, 5 do
    want = native(argv)
    lu.assertEquals(want.code, 0, want.err)
    got = prun.tool(F().rundir, {}, argv)
    lu.assertEquals(got.code, 0, got.err)
    if normalise(got.out) == normalise(want.out) then return end
  end
  prun.assert_text(normalise(got.out), normalise(want.out), table.concat(argv, " ") .. " (native vs proclua)")
end

function TestHostTools.test_ipcs_a()
  local ids = ipc_objects()
  same_as_native { "ipcs", "-a" }
  same_as_native { "ipcs", "-m", "-i", ids.m }
end

function TestHostTools.test_lsipc()
  ipc_objects()
  same_as_native { "lsipc" }
  same_as_native { "lsipc", "-m" }
  same_as_native { "lsipc", "-q" }
  same_as_native { "lsipc", "-s" }
end

-- numbers move: each run of digits and spaces is one mark
local function shape(s)
  return (s:gsub("[%d%.]+[KMG]?", "#"):gsub(" +", " "))
end

function TestHostTools.test_slabtop_and_vmstat_m()
  same_as_native({ "slabtop", "-o", "-s", "n" }, shape)
  same_as_native({ "vmstat", "-m" }, shape)
end

------------------------------------------------------------------------------
-- A world.

TestWorldTables = {}

local function world_file(machine)
  local path = F().work .. "/world.lua"
  fsx.write(path, 'local p = require "proclua"\nreturn p.world { tasks = { { pid = 1 } }, machine = '
    .. machine .. " }\n")
  return path
end

-- A world's files as world:format makes them, in a child interpreter.
local function formats(machine, names)
  local script = F().work .. "/fmt.lua"
  fsx.write(script, ([[
local ok, w = pcall(dofile, %q)
if not ok then io.write("!! ", tostring(w), "\n") return end
for _, n in ipairs { %s } do
  local out, err = w:format(n)
  io.write("== ", n, "\n", out or ("<" .. tostring(err) .. ">\n"))
end
]]):format(world_file(machine), '"' .. table.concat(names, '", "') .. '"'))
  local r = sh.run(testenv.lua(script), { timeout = 60 })
  lu.assertEquals(r.code, 0, r.err)
  local refused = r.out:match("^!! (.*)\n$")
  if refused then return nil, refused end
  local out = fsx.sections(r.out)
  return out
end

local SHM_HEAD = "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n"
local MSG_HEAD = "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n"
local SEM_HEAD = "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n"

local IPC_WORLD = [[{ sysvipc = {
  shm = { { key = 0x1234, id = 5, mode = "0600", size = 65536, cpid = 1, lpid = 1, nattch = 1,
            uid = 33, gid = 33, atime = 1700000100, ctime = 1700000000, rss = 8192 },
          { key = 0, id = 32769, mode = "1600", size = 4096, cpid = 1, uid = 0, gid = 0 } },
  msg = { { key = -5, id = 0, cbytes = 10, qnum = 2, lspid = 1, stime = 1700000200 } },
  sem = { { key = 7, id = 3, mode = "0666", nsems = 4, uid = 65534, gid = 65534, ctime = 1700000000 } },
} }]]

function TestWorldTables.test_sysvipc_records_give_the_kernels_lines()
  local f = formats(IPC_WORLD, { "sysvipc_shm", "sysvipc_msg", "sysvipc_sem" })
  lu.assertEquals(f.sysvipc_shm, SHM_HEAD ..
    "      4660          5   600                 65536     1     1      1    33    33    33    33 1700000100          0 1700000000                  8192                     0\n" ..
    "         0      32769  1600                  4096     1     0      0     0     0     0     0          0          0          0                     0                     0\n")
  lu.assertEquals(f.sysvipc_msg, MSG_HEAD ..
    "        -5          0   644          10          2     1     0     0     0     0     0 1700000200          0          0\n")
  lu.assertEquals(f.sysvipc_sem, SEM_HEAD ..
    "         7          3   666          4 65534 65534 65534 65534          0 1700000000\n")
end

-- A reader in a user namespace of its own reads the objects' ids as its
-- namespace names them: one with no map (unshare -U; the world's /proc
-- takes no map written through it) names none, so each is the overflow id.
function TestWorldTables.test_sysvipc_ids_as_a_user_namespace_names_them()
  local r = prun.run(F().rundir, { "-o", "allow_other", "--world", world_file(IPC_WORLD) },
    { "sh", "-c", "unshare -U cat /proc/sysvipc/shm /proc/sysvipc/sem" })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.out, SHM_HEAD ..
    "      4660          5   600                 65536     1     1      1 65534 65534 65534 65534 1700000100          0 1700000000                  8192                     0\n" ..
    "         0      32769  1600                  4096     1     0      0 65534 65534 65534 65534          0          0          0                     0                     0\n" ..
    SEM_HEAD .. "         7          3   666          4 65534 65534 65534 65534          0 1700000000\n")
end

function TestWorldTables.test_sysvipc_as_the_kernels_text()
  local line = "       123          9   640                   100     7     8      0     0     0     0     0          0          0         50                     0                     0\n"
  local f = formats(("{ sysvipc = { shm = %q } }"):format(SHM_HEAD .. line), { "sysvipc_shm", "sysvipc_msg" })
  lu.assertEquals(f.sysvipc_shm, SHM_HEAD .. line)
  lu.assertEquals(f.sysvipc_msg, MSG_HEAD)
end

function TestWorldTables.test_defaults()
  local f = formats("{}", { "sysvipc_shm", "sysvipc_msg", "sysvipc_sem", "slabinfo", "execdomains",
                            "consoles", "crypto" })
  lu.assertEquals(f.sysvipc_shm, SHM_HEAD)
  lu.assertEquals(f.sysvipc_msg, MSG_HEAD)
  lu.assertEquals(f.sysvipc_sem, SEM_HEAD)
  lu.assertEquals(f.slabinfo, "slabinfo - version: 2.1\n# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n")
  lu.assertEquals(f.execdomains, "0-0\tLinux           \t[kernel]\n")
  lu.assertEquals(f.consoles, "ttyS0                -W- (EC  p a)    4:64\n")
  lu.assertEquals(f.crypto, "")
end

function TestWorldTables.test_the_hosts_tables_as_text()
  local names = { "slabinfo", "buddyinfo", "zoneinfo", "pagetypeinfo", "iomem", "ioports", "devices", "misc", "consoles", "execdomains",
                  "crypto" }
  local parts = {}
  local want = {}
  for _, n in ipairs(names) do
    want[n] = fsx.read("/proc/" .. n)
    parts[#parts + 1] = ("%s = %q"):format(n, want[n])
  end
  local f = formats("{ " .. table.concat(parts, ", ") .. " }", names)
  for _, n in ipairs(names) do lu.assertEquals(f[n], want[n], n) end
end

function TestWorldTables.test_bad_values_are_refused()
  local function refused(machine, msg)
    local f, err = formats(machine, { "sysvipc_shm" })
    lu.assertNil(f, machine)
    lu.assertStrContains(err, msg)
  end
  refused('{ sysvipc = { shm = { { id = -1 } } } }', "sysvipc.shm[1].id must be an integer from 0 to 2147483647")
  refused('{ sysvipc = { shm = { { mode = "0999" } } } }', "sysvipc.shm[1].mode must be octal digits")
  refused('{ sysvipc = { shm = { { nsems = 3 } } } }', "sysvipc.shm[1] has no field 'nsems'")
  refused('{ sysvipc = { sem = { { nsems = 40000 } } } }', "sysvipc.sem[1].nsems must be an integer from 0 to 32000")
  refused('{ sysvipc = { shmem = {} } }', "sysvipc has no 'shmem'")
  refused('{ sysvipc = { shm = "key shmid\\n" } }', "sysvipc.shm is not text the kernel would print")
  refused('{ slabinfo = "slabinfo - version: 2.1\\n" }', "slabinfo is not text the kernel would print")
  refused('{ devices = "Character devices:\\n  1 mem\\n" }', "devices is not text the kernel would print")
  refused('{ consoles = "tty0 -W- (EC p a)\\n" }', "consoles is not text the kernel would print")
  refused('{ crypto = "name : x\\n" }', "crypto is not text the kernel would print")
  refused('{ zoneinfo = "Node 0, zone DMA\\n" }', "zoneinfo is not text the kernel would print")
  refused('{ pagetypeinfo = "Page block order: 9\\n" }', "pagetypeinfo is not text the kernel would print")
  refused('{ iomem = "  0000-00ff : child without a parent\\n" }', "iomem is not text the kernel would print")
  refused('{ kallsyms = "ffffffff81000000 T\\n" }', "kallsyms is not text the kernel would print")
  refused('{ kptr_restrict = 3 }', "world machine: kptr_restrict must be 0, 1 or 2")
end

-- ipcs over the world: exactly its objects.
function TestWorldTables.test_ipcs_a_over_a_world()
  local r = prun.tool(F().rundir, { "--world", world_file(IPC_WORLD) }, { "ipcs", "-a" })
  lu.assertEquals(r.code, 0, r.err)
  prun.assert_text(r.out, table.concat({
    "",
    "------ Message Queues --------",
    "key        msqid      owner      perms      used-bytes   messages    ",
    "0xfffffffb 0          root       644        10           2           ",
    "",
    "------ Shared Memory Segments --------",
    "key        shmid      owner      perms      bytes      nattch     status      ",
    "0x00001234 5          www-data   600        65536      1                       ",
    "0x00000000 32769      root       600        4096       0          dest         ",
    "",
    "------ Semaphore Arrays --------",
    "key        semid      owner      perms      nsems     ",
    "0x00000007 3          nobody     666        4         ",
    "",
    "" }, "\n"), "ipcs -a")
end

-- lsipc and ipcs' other views over the same world: what it declares.
function TestWorldTables.test_lsipc_and_ipcs_views_over_a_world()
  local r = prun.tool(F().rundir, { "--world", world_file(IPC_WORLD) },
    { "sh", "-c", "lsipc -m; lsipc -q; lsipc -s; ipcs -m -p; ipcs -m -t" })
  lu.assertEquals(r.code, 0, r.err)
  prun.assert_text(r.out, table.concat({
    "KEY        ID        PERMS    OWNER SIZE NATTCH STATUS      CTIME CPID LPID COMMAND",
    "0x00001234 5     rw------- www-data  64K      1        2023-Nov14    1    1 ",
    "0x00000000 32769 rw-------     root   4K      0 dest                 1    0 ",
    "KEY        ID     PERMS OWNER USEDBYTES MSGS LSPID LRPID",
    "0xfffffffb 0  rw-r--r--  root       10B 2        1     0",
    "KEY        ID     PERMS  OWNER NSEMS",
    "0x00000007 3  rw-rw-rw- nobody     4",
    "",
    "------ Shared Memory Creator/Last-op PIDs --------",
    "shmid      owner      cpid       lpid      ",
    "5          www-data   1          1         ",
    "32769      root       1          0         ",
    "",
    "",
    "------ Shared Memory Attach/Detach/Change Times --------",
    "shmid      owner      attached             detached             changed             ",
    "5          www-data   Nov 14 22:15:00      Not set              Nov 14 22:13:20     ",
    "32769      root       Not set              Not set              Not set             ",
    "",
    "" }, "\n"), "lsipc and ipcs")
end

-- slabtop and vmstat -m over declared caches: every number follows from
-- them (dentry: 6000 one-page slabs, 24000K; the active size
-- 120000 x 192 + 30000 x 600 + 6400 x 64 bytes = 40478.12K).
function TestWorldTables.test_slabtop_and_vmstat_m_over_a_world()
  local function cache(name, active, num, size, per, pages, slabs)
    return ("%-17s %6d %6d %6d %4d %4d : tunables %4d %4d %4d : slabdata %6d %6d %6d\n"):format(
      name, active, num, size, per, pages, 0, 0, 0, slabs, slabs, 0)
  end
  local slabinfo = "slabinfo - version: 2.1\n# name            <active_objs> <num_objs> <objsize> <objperslab>"
    .. " <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs>"
    .. " <num_slabs> <sharedavail>\n" .. cache("dentry", 120000, 126000, 192, 21, 1, 6000)
    .. cache("inode_cache", 30000, 30600, 600, 51, 8, 600) .. cache("kmalloc-64", 6400, 6400, 64, 64, 1, 100)
  local r = prun.tool(F().rundir, { "--world", world_file(("{ slabinfo = %q }"):format(slabinfo)) },
    { "sh", "-c", "slabtop -o -s n; echo ===; vmstat -m" })
  lu.assertEquals(r.code, 0, r.err)
  prun.assert_text(r.out, table.concat({
    " Active / Total Objects (% used)    : 156400 / 163000 (96.0%)",
    " Active / Total Slabs (% used)      : 6700 / 6700 (100.0%)",
    " Active / Total Caches (% used)     : 3 / 3 (100.0%)",
    " Active / Total Size (% used)       : 40478.12K / 41954.69K (96.5%)",
    " Minimum / Average / Maximum Object : 0.06K / 0.26K / 0.59K",
    "",
    "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME                   ",
    "126000 120000  95%    0.19K   6000       21     24000K dentry                 ",
    " 30600  30000  98%    0.59K    600       51     19200K inode_cache            ",
    "  6400   6400 100%    0.06K    100       64       400K kmalloc-64             ",
    "===",
    "Cache                       Num  Total   Size  Pages",
    "dentry                   120000 126000    192     21",
    "inode_cache               30000  30600    600     51",
    "kmalloc-64                 6400   6400     64     64",
    "" }, "\n"), "slabtop and vmstat -m")
end

local RESOURCES = [[{ kptr_restrict = 1,
  iomem = "00000000-00000fff : Reserved\n00100000-bfffffff : System RAM\n  01000000-02259aff : Kernel code\n",
  ioports = "0000-0cf7 : PCI Bus 0000:00\n  0000-001f : dma1\n",
  kallsyms = "ffffffff81000000 T _stext\nffffffffc0201000 t helper\t[mod]\n" }]]

-- A world's addresses: the declared ones for a permitted reader, zeros for
-- any other (kallsyms with kptr_restrict 1: CAP_SYSLOG decides).
function TestWorldTables.test_addresses_for_a_permitted_reader_and_zeros_for_others()
  local script = F().work .. "/addrs.lua"
  fsx.write(script, ([[
local w = dofile(%q)
for _, n in ipairs { "iomem", "ioports", "kallsyms" } do
  io.write("== ", n, "\n", w:format(n), "-- ", n, "\n", w:format(n, nil, nil, false))
end
]]):format(world_file(RESOURCES)))
  local r = sh.run(testenv.lua(script), { timeout = 60 })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.out, table.concat({
    "== iomem",
    "00000000-00000fff : Reserved", "00100000-bfffffff : System RAM", "  01000000-02259aff : Kernel code",
    "-- iomem",
    "00000000-00000000 : Reserved", "00000000-00000000 : System RAM", "  00000000-00000000 : Kernel code",
    "== ioports", "0000-0cf7 : PCI Bus 0000:00", "  0000-001f : dma1",
    "-- ioports", "0000-0000 : PCI Bus 0000:00", "  0000-0000 : dma1",
    "== kallsyms", "ffffffff81000000 T _stext", "ffffffffc0201000 t helper\t[mod]",
    "-- kallsyms", "0000000000000000 T _stext", "0000000000000000 t helper\t[mod]", "" }, "\n"))
end

-- Through the mount, the decision is the reader's own.
function TestWorldTables.test_addresses_through_the_mount_per_reader()
  local r = prun.run(F().rundir, { "-o", "allow_other", "--world", world_file(RESOURCES) },
    { "sh", "-c", "cat /proc/ioports; setpriv --reuid=65534 --regid=65534 --clear-groups cat /proc/ioports /proc/kallsyms; " ..
      "setpriv --bounding-set=-syslog -- cat /proc/kallsyms; setpriv --bounding-set=-sys_admin -- cat /proc/kallsyms" })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.out, table.concat({
    "0000-0cf7 : PCI Bus 0000:00", "  0000-001f : dma1",
    "0000-0000 : PCI Bus 0000:00", "  0000-0000 : dma1",
    "0000000000000000 T _stext", "0000000000000000 t helper\t[mod]",
    "0000000000000000 T _stext", "0000000000000000 t helper\t[mod]",
    "ffffffff81000000 T _stext", "ffffffffc0201000 t helper\t[mod]", "" }, "\n"))
end

-- kptr_restrict 0: with perf_event_paranoid at most 1 everyone sees the
-- addresses; a write to the world's setting decides at once.
function TestWorldTables.test_kallsyms_follows_a_write_to_perf_event_paranoid()
  local world = world_file([[{ kallsyms = "ffffffff81000000 T _stext\n" }]])
  local r = prun.run(F().rundir, { "-o", "allow_other", "--world", world },
    { "sh", "-c", "nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups \"$@\"; }; " ..
      "cat /proc/sys/kernel/perf_event_paranoid; nobody cat /proc/kallsyms; " ..
      "echo 1 > /proc/sys/kernel/perf_event_paranoid; nobody cat /proc/kallsyms" })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.out, "2\n0000000000000000 T _stext\nffffffff81000000 T _stext\n")
end

suite.run()
