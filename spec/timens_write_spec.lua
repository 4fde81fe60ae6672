-- Writes to timens_offsets: a world's task's by the kernel's rules
-- (core/write/timens.c), checked against the host's kernel (6.18).
--
-- Differential: generated inputs (both clocks by name and number, names
-- cut or glued to the seconds, numbers signed, wrapped past 2^64, with
-- leading zeros and junk after; whitespace of every kind the kernel's
-- isspace knows, 0xa0 included; one to three lines, blank lines, a NUL;
-- writes near and past a page; a second write on the handle; a handle
-- root opened, written by uid 65534) are written by
-- spec/helpers/sysctlw.c once to the kernel's own file of a process that
-- made a time namespace and has not forked since (spec/helpers/timens.c)
-- and once to a world task's through a proclua mount, each case after
-- both clocks were reset to 0 0: the same count or errno for each write
-- and the same bytes read back.
--
-- Seconds whose sum with the clock now lands between the kernel's bounds
-- on one side and not the other (the host's monotonic clock and the
-- world's uptime differ) are left out: negative seconds are -1 or below
-- -KTIME_SEC_MAX / 2, positive ones small or past KTIME_SEC_MAX / 2.
-- Empty writes are left out too: FUSE answers 0 for them without asking
-- the daemon, where the kernel parses nothing (EINVAL); and pwrite(2):
-- the kernel's seq_file takes it away (ESPIPE), where FUSE passes it on
-- as a write at that offset (EINVAL here, but for one at 0).
--
-- Then who may write: root without CAP_SYS_TIME is refused (EPERM), and a
-- namespace a task has entered is frozen (EACCES), after the range checks
-- (ERANGE first); a zombie's write is ESRCH; all against the kernel where
-- a process can stand for the case.
--
-- The seed is random per run and printed; PROCLUA_TIMENS_SEED replays it,
-- PROCLUA_TIMENS_INPUTS sets how many inputs.
local lu = require "luaunit"
local pl = require "proclua"
local fsx = require "fsx"
local mnt = require "mnt"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"
local writes = require "writes"


local INPUTS = tonumber(os.getenv("PROCLUA_TIMENS_INPUTS")) or 1500
local SEED = tonumber(os.getenv("PROCLUA_TIMENS_SEED")) or
  (os.time() * 1000 + math.floor(os.clock() * 1e6)) % 2147483647
print(("timens_write_spec: seed %d (PROCLUA_TIMENS_SEED=%d replays it)"):format(SEED, SEED))
math.randomseed(SEED)
local R = math.random
local function pick(t) return t[R(#t)] end

local RESET = "monotonic 0 0\nboottime 0 0\n"

-- ------------------------------------------------------------------------
-- The generator.  A case is a list of steps: a string (write(2)), { bytes,
-- at = OFF } (pwrite(2)), or "drop" (become uid 65534, keeping the handle).

local CLOCKS = { "monotonic", "boottime", "1", "7", "monotonic", "boottime", "0", "2", "4",
  "MONOTONIC", "mono", "boot", "monotonicx", "boottimex", "boottime1", "monotonic1", "-1",
  "", "realtime", "\0", "monotonic\0" }
local SPACES = { " ", " ", " ", "\t", "  ", "\v", "\f", "\r", "\xa0", " \t ", "" }
local SECONDS = { "0", "1", "5", "1000", "86400", "123456", "-1", "-0", "+5", "-", "",
  "4000000000", "4611686018", "4611686019", "9223372036", "9223372037", "-9223372036",
  "-9223372037", "-5000000000", "99999999999999999999", "18446744073709551615",
  "18446744073709551616", "9223372036854775807", "9223372036854775808", "0x10", "007",
  "00000000000000000000001", "1e3", "5x" }
local NSECS = { "0", "0", "1", "999999999", "1000000000", "1000000001", "4294967296",
  "18446744073709551615", "18446744073709551614", "18446744072709551616",
  "18446744073709551621", "18446744073709551617", "-1", "+1", "-0", "0x5", "00000000005",
  "", "5 junk", "5junk", "5\0" .. "7" }

local function a_number(list)
  if R(4) == 1 then return tostring(R(0, 999999)) end
  return pick(list)
end

local function a_line()
  local k = R(10)
  local clock, sec, nsec = pick(CLOCKS), a_number(SECONDS), a_number(NSECS)
  if k == 1 then return pick(SPACES) .. clock .. pick(SPACES) .. sec end -- a field short
  if k == 2 then return clock .. sec .. pick(SPACES) .. nsec end         -- glued
  if k == 3 then return pick { "", " ", "\t", "\r", "x" } end
  local line = pick(SPACES) .. clock .. pick(SPACES) .. sec .. pick(SPACES) .. nsec
  if k == 4 then line = line .. pick { " ", " x", "\r", "\t7", "\xa0", " 5 6" } end
  return line
end

local function text()
  local lines = {}
  for i = 1, pick { 1, 1, 1, 2, 2, 2, 3 } do lines[i] = a_line() end
  local sep = pick { "\n", "\n", "\n", "\n\n", "\r\n" }
  return table.concat(lines, sep) .. pick { "\n", "\n", "", "\n\n", " \n" }
end

-- A write of some bytes: an empty write(2) never reaches the daemon (the
-- kernel's FUSE client answers it), where Linux's handler says EINVAL.
local function some_text()
  local t = text()
  return t == "" and "\n" or t
end

local function a_case()
  local k = R(30)
  if k == 1 then return { string.rep(" ", R(4070, 4094)) .. "monotonic 3 0" } end
  if k == 2 then return { "monotonic 3 0" .. string.rep(" ", R(4080, 4100)) } end
  if k == 3 then return { some_text(), some_text() } end
  if k == 6 then return { "drop", some_text() } end
  if k == 7 then return { "monotonic 1 2\nboottime 3 4\n" .. text() } end
  return { some_text() }
end

-- The answers of sysctlw (under the wrapper argv) to cases, written to path.
local function sysctlw(wrap, path, cases, no_reset)
  return writes.sysctlw(wrap, path, path, not no_reset and RESET or nil, cases)
end

local function same_answers(what, cases, ours, kernel)
  local bad = writes.differences(cases, ours, kernel)
  lu.assertEquals(bad, "", ("%s: the world differs from the kernel (seed %d):\n%s"):format(what, SEED, bad))
end

-- ------------------------------------------------------------------------
-- Fixture: the kernel's processes and the world's mount.

-- 2: a fresh namespace for children (no task in it); 3: one task 4 has
-- entered; 5: a zombie; 7: one a task entered that is a zombie now.
local WORLD = [[
local p = require "proclua"
return p.world {
  timens = { [4026532901] = { boottime = { 2000, 0 } } },
  tasks = {
    { pid = 1, comm = "init" },
    { pid = 2, comm = "unshared", ns = { time_for_children = 4026532900 } },
    { pid = 3, comm = "forked", ns = { time_for_children = 4026532901 } },
    { pid = 4, ppid = 3, comm = "entered", ns = { time = 4026532901, time_for_children = 4026532901 } },
    { pid = 5, comm = "zombie", zombie = true },
    -- a namespace whose only task is a zombie now: frozen all the same
    { pid = 6, comm = "exited", zombie = true, ns = { time = 4026532902 } },
    { pid = 7, comm = "parent", ns = { time_for_children = 4026532902 } },
  },
}
]]

local fixture = suite.once(function()
  local F = {}
  F.work = fsx.mktemp_dir("proclua-timens")
  suite.defer("remove " .. F.work, function() assert(fsx.remove_tree(F.work)) end)
  assert(sh.ok("chmod 755 " .. F.work))
  local started = {}
  suite.defer("end the namespace holders", function()
    for _, p in ipairs(started) do p:reap() end
  end)
  local function holder(name, args)
    local argv = { testenv.helper("timens") }
    for _, a in ipairs(args) do argv[#argv + 1] = a end
    local p = procs.spawn(argv, { stdout = F.work .. "/" .. name .. ".out", name = name })
    started[#started + 1] = p
    p:wait_output("^ready")
    return p
  end
  F.fresh = holder("fresh", {})
  F.entered = holder("entered", { "enter" })
  fsx.write(F.work .. "/world.lua", WORLD)
  F.mount = mnt.start { options = "allow_other", args = { "--world", F.work .. "/world.lua" } }
  suite.defer("unmount " .. F.mount.dir, function() return F.mount:stop() end)
  -- the host's tasks: a second holder, written through the mount
  F.fresh2 = holder("fresh2", {})
  F.host = mnt.start { options = "allow_other" }
  suite.defer("unmount " .. F.host.dir, function() return F.host:stop() end)
  return F
end)

local function kernel_path(p) return "/proc/" .. p.pid .. "/timens_offsets" end
local function world_path(pid) return fixture().mount:path(pid .. "/timens_offsets") end

-- ------------------------------------------------------------------------

TestTimensWrites = {}

function TestTimensWrites.test_generated_writes_are_the_kernels()
  local F = fixture()
  local cases = {}
  for i = 1, INPUTS do cases[i] = a_case() end
  local kernel = sysctlw(nil, kernel_path(F.fresh), cases)
  local ours = sysctlw(nil, world_path(2), cases)
  same_answers("timens_offsets", cases, ours, kernel)
  print(("timens_write_spec: %d generated writes compared"):format(#cases))
end

-- Cases every run makes, whatever the seed.
local FIXED = {
  { "monotonic 1000 0\nboottime 2000 0\n" },
  { "1 5 6\n7 -1 18446744073709551615\n" },           -- nsec wraps to -1: taken, shown
  { "monotonic 1 1\nboottime 2 2\nmonotonic 3 3\n" },  -- two taken, the count stops there
  { "monotonic1 2" },                                  -- %9s stops at nine bytes
  { "boottime1 2" },
  { "\xa0monotonic\xa05\xa06" },
  { "monotonic 5 1000000000" },
  { "monotonic 9223372037 0" }, { "monotonic -9223372036 0" }, { "boottime 4611686018 0" },
  { "monotonic 5 0\0boottime 6 0" },                  -- memdup_user_nul: the NUL ends it
  { "monotonic 5 0\n\n" },
  { "monotonic 5 0", "boottime 5 0" },                 -- the second write is not at 0
  { "drop", "boottime 9 9" },                          -- the opener's credentials count
  { string.rep(" ", 4082) .. "monotonic 3 0" },        -- 4095 bytes
  { string.rep(" ", 4083) .. "monotonic 3 0" },        -- a page
}

function TestTimensWrites.test_fixed_writes_are_the_kernels()
  local F = fixture()
  same_answers("timens_offsets (fixed)", FIXED, sysctlw(nil, world_path(2), FIXED),
    sysctlw(nil, kernel_path(F.fresh), FIXED))
end

-- A host task's file is written by its kernel: the same answers through
-- the mount as straight to /proc, the fixed cases and some generated ones.
function TestTimensWrites.test_host_writes_are_the_kernels()
  local F = fixture()
  local cases = {}
  for i, c in ipairs(FIXED) do cases[i] = c end
  for _ = 1, 300 do cases[#cases + 1] = a_case() end
  same_answers("timens_offsets (host)", cases,
    sysctlw(nil, F.host:path(F.fresh2.pid .. "/timens_offsets"), cases),
    sysctlw(nil, kernel_path(F.fresh), cases))
end

-- Root without CAP_SYS_TIME: EPERM, before the range checks; the value
-- stays.  A namespace a task entered: EACCES, after them.  A zombie: ESRCH.
function TestTimensWrites.test_who_may_write()
  local F = fixture()
  local cases = { { "monotonic 5 0\n" }, { "monotonic 9223372037 0\n" }, { "x 1 1\n" } }
  local nocap = { "setpriv", "--inh-caps=-sys_time", "--bounding-set=-sys_time", "--" }
  local kernel = sysctlw(nocap, kernel_path(F.fresh), cases, true)
  lu.assertEquals(kernel[1]:match("^%S+"), "write:EPERM")
  lu.assertEquals(kernel[2]:match("^%S+"), "write:EPERM")
  lu.assertEquals(kernel[3]:match("^%S+"), "write:EINVAL")
  local ours = sysctlw(nocap, world_path(2), cases, true)
  for i = 1, #cases do lu.assertEquals(ours[i]:match("^%S+"), kernel[i]:match("^%S+")) end
  -- frozen: no reset can be written, so no sysctlw: one write each
  local probe_bin = testenv.helper("probe")
  local function write(path, data, wrap)
    local argv = {}
    for _, w in ipairs(wrap or {}) do argv[#argv + 1] = w end
    for _, w in ipairs { probe_bin, "write", path, data } do argv[#argv + 1] = w end
    return sh.run(argv).out
  end
  for _, data in ipairs { "monotonic 5 0\n", "monotonic 9223372037 0\n", "boottime 1 2\n" } do
    local k = write(kernel_path(F.entered), data)
    lu.assertEquals(write(world_path(3), data), k, data)
    lu.assertEquals(write(world_path(4), data), k, data)
    lu.assertEquals(write(world_path(1), data), k, data) -- the initial namespace
    lu.assertEquals(write(world_path(3), data, nocap), write(kernel_path(F.entered), data, nocap))
  end
  lu.assertEquals(write(kernel_path(F.entered), "monotonic 5 0\n"), "write:EACCES\n")
  lu.assertEquals(fsx.read(world_path(3)), "monotonic           0         0\nboottime         2000         0\n")
  lu.assertEquals(write(world_path(5), "monotonic 5 0\n"), "write:ESRCH\n")
  lu.assertEquals(write(world_path(7), "monotonic 5 0\n"), "write:EACCES\n")
  lu.assertEquals(fsx.read(world_path(5)), "")
  -- uid 65534 may not open it (0644, root's)
  local nobody = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--" }
  lu.assertEquals(write(world_path(2), "monotonic 5 0\n", nobody),
    write(kernel_path(F.fresh), "monotonic 5 0\n", nobody))
end

-- What a world declares, and what a write leaves, as the file shows it:
-- every task whose namespace for children it is shows the same offsets.
function TestTimensWrites.test_offsets_are_the_namespaces()
  local F = fixture()
  lu.assertEquals(fsx.read(world_path(4)), "monotonic           0         0\nboottime         2000         0\n")
  lu.assertEquals(fsx.read(world_path(1)), "monotonic           0         0\nboottime            0         0\n")
  local mode = sh.run({ "stat", "-c", "%a", world_path(2) }).out
  lu.assertEquals(mode, "644\n")
  local t = F.mount:path("2/task/2")
  lu.assertFalse(fsx.exists(t .. "/timens_offsets"))
end

-- A world's declaration: per namespace, a clock left out is 0 0; values
-- the kernel could not hold, and offsets of the initial namespace, are
-- errors; a zombie shows none.
function TestTimensWrites.test_declared_offsets()
  local w = pl.world {
    timens = { [4026532950] = { monotonic = { -5, 999999999 } } },
    tasks = { { pid = 1 }, { pid = 2, ns = { time_for_children = 4026532950 } },
              { pid = 3, ns = { time_for_children = 4026532951 } }, { pid = 4, zombie = true } } }
  lu.assertEquals(w:format("timens_offsets", 2),
    "monotonic          -5 999999999\nboottime            0         0\n")
  lu.assertEquals(w:format("timens_offsets", 3),
    "monotonic           0         0\nboottime            0         0\n")
  lu.assertEquals(w:format("timens_offsets", 4), "")
  for _, bad in ipairs {
    { [4026532950] = { monotonic = { 1, 1000000000 } } },
    { [4026532950] = { boottime = { 9223372037, 0 } } },
    { [4026532950] = { realtime = { 1, 0 } } },
    { [4026532950] = { monotonic = 5 } },
    { [4026531834] = { monotonic = { 1, 0 } } },
    { monotonic = { 1, 0 } },
  } do
    local ok, err = pcall(pl.world, { timens = bad, tasks = { { pid = 1 } } })
    lu.assertFalse(ok)
    lu.assertStrContains(err, "timens")
  end
end

suite.run()
