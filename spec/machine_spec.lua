-- The machine-wide files of the top level beyond uptime, meminfo and stat:
-- vmstat, swaps, partitions, diskstats, interrupts, softirqs, cgroups,
-- cmdline, pressure/ and the sys/ settings of the stock layout.
--
--   * Host: each file's bytes equal the kernel's.  Counters move between
--     two reads (vmstat, interrupts, softirqs, diskstats, pressure,
--     fs/file-nr), so the kernel is read just before and just after ours
--     and ours must equal one of the two or lie between them (its text
--     the same, each number between the two reads' numbers), a failing
--     comparison repeated: a formatting difference fails every time, a
--     race does not.  kernel/random/uuid is a new UUID each read, on both.
--     Every sys/ entry the layout lists exists on the host with its mode.
--   * Tools over the host, in a private mount namespace (proclua-run):
--     vmstat, sysctl, cat /proc/swaps, psutil's swap_memory say what they
--     say on the kernel's /proc.
--   * A world: the defaults of a small idle machine, exactly, consistent
--     with its meminfo, stat and disks; the keys that give each file; and
--     vmstat, free -w, sysctl and psutil over it.
local lu = require "luaunit"
local compare = require "compare"
local fsx = require "fsx"
local mnt = require "mnt"
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

-- Text and numbers: { "nr_free_pages ", 5591635, "\nnr_..." ... }
local function tokens(text)
  local t = {}
  for word, num in text:gmatch("(%D*)(%d*)") do
    if word ~= "" then t[#t + 1] = word end
    if num ~= "" then t[#t + 1] = tonumber(num) or num end
  end
  return t
end

-- Ours read between the kernel's k1 and k2: the same text, each number
-- equal to one of the kernel's or between them (a counter that moved while
-- ours was made).
local function between(k1, ours, k2)
  local a, o, b = tokens(k1), tokens(ours), tokens(k2)
  if #a ~= #o or #b ~= #o then return false end
  for i = 1, #o do
    if type(o[i]) == "number" and type(a[i]) == "number" and type(b[i]) == "number" then
      if o[i] < math.min(a[i], b[i]) or o[i] > math.max(a[i], b[i]) then return false end
    elseif o[i] ~= a[i] or o[i] ~= b[i] then
      return false
    end
  end
  return true
end

local function assert_as_kernel(rel, tries)
  local ok, why = compare.stable("/proc/" .. rel, host_mount():path(rel), { tries = tries })
  lu.assertTrue(ok, rel .. ": " .. tostring(why))
end

-- Counters: each try reads the kernel, ours, the kernel again.
local function assert_counters_as_kernel(rel)
  local k1, ours
  for attempt = 1, 20 do
    if attempt > 1 then sh.sleep(0.05) end
    k1 = fsx.outcome("/proc/" .. rel)
    ours = fsx.outcome(host_mount():path(rel))
    local k2 = fsx.outcome("/proc/" .. rel)
    if ours == k1 or ours == k2 or between(k1, ours, k2) then return end
  end
  lu.fail(rel .. ": " .. compare.describe(k1, ours))
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

------------------------------------------------------------------------------
-- Tools over the host, in a private mount namespace, against the same tool
-- on the kernel's /proc.

TestHostTools = {}

local function native(argv)
  local cmd = {}
  for _, w in ipairs(prun.TOOL_ENV) do cmd[#cmd + 1] = w end
  for _, w in ipairs(argv) do cmd[#cmd + 1] = w end
  return sh.run(cmd)
end

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

function TestHostTools.test_cat_swaps_and_psutil_swap_memory()
  same_as_native { "cat", "/proc/swaps" }
  -- sin and sout come from vmstat; a missing vmstat makes psutil warn on stderr
  local argv = { PYTHON, "-W", "error", "-c",
                 "import psutil; s = psutil.swap_memory(); print(s.total, s.sin, s.sout)" }
  local want, got = native(argv), prun.tool(F().rundir, {}, argv)
  lu.assertEquals(got.code, 0, got.err)
  lu.assertEquals(got.out, want.out)
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
  local out, pos = {}, 1
  while true do
    local s, e, name = r.out:find("== (%S+)\n", pos)
    if not s then break end
    local nexts = r.out:find("\n== ", e, true)
    out[name] = r.out:sub(e + 1, nexts or #r.out)
    pos = nexts and nexts + 1 or #r.out + 1
  end
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

function TestWorldTools.test_sysctl_and_swaps()
  prun.assert_text(in_world { "sysctl", "kernel.cap_last_cap", "vm.overcommit_memory", "net.core.somaxconn" },
    "kernel.cap_last_cap = 40\nvm.overcommit_memory = 0\nnet.core.somaxconn = 4096\n", "sysctl")
  prun.assert_text(in_world { "cat", "/proc/swaps" }, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n",
                   "cat /proc/swaps")
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
