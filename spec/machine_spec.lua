-- The machine-wide files of the top level beyond uptime, meminfo and stat:
-- vmstat, swaps, partitions, diskstats, interrupts, softirqs, cgroups,
-- cmdline, pressure/, locks, tty/drivers and the sys/ settings of the
-- stock layout.
--
--   * Host: each file's bytes equal the kernel's.  Counters move between
--     two reads (vmstat, interrupts, softirqs, diskstats, pressure,
--     fs/file-nr), so the kernel is read just before and just after ours
--     and ours must equal one of the two or lie between them (its text
--     the same, each number between the two reads' numbers), a failing
--     comparison repeated: a formatting difference fails every time, a
--     race does not.  kernel/random/uuid is a new UUID each read, on both.
--     sys/ holds every setting the host has, each with its mode and bytes;
--     a layout hides and replaces settings by name.
--   * Tools over the host, in a private mount namespace (proclua-run):
--     vmstat, sysctl (and sysctl -a: the same settings, order and values),
--     cat /proc/swaps, psutil's swap_memory, lslocks (over
--     a process holding flock, POSIX, OFD locks and one blocked on another)
--     say what they say on the kernel's /proc.
--   * A world: the defaults of a small idle machine, exactly, consistent
--     with its meminfo, stat and disks; the keys that give each file; and
--     vmstat, free -w, sysctl and psutil over it; lslocks over declared
--     locks, ps naming ttys through tty/drivers (with none: "?").
local lu = require "luaunit"
local compare = require "compare"
local fsx = require "fsx"
local mnt = require "mnt"
local procs = require "procs"
local prun = require "prun"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"
local toolworld = require "toolworld"

local PYTHON = "/usr/bin/python3"

local F = suite.once(function()
  local work = fsx.mktemp_dir("proclua-machine")
  suite.defer("remove " .. work, function() assert(fsx.remove_tree(work)) end)
  return { work = work, rundir = prun.rundir(), world = toolworld.write(work .. "/world.lua") }
end)

local host_mount = suite.once(function()
  local m = mnt.start {}
  suite.defer("unmount the host mount", function() return m:stop() end)
  return m
end)

-- Every file below the layout's root, by walking the mount.
local function files_under(root, rel, out)
  out = out or {}
  local h = assert(io.popen("ls -A " .. sh.quote(root .. (rel ~= "" and "/" .. rel or ""))))
  for name in h:lines() do
    local r = rel ~= "" and (rel .. "/" .. name) or name
    local kind = sh.run({ "stat", "-c", "%F", root .. "/" .. r }).out
    if kind:match("^directory") then files_under(root, r, out) else out[#out + 1] = r end
  end
  h:close()
  return out
end

------------------------------------------------------------------------------
-- Host: bytes against the kernel's.

TestHostMachine = {}

local STABLE = { "swaps", "partitions", "cgroups", "cmdline" }
local MOVING = { "vmstat", "interrupts", "softirqs", "diskstats", "pressure/cpu", "pressure/memory",
                 "pressure/io" }

local function assert_as_kernel(rel, tries)
  local ok, why = compare.stable("/proc/" .. rel, host_mount():path(rel), { tries = tries })
  lu.assertTrue(ok, rel .. ": " .. tostring(why))
end

-- Counters: each try reads the kernel, ours, the kernel again.
local function assert_counters_as_kernel(rel)
  local ok, why = compare.stable("/proc/" .. rel, host_mount():path(rel), { tries = 20, counters = true })
  lu.assertTrue(ok, rel .. ": " .. tostring(why))
end

function TestHostMachine.test_files_that_do_not_move_are_the_kernels()
  for _, rel in ipairs(STABLE) do assert_as_kernel(rel, 3) end
end

function TestHostMachine.test_counters_are_the_kernels_between_two_reads()
  for _, rel in ipairs(MOVING) do assert_counters_as_kernel(rel) end
end

-- Every setting of the stock layout's sys/: its bytes (uuid aside) and its mode.
function TestHostMachine.test_sys_settings_are_the_kernels()
  local files = files_under(host_mount():path("sys"), "")
  lu.assertTrue(#files >= 20, "sys/ lists " .. #files .. " settings")
  for _, rel in ipairs(files) do
    local path = "sys/" .. rel
    lu.assertEquals(sh.run({ "stat", "-c", "%a %F", host_mount():path(path) }).out,
                    sh.run({ "stat", "-c", "%a %F", "/proc/" .. path }).out, path .. ": mode")
    if rel ~= "kernel/random/uuid" then assert_counters_as_kernel(path) end
  end
end

-- p.sysctl's hide and files: a hidden name is gone with what lies under
-- it; a file of the layout's stands in place of the host's, or beside
-- them; the rest is the kernel's.
function TestHostMachine.test_a_layout_hides_and_replaces_settings()
  local layout = F().work .. "/sysctl-edit.lua"
  fsx.write(layout, [[
local p = require "proclua"
return p.layout { root = { p.sysctl("sys", "0555", {
    hide = { "net", "kernel.core_pattern", "vm.swappiness" },
    files = { ["kernel.hostname"] = p.stub("x", "0444", "sandbox\n"),
              ["kernel.ours.answer"] = p.stub("x", "0444", "42\n") } }) },
  task = {} }
]])
  local m = mnt.start { layout = layout }
  local ok, err = pcall(function()
    lu.assertStrContains(fsx.outcome(m:path("sys/net")), "ENOENT")
    lu.assertStrContains(fsx.outcome(m:path("sys/kernel/core_pattern")), "ENOENT")
    lu.assertStrContains(fsx.outcome(m:path("sys/vm/swappiness")), "ENOENT")
    lu.assertEquals(fsx.read(m:path("sys/kernel/hostname")), "sandbox\n")
    lu.assertEquals(fsx.read(m:path("sys/kernel/ours/answer")), "42\n")
    lu.assertEquals(fsx.read(m:path("sys/vm/overcommit_memory")), fsx.read("/proc/sys/vm/overcommit_memory"))
    local ls = sh.run({ "ls", m:path("sys") }).out
    lu.assertEquals(ls, (sh.run({ "ls", "/proc/sys" }).out:gsub("net\n", "")))
    local kernel = sh.run({ "ls", m:path("sys/kernel") }).out
    lu.assertStrContains(kernel, "\nostype\nours\noverflowgid\n")
  end)
  m:stop()
  if not ok then error(err, 0) end
end

-- A setting kept per IPC namespace is read and written in the caller's,
-- as the kernel finds it: the host's stays as it was.
function TestHostMachine.test_ipc_settings_are_the_callers_namespace()
  local before = fsx.read("/proc/sys/kernel/msgmni")
  local r = sh.run({ "unshare", "-i", "sh", "-c", 'echo 12345 > /proc/sys/kernel/shmmni && cat "$1/kernel/shmmni" && ' ..
    'echo 777 > "$1/kernel/msgmni" && cat /proc/sys/kernel/msgmni', "-", host_mount():path("sys") })
  lu.assertEquals(r.code, 0, r.err)
  lu.assertEquals(r.out, "12345\n777\n")
  lu.assertEquals(fsx.read("/proc/sys/kernel/msgmni"), before)
end

-- sys/'s tree as find walks it: every name in the kernel's order, with
-- its mode, type and link count (1 for a directory, 2 for an empty one).
function TestHostMachine.test_sys_tree_is_the_kernels()
  local function tree(root)
    local r = sh.run({ "sh", "-c", 'cd "$1" && find . -printf "%m %y %n %p\\n"', "-", root })
    lu.assertEquals(r.code, 0, r.err)
    return r.out
  end
  local ours = tree(host_mount():path("sys"))
  lu.assertTrue(#fsx.lines(ours) > 1000)
  prun.assert_text(ours, tree("/proc/sys"), "find sys")
end

-- The top level lists its names in the kernel's order (proc_root's: by
-- length, then bytes; self and thread-self last), each the kernel has.
function TestHostMachine.test_top_level_names_are_in_the_kernels_order()
  local function names(dir)
    local r = sh.run({ "ls", "-f", dir })
    lu.assertEquals(r.code, 0, r.err)
    local v = {}
    for name in r.out:gmatch("[^\n]+") do
      if not name:match("^%d+$") and name ~= "." and name ~= ".." then v[#v + 1] = name end
    end
    return v
  end
  local ours, kernel = names(host_mount():path()), names("/proc")
  local served = {}
  for _, name in ipairs(ours) do served[name] = true end
  local want = {}
  for _, name in ipairs(kernel) do
    if served[name] then want[#want + 1] = name end
  end
  lu.assertTrue(#ours > 30, #ours .. " names")
  lu.assertEquals(ours, want)
end

-- sys/net is the reader's network namespace's (net_ctl_header_lookup): a
-- reader in a new one finds the names a new namespace has, not the
-- daemon's (no neigh/default, none of the first namespace's globals, its
-- own modes), and the directories of its own interfaces, also after some
-- are added (a bridge named as one of the daemon's, a veth pair the
-- daemon has not), whose settings it reads and writes; sysctl -a there
-- lists the same names and reads each without error.
function TestHostMachine.test_sys_net_is_the_readers_namespace()
  local name
  for line in fsx.read("/proc/net/dev"):gmatch("[^\n]+") do
    local n = line:match("^%s*([^%s:]+):")
    if n and n ~= "lo" then name = name or n end
  end
  local script = [[
    D=$1 M=$2 I=$3
    tree() { (cd "$1" && find . -printf "%m %y %n %p\n"); }
    tree /proc/sys/net > "$D/kernel-1"; tree "$M" > "$D/ours-1"
    [ -n "$I" ] && ip link add "$I" type bridge
    ip link add plspec0 type veth peer name plspec1
    tree /proc/sys/net > "$D/kernel-2"; tree "$M" > "$D/ours-2"
    cat "$M/ipv4/conf/plspec0/forwarding" > "$D/read-0"
    echo 1 > "$M/ipv4/conf/plspec0/forwarding" && cat /proc/sys/net/ipv4/conf/plspec0/forwarding > "$D/wrote"
    sysctl -a 2>&1 | sed "s/ = .*//" > "$D/kernel-a"
    mount --bind "$M/../.." /proc && sysctl -a 2>&1 | sed "s/ = .*//" > "$D/ours-a"
  ]]
  local dir = F().work .. "/netns"
  assert(sh.ok("mkdir -p " .. sh.quote(dir)))
  local r = sh.run({ "unshare", "-m", "-n", "--propagation", "private", "sh", "-c", script, "-", dir,
                     host_mount():path("sys/net"), name or "" })
  lu.assertEquals(r.code, 0, r.err)
  local kernel, ours = fsx.read(dir .. "/kernel-1"), fsx.read(dir .. "/ours-1")
  lu.assertTrue(#fsx.lines(kernel) > 100)
  lu.assertStrContains(fsx.read("/proc/sys/net/ipv4/neigh/default/gc_thresh1"), "\n")
  lu.assertNotStrContains(kernel, "neigh/default")
  prun.assert_text(ours, kernel, "sys/net in a new network namespace")
  local kernel2 = fsx.read(dir .. "/kernel-2")
  if name then lu.assertStrContains(kernel2, "conf/" .. name .. "/forwarding") end
  lu.assertStrContains(kernel2, "conf/plspec1/forwarding")
  prun.assert_text(fsx.read(dir .. "/ours-2"), kernel2, "sys/net after interfaces were added")
  -- a setting of an interface only that namespace has, read and written there
  lu.assertEquals(fsx.read(dir .. "/read-0"), "0\n")
  lu.assertEquals(fsx.read(dir .. "/wrote"), "1\n")
  -- sysctl -a: the same names, and no error reading one
  prun.assert_text(fsx.read(dir .. "/ours-a"), fsx.read(dir .. "/kernel-a"), "sysctl -a's names")
end

function TestHostMachine.test_random_uuid_is_new_each_read_as_the_kernels()
  local v4 = "^%x%x%x%x%x%x%x%x%-%x%x%x%x%-4%x%x%x%-[89ab]%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x\n$"
  local a, b = fsx.read(host_mount():path("sys/kernel/random/uuid")),
               fsx.read(host_mount():path("sys/kernel/random/uuid"))
  lu.assertStrMatches(a, v4)
  lu.assertStrMatches(b, v4)
  lu.assertNotEquals(a, b)
end

-- A file Linux has not (here: the Yama setting, absent on a kernel
-- without Yama) is absent through a layout that names it.
function TestHostMachine.test_a_setting_the_host_lacks_is_enoent()
  local layout = F().work .. "/yama.lua"
  fsx.write(layout, [[
local p = require "proclua"
return p.layout { root = { p.dir("sys", "0555", { p.dir("kernel", "0555", {
  p.dir("yama", "0555", { p.file("ptrace_scope", "0644", "kernel.yama.ptrace_scope") }) }) }) },
  task = {} }
]])
  local m = mnt.start { layout = layout }
  local ours = fsx.outcome(m:path("sys/kernel/yama/ptrace_scope"))
  local kernel = fsx.outcome("/proc/sys/kernel/yama/ptrace_scope")
  m:stop()
  lu.assertEquals(ours, kernel)
end

-- A process of this spec holding each kind of lock: flock on a, a POSIX
-- write lock on bytes 5-14 of b, a POSIX read lock on all of c, an OFD
-- lock on d; and another blocked on a's flock (a "->" line).  Their stdio
-- is /dev/null, so every fd of theirs names a file that exists.
local lock_holders = suite.once(function()
  local dir = F().work .. "/locks"
  assert(sh.ok("mkdir -p " .. sh.quote(dir)))
  local holder = procs.spawn({ PYTHON, "-c", ([[
import fcntl, struct, sys, time
d = %q
a = open(d + "/a", "w"); fcntl.flock(a, fcntl.LOCK_EX)
b = open(d + "/b", "w"); fcntl.lockf(b, fcntl.LOCK_EX, 10, 5)
c = open(d + "/c", "a+"); fcntl.lockf(c, fcntl.LOCK_SH)
o = open(d + "/d", "a+"); fcntl.fcntl(o, 37, struct.pack("hhqqi", fcntl.F_WRLCK, 0, 0, 0, 0))
print("ready", flush=True)
time.sleep(600)
]]):format(dir) }, { stdout = dir .. "/holder.out", name = "lock holder" })
  suite.defer("end the lock holder", function() holder:reap() end)
  holder:wait_output("ready", 30)
  local waiter = procs.spawn({ PYTHON, "-c", ([[
import fcntl
fcntl.flock(open(%q + "/a", "w"), fcntl.LOCK_EX)
]]):format(dir) }, { name = "lock waiter" })
  suite.defer("end the lock waiter", function() waiter:reap() end)
  procs.wait_for(function()
    return (fsx.read("/proc/locks") or ""):find("%d+: %-> FLOCK  ADVISORY  WRITE " .. waiter.pid .. " ")
  end, 30, "the waiter blocked on the flock")
  return { holder = holder, waiter = waiter }
end)

-- locks moves with every process on the machine that locks a file: read
-- the kernel, ours, the kernel again; ours must be one of the two.
function TestHostMachine.test_locks_are_the_kernels()
  local h = lock_holders()
  local k1, ours
  for attempt = 1, 20 do
    if attempt > 1 then sh.sleep(0.05) end
    k1 = fsx.outcome("/proc/locks")
    ours = fsx.outcome(host_mount():path("locks"))
    local k2 = fsx.outcome("/proc/locks")
    if ours == k1 or ours == k2 then
      -- each kind was there to be compared
      for _, want in ipairs { "FLOCK  ADVISORY  WRITE " .. h.holder.pid .. " ",
                              "-> FLOCK  ADVISORY  WRITE " .. h.waiter.pid .. " ",
                              "POSIX  ADVISORY  WRITE " .. h.holder.pid .. " ",
                              "POSIX  ADVISORY  READ " .. h.holder.pid .. " ",
                              "OFDLCK ADVISORY  WRITE -1 " } do
        lu.assertStrContains(ours, want)
      end
      lu.assertStrContains(ours, " 5 14\n")
      return
    end
  end
  lu.fail("locks: " .. compare.describe(k1, ours))
end

-- Through --view-root (a pid namespace of the holder's subtree), as Linux
-- shows locks to a reader in such a namespace: the holder's are its own
-- pid (1), the request blocked on them from outside shows 0, a lock of an
-- owner outside is left out, OFD locks (-1) are everyone's.
function TestHostMachine.test_locks_through_a_pid_view()
  local h = lock_holders()
  local m = mnt.start { args = { "--view-root=" .. h.holder.pid } }
  local ours = fsx.read(m:path("locks"))
  m:stop()
  lu.assertStrContains(ours, ": FLOCK  ADVISORY  WRITE 1 ")
  lu.assertStrContains(ours, ": -> FLOCK  ADVISORY  WRITE 0 ")
  lu.assertStrContains(ours, ": POSIX  ADVISORY  WRITE 1 ")
  lu.assertStrContains(ours, ": POSIX  ADVISORY  READ 1 ")
  lu.assertStrContains(ours, ": OFDLCK ADVISORY  WRITE -1 ")
  for line in ours:gmatch("[^\n]+") do
    local depth, pid = line:match("^%d+: ( *%-?>? ?)%u+ +%S+ +%u+ (%-?%d+) ")
    lu.assertNotNil(pid, line)
    if depth == "" then
      lu.assertTrue(pid == "1" or tonumber(pid) < 0, "a holder outside the view: " .. line)
    end
  end
end

function TestHostMachine.test_tty_drivers_are_the_kernels()
  assert_as_kernel("tty/drivers", 3)
end

function TestHostMachine.test_modes_of_locks_and_tty_are_the_kernels()
  for _, rel in ipairs { "locks", "tty", "tty/drivers" } do
    lu.assertEquals(sh.run({ "stat", "-c", "%a %F", host_mount():path(rel) }).out,
                    sh.run({ "stat", "-c", "%a %F", "/proc/" .. rel }).out, rel .. ": mode")
  end
end

------------------------------------------------------------------------------
-- Tools over the host, in a private mount namespace, against the same tool
-- on the kernel's /proc.

TestHostTools = {}

local native = prun.native

local function same_as_native(argv)
  local want = native(argv)
  lu.assertEquals(want.code, 0, want.err)
  local got = prun.tool(F().rundir, {}, argv)
  lu.assertEquals(got.code, 0, got.err)
  prun.assert_text(got.out, want.out, table.concat(argv, " ") .. " (native vs proclua)")
end

function TestHostTools.test_sysctl_settings()
  same_as_native { "sysctl", "kernel.cap_last_cap", "vm.overcommit_memory", "net.core.somaxconn",
                   "kernel.threads-max", "fs.nr_open", "net.ipv4.ip_local_port_range",
                   "kernel.random.boot_id" }
end

-- sysctl -a: the same settings, in the same order, with the same values;
-- a value that differs is one that moves (file-nr, dentry-state, the
-- uuid): compared again as a counter, read between two kernel reads.
function TestHostTools.test_sysctl_a_is_the_kernels()
  local want = native { "sysctl", "-a" }
  local got = prun.tool(F().rundir, {}, { "sysctl", "-a" })
  lu.assertEquals(got.code, want.code, got.err)
  lu.assertEquals(got.err, want.err)
  local function settings(out)
    local names, values = {}, {}
    for name, value in out:gmatch("([^\n]-) = ([^\n]*)\n") do
      names[#names + 1] = name
      values[name] = value
    end
    return names, values
  end
  local names, values = settings(want.out)
  local ours_names, ours = settings(got.out)
  lu.assertTrue(#names > 500, "sysctl -a shows " .. #names .. " settings")
  lu.assertEquals(ours_names, names)
  local moved = 0
  for _, name in ipairs(names) do
    if ours[name] ~= values[name] then
      local path = "sys/" .. name:gsub("[./]", { ["."] = "/", ["/"] = "." })
      if name == "kernel.random.uuid" then
        lu.assertStrMatches(ours[name], "%x+%-%x+%-4%x+%-%x+%-%x+")
      else
        assert_counters_as_kernel(path)
      end
      moved = moved + 1
    end
  end
  lu.assertTrue(moved < 20, moved .. " settings differ")
end

function TestHostTools.test_cat_swaps_and_psutil_swap_memory()
  same_as_native { "cat", "/proc/swaps" }
  -- sin and sout come from vmstat; a missing vmstat makes psutil warn on stderr
  local argv = { PYTHON, "-W", "error", "-c",
                 "import psutil; s = psutil.swap_memory(); print(s.total, s.sin, s.sout)" }
  local want, got = native(argv), prun.tool(F().rundir, {}, argv)
  lu.assertEquals(got.code, 0, got.err)
  lu.assertEquals(got.out, want.out)
end

-- lslocks names each lock's command and path (from the holder's fd/ and
-- comm) as it does on the kernel's /proc; -p keeps to this spec's holders,
-- the machine's other locks come and go.
function TestHostTools.test_lslocks()
  local h = lock_holders()
  for _, pid in ipairs { h.holder.pid, h.waiter.pid } do
    same_as_native { "lslocks", "-p", tostring(pid) }
  end
  local got = prun.tool(F().rundir, {}, { "lslocks", "-p", tostring(h.holder.pid) }).out
  lu.assertStrContains(got, F().work .. "/locks/b\n")
end

-- vmstat's header, and a line of its numbers (they move: only the shape)
function TestHostTools.test_vmstat_runs()
  local got = prun.tool(F().rundir, {}, { "vmstat" })
  lu.assertEquals(got.code, 0, got.err)
  local lines = fsx.lines(got.out)
  lu.assertEquals(lines[1], "procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----")
  lu.assertStrMatches(lines[3], "^[%d ]+$")
end

------------------------------------------------------------------------------
-- A world: the defaults and the keys (p.world's format, no mount), then the
-- tools over the tool world.

TestWorldMachine = {}

-- A world's files as world:format makes them, in a child interpreter.
local function formats(machine, names)
  local script = F().work .. "/fmt.lua"
  local world_file = F().work .. "/w.lua"
  fsx.write(world_file, 'local p = require "proclua"\nreturn p.world { tasks = { { pid = 1 } }, machine = '
    .. machine .. " }\n")
  fsx.write(script, ([[
local w = dofile(%q)
for _, n in ipairs { %s } do
  local out, err = w:format(n)
  io.write("== ", n, "\n", out or ("<" .. tostring(err) .. ">\n"))
end
]]):format(world_file, '"' .. table.concat(names, '", "') .. '"'))
  local r = sh.run(testenv.lua(script), { timeout = 60 })
  lu.assertEquals(r.code, 0, r.err)
  local out = fsx.sections(r.out)
  return out, r.out
end

function TestWorldMachine.test_defaults_of_a_small_idle_machine()
  local f, all = formats("{ cpus = 2, uptime = 1000, mem_total_kb = 2097152, mem_free_kb = 1048576 }",
    { "vmstat", "swaps", "partitions", "diskstats", "interrupts", "softirqs", "boot_cmdline",
      "pressure_cpu", "system_stat" })
  local vmstat = f.vmstat or error(all)
  -- MemFree 1048576 kB: 262144 pages; Active 524288 = anon 491520 + file 32768
  -- (Cached + Buffers on the lists, inactive first); pgpgin: 2,000,000 sectors
  lu.assertStrContains(vmstat, "nr_free_pages 262144\nnr_zone_inactive_anon 0\nnr_zone_active_anon 122880\n"
    .. "nr_zone_inactive_file 65536\nnr_zone_active_file 8192\n")
  lu.assertStrContains(vmstat, "\npgpgin 1000000\npgpgout 500000\npswpin 0\npswpout 0\n")
  lu.assertEquals(f.swaps, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n")
  lu.assertEquals(f.partitions, "major minor  #blocks  name\n\n 254        0   20971520 vda\n")
  lu.assertEquals(f.diskstats, " 254       0 vda 12000 300 2000000 6000 8000 900 1000000 9000 0 12000 15000 0 0 0 0 0 0\n")
  lu.assertEquals(f.interrupts, table.concat({
    "           CPU0       CPU1       ",
    "  0:         40          0  IO-APIC   2-edge      timer",
    "  1:          9          0  IO-APIC   1-edge      i8042",
    "NMI:          0          0   Non-maskable interrupts",
    "LOC:     100000     100000   Local timer interrupts",
    "RES:      10000      10000   Rescheduling interrupts",
    "ERR:          0",
    "MIS:          0", "" }, "\n"))
  lu.assertStrContains(f.softirqs, "                    CPU0       CPU1       \n          HI:          0          0\n")
  lu.assertStrContains(f.softirqs, "       BLOCK:      20000          0\n")
  -- /proc/stat counts the same interrupts and softirqs
  lu.assertStrContains(f.system_stat, "\nintr 220049 40 9\n")
  lu.assertStrContains(f.system_stat, "\nsoftirq 140000 0 20000 0 0 20000 0 0 40000 0 60000\n")
  lu.assertEquals(f.boot_cmdline, "BOOT_IMAGE=/boot/vmlinuz-6.1.0-proclua root=/dev/vda ro quiet\n")
  lu.assertEquals(f.pressure_cpu, "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
    .. "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
end

function TestWorldMachine.test_sysctl_defaults_follow_the_memory()
  local f = formats("{ mem_total_kb = 4194304 }", { "kernel.threads-max", "user.max_user_namespaces",
    "fs.file-max", "fs.file-nr", "net.ipv4.ip_local_port_range", "kernel.cap_last_cap",
    "kernel.random.boot_id", "kernel.yama.ptrace_scope", "kernel.core_pattern" })
  lu.assertEquals(f["kernel.threads-max"], "32768\n")
  lu.assertEquals(f["user.max_user_namespaces"], "16384\n")
  lu.assertEquals(f["fs.file-max"], "419430\n")
  lu.assertEquals(f["fs.file-nr"], "1024\t0\t419430\n")
  lu.assertEquals(f["net.ipv4.ip_local_port_range"], "32768\t60999\n")
  lu.assertEquals(f["kernel.cap_last_cap"], "40\n")
  lu.assertEquals(f["kernel.random.boot_id"], "7f3c2a9e-4b1d-4c8e-9a6f-2d5e8b1c0a47\n")
  lu.assertEquals(f["kernel.yama.ptrace_scope"], "<No such file or directory>\n")
  lu.assertEquals(f["kernel.core_pattern"], "core\n")
end

function TestWorldMachine.test_keys_give_each_file()
  local f = formats([[{
    sysctl = { ["vm.overcommit_memory"] = 2, ["net.ipv4.ip_local_port_range"] = { 1024, 65535 },
               ["kernel.core_pattern"] = "|/usr/lib/systemd/systemd-coredump %P\n",
               ["kernel.yama.ptrace_scope"] = 1, ["kernel.random.uuid"] = "00112233-4455-4677-8899-aabbccddeeff\n",
               ["kernel.cap_last_cap"] = false },
    vmstat = { pswpin = 7, pswpout = 9 },
    swaps = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/swap\\040file]] .. (" "):rep(27)
      .. [[file\t\t1048572\t\t0\t\t-2\n",
    cmdline = "root=/dev/sda1 ro",
    pressure = { io = "some avg10=1.50 avg60=0.25 avg300=0.05 total=123456\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=42\n" },
    cgroups = "#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t4\t58\t1\n",
  }]], { "vm.overcommit_memory", "net.ipv4.ip_local_port_range", "kernel.core_pattern",
         "kernel.yama.ptrace_scope", "kernel.random.uuid", "kernel.cap_last_cap", "vmstat", "swaps",
         "boot_cmdline", "pressure_io", "pressure_memory", "cgroups" })
  lu.assertEquals(f["vm.overcommit_memory"], "2\n")
  lu.assertEquals(f["net.ipv4.ip_local_port_range"], "1024\t65535\n")
  lu.assertEquals(f["kernel.core_pattern"], "|/usr/lib/systemd/systemd-coredump %P\n")
  lu.assertEquals(f["kernel.yama.ptrace_scope"], "1\n")
  lu.assertEquals(f["kernel.random.uuid"], "00112233-4455-4677-8899-aabbccddeeff\n")
  lu.assertEquals(f["kernel.cap_last_cap"], "<No such file or directory>\n")
  lu.assertStrContains(f.vmstat, "\npswpin 7\npswpout 9\n")
  -- the path's space is escaped as the kernel's seq_file_path escapes it
  lu.assertEquals(f.swaps, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
    .. "/swap\\040file" .. (" "):rep(27) .. "file\t\t1048572\t\t0\t\t-2\n")
  lu.assertEquals(f.boot_cmdline, "root=/dev/sda1 ro\n")
  lu.assertEquals(f.pressure_io, "some avg10=1.50 avg60=0.25 avg300=0.05 total=123456\n"
    .. "full avg10=0.00 avg60=0.00 avg300=0.00 total=42\n")
  lu.assertEquals(f.pressure_memory, "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
    .. "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
  lu.assertEquals(f.cgroups, "#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t4\t58\t1\n")
  local g = formats("{ pressure = false }", { "pressure_cpu" })
  lu.assertEquals(g.pressure_cpu, "<No such file or directory>\n")
end

-- locks: none by default; records made into the kernel's lines (holders
-- numbered from 1, a waiter under its holder, the mode from the kind and
-- whether a file is named, OFD locks pid -1); text kept as given.
-- tty/drivers: a plain Debian VM's by default, records or text.
local DEBIAN_TTY_DRIVERS = table.concat({
  "/dev/tty             /dev/tty        5       0 system:/dev/tty",
  "/dev/console         /dev/console    5       1 system:console",
  "/dev/ptmx            /dev/ptmx       5       2 system",
  "/dev/vc/0            /dev/vc/0       4       0 system:vtmaster",
  "serial               /dev/ttyS       4 64-67 serial",
  "pty_slave            /dev/pts      136 0-1048575 pty:slave",
  "pty_master           /dev/ptm      128 0-1048575 pty:master",
  "unknown              /dev/tty        4 1-63 console", "" }, "\n")

function TestWorldMachine.test_locks_and_tty_drivers_defaults()
  local f = formats("{}", { "locks", "tty_drivers" })
  lu.assertEquals(f.locks, "")
  lu.assertEquals(f.tty_drivers, DEBIAN_TTY_DRIVERS)
end

function TestWorldMachine.test_locks_and_tty_drivers_as_records()
  local f = formats([[{
    locks = {
      { kind = "POSIX", mode = "ADVISORY", type = "WRITE", pid = 7, dev = "08:01", ino = 1234,
        start = 0, ["end"] = "EOF" },
      { kind = "POSIX", type = "READ", pid = 8, dev = "fe:00", ino = 99, start = 5, ["end"] = 14 },
      { kind = "POSIX", type = "WRITE", pid = 9, dev = "fe:00", ino = 99, start = 5, depth = 1 },
      { kind = "POSIX", type = "WRITE", pid = 10, dev = "fe:00", ino = 99, depth = 2 },
      { kind = "FLOCK", type = "WRITE", pid = 11, dev = "00:2a", ino = 5, id = 7 },
      { kind = "OFDLCK", type = "READ", dev = "08:01", ino = 6 },
      { kind = "LEASE", type = "READ", pid = 12, dev = "08:01", ino = 8 },
      { kind = "DELEG", mode = "BREAKER", type = "UNLCK", pid = 13 },
      { kind = "POSIX", type = "WRITE", pid = -1 },
    },
    tty_drivers = {
      { driver = "/dev/tty", name = "tty", major = 5, type = "system:/dev/tty" },
      { driver = "serial", name = "ttyS", major = 4, minor = 64, minors = 32, type = "serial" },
      { name = "tty", major = 4, minor = 1, minors = 63, type = "console" },
      { driver = "a_driver_name_longer_than_20", name = "ttylonger9", major = 204, minor = 3,
        type = "type:3.1" },
    },
  }]], { "locks", "tty_drivers" })
  lu.assertEquals(f.locks, table.concat({
    "1: POSIX  ADVISORY  WRITE 7 08:01:1234 0 EOF",
    "2: POSIX  ADVISORY  READ 8 fe:00:99 5 14",
    "2: -> POSIX  ADVISORY  WRITE 9 fe:00:99 5 EOF",
    "2:  -> POSIX  ADVISORY  WRITE 10 fe:00:99 0 EOF",
    "7: FLOCK  ADVISORY  WRITE 11 00:2a:5 0 EOF",
    "8: OFDLCK ADVISORY  READ -1 08:01:6 0 EOF",
    "9: LEASE  ACTIVE    READ 12 08:01:8 0 EOF",
    "10: DELEG  BREAKER   UNLCK 13 <none>:0 0 EOF",
    "11: POSIX  *NOINODE* WRITE -1 <none>:0 0 EOF", "" }, "\n"))
  lu.assertEquals(f.tty_drivers, table.concat({
    "/dev/tty             /dev/tty        5       0 system:/dev/tty",
    "serial               /dev/ttyS       4 64-95 serial",
    "unknown              /dev/tty        4 1-63 console",
    "a_driver_name_longer_than_20 /dev/ttylonger9 204       3 type:3.1", "" }, "\n"))
end

function TestWorldMachine.test_locks_and_tty_drivers_as_text()
  local locks = "3: FLOCK  ADVISORY  READ 20 fe:00:10952997 0 EOF\n"
             .. "3: -> FLOCK  ADVISORY  WRITE 21 fe:00:10952997 0 EOF\n"
             .. "5: OFDLCK *NOINODE* WRITE -1 <none>:0 100 199\n"
  local f = formats(("{ locks = %q, tty_drivers = %q }"):format(locks, DEBIAN_TTY_DRIVERS:match("^[^\n]*\n")),
                    { "locks", "tty_drivers" })
  lu.assertEquals(f.locks, locks)
  lu.assertEquals(f.tty_drivers, "/dev/tty             /dev/tty        5       0 system:/dev/tty\n")
  lu.assertEquals(formats('{ tty_drivers = "" }', { "tty_drivers" }).tty_drivers, "")
end

-- A world's random uuid: new each read, version 4
function TestWorldMachine.test_random_uuid_is_new_each_read()
  local f, all = formats("{}", { "kernel.random.uuid", "kernel.random.uuid" })
  local a, b = all:match("== kernel.random.uuid\n(.-)\n== kernel.random.uuid\n(.-)\n")
  local v4 = "^%x%x%x%x%x%x%x%x%-%x%x%x%x%-4%x%x%x%-[89ab]%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$"
  lu.assertStrMatches(a or "", v4)
  lu.assertStrMatches(b or "", v4)
  lu.assertNotEquals(a, b)
  lu.assertNotNil(f)
end

-- Bad values fail the world with a message naming the key.
function TestWorldMachine.test_bad_values_are_refused()
  local function refused(machine, msg)
    local script = F().work .. "/bad.lua"
    fsx.write(script, ('local p = require "proclua"\nlocal ok, e = pcall(p.world, { tasks = { { pid = 1 } }, '
      .. 'machine = %s })\nio.write(ok and "loaded" or tostring(e))\n'):format(machine))
    local r = sh.run(testenv.lua(script), { timeout = 60 })
    lu.assertEquals(r.code, 0, r.err)
    lu.assertStrContains(r.out, msg, false, machine)
  end
  refused('{ sysctl = { ["vm.overcommit_memroy"] = 1 } }',
          "world machine: unknown sysctl 'vm.overcommit_memroy' (did you mean 'vm.overcommit_memory'?)")
  refused('{ sysctl = { ["kernel..x"] = 1 } }', "world machine: sysctl 'kernel..x' is no setting's name")
  refused('{ sysctl = { ["kernel.osrelease"] = "7.0" } }',
          "world machine: sysctl kernel.osrelease is the machine's osrelease: declare it there")
  refused('{ sysctl = { ["vm.min_free_kbytes"] = { 1, "x" } } }',
          "world machine: sysctl vm.min_free_kbytes must be integers")
  refused('{ sysctl = { ["net.ipv4.ip_local_port_range"] = 5 } }',
          "world machine: sysctl net.ipv4.ip_local_port_range must be a list of 2 integers or the kernel's text")
  refused('{ sysctl = { ["vm.swappiness"] = "60" } }',
          "world machine: sysctl vm.swappiness is not text the kernel would print")
  refused('{ sysctl = { ["fs.file-max"] = -1 } }', "world machine: sysctl fs.file-max must be unsigned integers")
  refused('{ sysctl = { ["kernel.random.boot_id"] = 5 } }',
          "world machine: sysctl kernel.random.boot_id must be the kernel's text")
  refused('{ vmstat = "nr_free_pages 1" }', "world machine: vmstat is not text the kernel would print")
  refused('{ vmstat = "pgpgin 1\\n" }', "world machine: vmstat is not text the kernel would print")
  refused('{ vmstat = { nr_bogus = 1 } }', "world machine: vmstat has no counter 'nr_bogus'")
  refused('{ swaps = "Filename\\n" }', "world machine: swaps is not text the kernel would print")
  refused('{ diskstats = "   8       0 sda x\\n" }', "world machine: diskstats is not text the kernel would print")
  refused('{ interrupts = "CPU0\\n" }', "world machine: interrupts is not text the kernel would print")
  refused('{ pressure = { cpu = "some avg10=1 avg60=0.00 avg300=0.00 total=0\\n" } }',
          "world machine: pressure.cpu is not text the kernel would print")
  refused('{ pressure = { gpu = "" } }', "world machine: pressure has cpu, memory and io, not 'gpu'")
  refused('{ cmdline = "a\\nb" }', "world machine: cmdline is one line, without a newline")
  -- a bad number found while a default is being built leaves nothing behind (ASan)
  refused('{ ctxt = -1 }', "world machine: ctxt must be an integer from 0")
  refused('{ cgroups = "memory\\t1\\t1\\t1\\n" }', "world machine: cgroups is not text the kernel would print")
  -- locks: the kernel's columns, a known kind with a mode it prints with,
  -- a waiter under its holder, holders numbered upwards, never pid 0
  refused('{ locks = "1: POSIX ADVISORY WRITE 7 08:01:1 0 EOF\\n" }',
          "world machine: locks is not text the kernel would print")
  refused('{ locks = "1: FLOCK  ACTIVE    WRITE 7 08:01:1 0 EOF\\n" }',
          "world machine: locks is not text the kernel would print")
  refused('{ locks = "1: OFDLCK ADVISORY  WRITE 7 08:01:1 0 EOF\\n" }',
          "world machine: locks is not text the kernel would print")
  refused('{ locks = "1: POSIX  ADVISORY  WRITE 0 08:01:1 0 EOF\\n" }',
          "world machine: locks is not text the kernel would print")
  refused('{ locks = "2: POSIX  ADVISORY  WRITE 7 08:01:1 0 EOF\\n1: POSIX  ADVISORY  WRITE 7 08:01:1 0 EOF\\n" }',
          "world machine: locks is not text the kernel would print")
  refused('{ locks = "1: POSIX  ADVISORY  WRITE 7 08:01:1 9 3\\n" }',
          "world machine: locks is not text the kernel would print")
  refused('{ locks = "1: POSIX  ADVISORY  WRITE 7 8:1:1 0 EOF\\n" }',
          "world machine: locks is not text the kernel would print")
  refused('{ locks = { { kind = "POSIX", type = "WRITE", pid = 7, depth = 1 } } }',
          "world machine: locks[1] is no lock the kernel would show")
  refused('{ locks = { { kind = "POSIX", type = "WRITE", pid = 7 }, { kind = "POSIX", type = "WRITE", pid = 8, depth = 2 } } }',
          "world machine: locks[2] is no lock the kernel would show")
  refused('{ locks = { { kind = "posix", type = "WRITE", pid = 7 } } }',
          "world machine: locks[1].kind must be one of POSIX, ACCESS...")
  refused('{ locks = { { kind = "POSIX", type = "WRITE" } } }', "world machine: locks[1] needs the owner's pid")
  refused('{ locks = { { kind = "OFDLCK", type = "WRITE", pid = 7 } } }',
          "world machine: locks[1].pid must be an integer from -1 to -1")
  refused('{ locks = { { kind = "POSIX", type = "WRITE", pid = 7, dev = "sda" } } }',
          "world machine: locks[1].dev must be \"major:minor\" in hex")
  refused('{ locks = { { kind = "POSIX", type = "WRITE", pid = 7, start = 5, ["end"] = 4 } } }',
          "world machine: locks[1].end must be an integer from 5 to")
  refused('{ locks = { { kind = "POSIX", type = "WRITE", pid = 7, owner = 1 } } }',
          "world machine: locks[1] has no field 'owner'")
  refused('{ locks = 5 }', "world machine: locks must be a list of locks or the kernel's text")
  -- tty/drivers: the kernel's columns and the types it names
  refused('{ tty_drivers = "serial /dev/ttyS 4 64 serial\\n" }',
          "world machine: tty_drivers is not text the kernel would print")
  refused('{ tty_drivers = { { name = "ttyS", major = 4, type = "modem" } } }',
          "world machine: tty_drivers[1] is no driver the kernel would show")
  refused('{ tty_drivers = { { name = "tty S", major = 4, type = "serial" } } }',
          "world machine: tty_drivers[1].name must be a word")
  refused('{ tty_drivers = { { name = "ttyS", type = "serial" } } }',
          "world machine: tty_drivers[1].major must be an integer from 0 to 4095")
  refused('{ tty_drivers = { { name = "ttyS", major = 4, minor = 1048575, minors = 2, type = "serial" } } }',
          "world machine: tty_drivers[1].minors must be an integer from 1 to 1")
end

TestWorldTools = {}

local function in_world(argv)
  local r = prun.tool(F().rundir, { "--world", F().world }, argv)
  lu.assertEquals(r.code, 0, table.concat(argv, " ") .. " failed: " .. r.err)
  return r.out, r.err
end

-- The tool world (spec/support/toolworld.lua): 2 cpus, 98700 s up, 4 GiB
-- with 2 GiB free, no swap; the default disk and interrupts.
function TestWorldTools.test_vmstat()
  prun.assert_text(in_world { "vmstat" }, table.concat({
    "procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----",
    " r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st",
    " 1  0      0 2097152  65536 589824    0    0     5     3  110    1  5  5 90  0  0", "" }, "\n"), "vmstat")
  local s = in_world { "vmstat", "-s" }
  lu.assertStrContains(s, "      1000000 K paged in\n       500000 K paged out\n"
    .. "            0 pages swapped in\n            0 pages swapped out\n")
  prun.assert_text(in_world { "vmstat", "-d" }, table.concat({
    "disk- ------------reads------------ ------------writes----------- -----IO------",
    "       total merged sectors      ms  total merged sectors      ms    cur    sec",
    "vda    12000    300 2000000    6000   8000    900 1000000    9000      0     12", "" }, "\n"), "vmstat -d")
end

-- A world's sys/: the settings of a small machine, and those it declares
-- besides (numbers or text), in the kernel's order, read-only.
function TestWorldTools.test_sysctl_a_shows_the_declared_settings()
  local world = F().work .. "/sysw.lua"
  fsx.write(world, [=[
local p = require "proclua"
return p.world { tasks = { { pid = 1, comm = "init" } },
  machine = { hostname = "box", mem_total_kb = 2097152,
    sysctl = { ["net.ipv4.tcp_rmem"] = { 4096, 131072, 6291456 }, ["kernel.printk"] = "4\t4\t1\t7",
      ["net.ipv4.tcp_congestion_control"] = "cubic", ["net.ipv4.conf.eth0/100.forwarding"] = 1,
      ["vm.min_free_kbytes"] = 67584, ["kernel.yama.ptrace_scope"] = 1 } } }
]=])
  local r = prun.tool(F().rundir, { "--world", world }, { "sysctl", "-a" })
  lu.assertEquals(r.code, 0, r.err)
  local out = r.out:gsub("kernel%.random%.uuid = %x+%-%x+%-4%x+%-[89ab]%x+%-%x+\n", "kernel.random.uuid = U\n")
  prun.assert_text(out, table.concat({
    "fs.file-max = 209715", "fs.file-nr = 1024\t0\t209715", "fs.inotify.max_user_instances = 128",
    "fs.inotify.max_user_watches = 16384", "fs.nr_open = 1048576", "kernel.cap_last_cap = 40",
    "kernel.core_pattern = core", "kernel.hostname = box", "kernel.ngroups_max = 65536",
    "kernel.osrelease = 6.1.0-proclua", "kernel.ostype = Linux", "kernel.perf_event_paranoid = 2",
    "kernel.pid_max = 4194304", "kernel.printk = 4\t4\t1\t7",
    "kernel.random.boot_id = 7f3c2a9e-4b1d-4c8e-9a6f-2d5e8b1c0a47", "kernel.random.entropy_avail = 256",
    "kernel.random.poolsize = 256", "kernel.random.uuid = U", "kernel.threads-max = 16384",
    "kernel.yama.ptrace_scope = 1", "net.core.somaxconn = 4096", "net.ipv4.conf.eth0/100.forwarding = 1",
    "net.ipv4.ip_forward = 0", "net.ipv4.ip_local_port_range = 32768\t60999",
    "net.ipv4.tcp_congestion_control = cubic", "net.ipv4.tcp_rmem = 4096\t131072\t6291456",
    "user.max_user_namespaces = 8192", "vm.max_map_count = 65530", "vm.min_free_kbytes = 67584",
    "vm.overcommit_memory = 0", "vm.swappiness = 60", "" }, "\n"), "sysctl -a")
  -- a world's own setting is read-only, as a 0444 setting is for root
  local w = prun.tool(F().rundir, { "--world", world },
    { "sh", "-c", "stat -c %a /proc/sys/kernel/printk; echo 5 > /proc/sys/kernel/printk" })
  lu.assertEquals(w.out, "444\n")
  lu.assertStrContains(w.err, "Permission denied")
end

function TestWorldTools.test_sysctl_and_swaps()
  prun.assert_text(in_world { "sysctl", "kernel.cap_last_cap", "vm.overcommit_memory", "net.core.somaxconn" },
    "kernel.cap_last_cap = 40\nvm.overcommit_memory = 0\nnet.core.somaxconn = 4096\n", "sysctl")
  prun.assert_text(in_world { "cat", "/proc/swaps" }, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n",
                   "cat /proc/swaps")
end

-- A world of its own for locks and ttys: tasks on pts/0, tty1, ttyS0 and
-- the console, and locks held by two of them and one OFD lock.
local function tty_world(path, drivers)
  fsx.write(path, ([[
local p = require "proclua"
return p.world { tasks = { { pid = 1, comm = "init" },
  { pid = 42, ppid = 1, comm = "bash", tty_nr = 34816, session = 42, pgrp = 42 },
  { pid = 43, ppid = 1, comm = "getty", tty_nr = 1025, session = 43, pgrp = 43 },
  { pid = 44, ppid = 1, comm = "serial", tty_nr = 1088, session = 44, pgrp = 44 },
  { pid = 45, ppid = 1, comm = "ctl", tty_nr = 1281, session = 45, pgrp = 45 } },
  machine = { tty_drivers = %s, locks = {
    { kind = "POSIX", type = "WRITE", pid = 42, dev = "08:01", ino = 1234 },
    { kind = "FLOCK", type = "READ", pid = 1, dev = "fe:00", ino = 99 },
    { kind = "FLOCK", type = "WRITE", pid = 42, dev = "fe:00", ino = 99, depth = 1 },
    { kind = "OFDLCK", type = "READ", dev = "08:01", ino = 7, start = 10, ["end"] = 19 } } } }
]]):format(drivers))
  return path
end

-- lslocks lists the declared locks with the world's commands (no fd of
-- theirs names the files: no path), newest first as it lists the kernel's.
function TestWorldTools.test_lslocks_shows_the_declared_locks()
  local r = prun.tool(F().rundir, { "--world", tty_world(F().work .. "/ttyw.lua", "nil") }, { "lslocks" })
  lu.assertEquals(r.code, 0, r.err)
  prun.assert_text(r.out, table.concat({
    "COMMAND         PID   TYPE SIZE MODE   M START END PATH",
    "(undefined)      -1 OFDLCK      READ   0    10  19 ",
    "bash             42  FLOCK      WRITE* 0     0   0 ",
    "init              1  FLOCK      READ   0     0   0 ",
    "bash             42  POSIX      WRITE  0     0   0 ", "" }, "\n"), "lslocks")
end

-- ps names a task's tty from tty_nr through /proc/tty/drivers (the name it
-- builds must be the node in /dev with that number, as natively): the
-- console (5:1) has no other way to a name, so with no drivers it is "?".
function TestWorldTools.test_ps_names_ttys_through_tty_drivers()
  local function node(path, hex, name)
    return sh.run({ "stat", "-c", "%t:%T", path }).out == hex .. "\n" and name or "?"
  end
  local pts0, tty1 = node("/dev/pts/0", "88:0", "pts/0"), node("/dev/tty1", "4:1", "tty1")
  local ttyS0, console = node("/dev/ttyS0", "4:40", "ttyS0"), node("/dev/console", "5:1", "console")
  local function ps(world)
    local r = prun.tool(F().rundir, { "--world", world }, { "ps", "-e", "-o", "pid,tty,comm" })
    lu.assertEquals(r.code, 0, r.err)
    return r.out
  end
  local function table_of(console_name)
    return ("    PID TT       COMMAND\n      1 ?        init\n     42 %-8s bash\n     43 %-8s getty\n"
            .. "     44 %-8s serial\n     45 %-8s ctl\n"):format(pts0, tty1, ttyS0, console_name)
  end
  prun.assert_text(ps(tty_world(F().work .. "/ttyw.lua", "nil")), table_of(console), "ps (Debian's drivers)")
  prun.assert_text(ps(tty_world(F().work .. "/ttyw0.lua", '""')), table_of("?"), "ps (no drivers)")
  lu.assertEquals(console, "console", "this host has no /dev/console 5:1: the spec proves less")
end

function TestWorldTools.test_psutil_swap_and_disks()
  prun.assert_text(in_world { PYTHON, "-W", "error", "-c", "import psutil; print(psutil.swap_memory()); "
    .. "d = psutil.disk_io_counters(); print(d.read_count, d.write_count, d.read_bytes, d.write_bytes)" },
    "sswap(total=0, used=0, free=0, percent=0.0, sin=0, sout=0)\n12000 8000 1024000000 512000000\n",
    "psutil")
end

-- One fd read again from offset 0 shows the file anew, as a seq_file does:
-- top and psutil sample /proc/stat and /proc/uptime that way, and with a
-- snapshot kept per open, top showed 100% idle whatever ran.
function TestHostMachine.test_a_reread_from_offset_0_is_fresh()
  for _, rel in ipairs { "uptime", "stat" } do
    local f = assert(io.open(host_mount():path(rel)))
    local a = f:read("a")
    sh.sleep(0.3)
    f:seek("set", 0)
    local b = f:read("a")
    f:close()
    lu.assertNotEquals(a, b, rel .. " read again from 0 through one fd")
  end
  local f = assert(io.open(host_mount():path("uptime")))
  local up0 = tonumber(f:read("a"):match("^(%S+)"))
  sh.sleep(0.5)
  f:seek("set", 0)
  lu.assertTrue(tonumber(f:read("a"):match("^(%S+)")) >= up0 + 0.4)
  f:close()
end

-- top over the host's /proc, with a busy loop running: not all idle.
function TestHostMachine.test_top_sees_a_busy_cpu()
  local r = prun.tool(F().rundir, {}, { "sh", "-c",
    "sh -c 'while :; do :; done' & busy=$!; top -b -n 2 -d 0.5 | grep '^%Cpu' | tail -1; kill $busy" })
  lu.assertEquals(r.code, 0, r.err)
  local idle = tonumber(r.out:match("([%d%.]+) id"))
  lu.assertNotNil(idle, r.out)
  lu.assertTrue(idle < 100, r.out)
end

suite.run()
