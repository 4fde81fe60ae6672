-- Writes to sys/: a world's settings by the kernel's rules, a host's by the
-- kernel itself, each checked against the host's kernel (6.18).
--
-- World (differential): generated inputs (numbers in every range the
-- settings bound, at and past the bounds, 2^31, 2^63, 2^64; hex, octal,
-- "0x" with nothing after it, 08; signs, "-" alone, "-0", "+5"; leading and
-- trailing whitespace of every kind the kernel's isspace knows, 0xa0
-- included; trailing junk, NULs; several values; leading zeros up to the
-- kernel's 21-character limit; runs of whitespace past a page; empty
-- writes; writes at an offset; two writes on one handle) are written by
-- spec/helpers/sysctlw.c once to the kernel's own file in a throwaway
-- namespace (net.core.somaxconn, net.ipv4.ip_forward,
-- net.ipv4.ip_local_port_range, kernel.hostname in fresh network and UTS
-- namespaces, kernel.pid_max in a fresh pid namespace,
-- user.max_user_namespaces in a fresh user namespace) and once to the
-- world's setting through a proclua mount: the same count or errno for
-- each write and the same bytes read back, every time.  The settings a
-- namespace cannot hold (vm.*, fs.*, kernel.threads-max, ...) are checked
-- against a namespaced setting of the same handler: against one of the
-- same handler and bounds directly (vm.max_map_count against somaxconn,
-- kernel.perf_event_paranoid against ip_forward), the others against an
-- unbounded one (ip_forward for proc_dointvec_minmax,
-- net.ipv4.tcp_comp_sack_delay_ns for proc_doulongvec_minmax,
-- kernel.hostname for proc_dostring) with the setting's own bounds applied
-- to what the kernel parsed: a value the kernel took is taken where in the
-- bounds and EINVAL (nothing changed) past them.
--
-- Then who may write (root, root without CAP_NET_ADMIN, uid 65534 with and
-- without CAP_NET_ADMIN, CAP_SYS_ADMIN or CAP_SYS_RESOURCE, group 0, a
-- handle root opened and uid 65534 writes), against the kernel where a
-- namespace holds the setting, and the exact bytes of a world's settings
-- after writes its handlers alone decide (Yama's lock, core_pattern's
-- socket form, the bounds of each global setting).
--
-- Host: through a mount whose daemon runs in network and UTS namespaces
-- of its own, a root writer in fresh network, UTS and pid namespaces gets
-- the kernel's answers, and its writes land in its own namespaces (the
-- host's settings and the daemon's are never written: pid_max and
-- user.max_user_namespaces, whose namespaces the daemon shares with the
-- host, are written only with the host's own value, which differs from
-- the fresh namespace's); the host's global settings get only their
-- current value and malformed writes, by root; uid 65534 gets EACCES where
-- the kernel gives it, and a user in a user and network namespace of its
-- own writes its own somaxconn.
--
-- The seed is random per run and printed; PROCLUA_SYSCTL_SEED replays a
-- run, PROCLUA_SYSCTL_INPUTS sets the generated inputs per setting.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"
local writes = require "writes"

local hex = writes.hex
local show = writes.case_text

-- Whether this spec's processes (root, as the machine leaves it: some
-- containers take CAP_SYS_RESOURCE from root) hold a capability.
local function root_holds(cap)
  local eff = assert(fsx.read("/proc/self/status")):match("\nCapEff:\t(%x+)")
  return (tonumber(eff, 16) >> cap) & 1 == 1
end
local CAP_SYS_RESOURCE = 24

local PER_SETTING = tonumber(os.getenv("PROCLUA_SYSCTL_INPUTS")) or 800
local SEED = tonumber(os.getenv("PROCLUA_SYSCTL_SEED")) or
  (os.time() * 1000 + math.floor(os.clock() * 1e6)) % 2147483647
print(("sysctl_write_spec: seed %d (PROCLUA_SYSCTL_SEED=%d replays it)"):format(SEED, SEED))
math.randomseed(SEED)
local R = math.random
local function pick(t) return t[R(#t)] end

-- ------------------------------------------------------------------------
-- The generator.  A case is a list of steps: a string (write(2)), or
-- { bytes, at = OFF } (pwrite(2)).

local SPACES = { " ", "\t", "\n", "\v", "\f", "\r", "\xa0", "  ", " \t " }
local JUNK = { "x", ".0", ",", ";", "\0", "-", "+", "0x", "e3", "\0" .. "5", "k", "\xa0" }
local NUMBERS = {
  "0", "1", "2", "3", "4", "7", "60", "63", "64", "65", "100", "199", "200", "201", "300", "301",
  "1023", "1024", "1025", "4096", "32767", "32768", "60999", "65535", "65536", "1048576",
  "4194303", "4194304", "4194305", "1073741823", "1073741824", "2147483583", "2147483584",
  "2147483585", "2147483646", "2147483647", "2147483648", "2147483649", "4294967295",
  "4294967296", "9223372036854775806", "9223372036854775807", "9223372036854775808",
  "18446744073709551615", "18446744073709551616", "99999999999999999999",
  "123456789012345678901234",
}

local function a_number()
  local k = R(10)
  if k <= 5 then return pick(NUMBERS) end
  if k == 6 then return tostring(R(0, 300)) end
  if k == 7 then return tostring(R(0, 70000)) end
  if k == 8 then return ("0x%x"):format(R(0, 1 << 31)) end
  if k == 9 then return ("0%o"):format(R(0, 5000)) end
  return tostring(R(0, 1 << 62))
end

-- A number as a write may spell it.
local function spelled(n)
  local k = R(14)
  if k <= 5 then return n end
  if k == 6 then return "-" .. n end
  if k == 7 then return pick { "+", "--", "-+", "- ", "0x", "0X", "00" } .. n end
  if k == 8 then return string.rep("0", R(0, 22)) .. n end
  if k == 9 then return ("0x%x"):format(math.tointeger(tonumber(n)) or 0) end
  if k == 10 then return ("0X%X"):format(R(0, 65535)) end
  if k == 11 then return pick { "08", "09", "0x", "0xg", "0x1g", "019", "0b1", "00x5", "0x0x5" } end
  if k == 12 then return n .. pick(JUNK) end
  if k == 13 then return pick { "", "-", "+", "x", "\0", "-0", "--0", " " } end
  return n:sub(1, R(1, #n))
end

local function spaced(s)
  local k = R(8)
  if k <= 3 then return s .. "\n" end
  if k == 4 then return s end
  if k == 5 then return pick(SPACES) .. s .. pick(SPACES) end
  if k == 6 then return string.rep(pick(SPACES), R(1, 30)) .. s .. pick { "\n", "", " \n" } end
  if k == 7 then return s .. pick(SPACES) .. pick(JUNK) end
  return s .. pick { "\n\n", "\n5", " 5\n", "\t\n", "\r\n" }
end

-- The bytes of one write of n values.
local function numbers_text(n)
  local parts = {}
  for i = 1, n + (R(4) == 1 and 1 or 0) - (R(6) == 1 and 1 or 0) do
    parts[#parts + 1] = spelled(a_number())
  end
  local sep = pick { " ", "\t", "\n", "  ", " \t", "," }
  return spaced(table.concat(parts, sep))
end

-- A case for a setting of n numbers.
local function number_case(n)
  local k = R(40)
  if k == 1 then return { "" } end
  if k == 2 then return { string.rep(pick(SPACES), R(4000, 4200)) .. "5\n" } end
  if k == 3 then return { "5" .. string.rep(" ", R(4090, 5000)) } end
  if k == 4 then return { "5" .. string.rep(" ", R(4090, 4100)) .. "x" } end
  if k == 5 then return { string.rep(" ", R(4085, 4100)) .. "12345\n" } end
  if k == 6 then return { numbers_text(n), { numbers_text(n), at = R(1, 3) } } end
  if k == 7 then return { { numbers_text(n), at = pick { 1, 2, 5, 4096 } } } end
  if k == 8 then return { numbers_text(n), numbers_text(n) } end
  if k == 9 then return { string.rep("0", R(17, 22)) .. tostring(R(1, 9)) } end
  if k == 10 then return { "-" .. string.rep("0", R(17, 21)) .. tostring(R(1, 9)) .. "\n" } end
  if k == 11 then return { numbers_text(n), { "7\n", at = 0 } } end
  return { numbers_text(n) }
end

local LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789-._/@% |"
local function a_word(max)
  local t = {}
  for i = 1, R(0, max) do
    local j = R(#LETTERS)
    t[i] = LETTERS:sub(j, j)
  end
  return table.concat(t)
end

local function text_case()
  local k = R(16)
  local w = a_word(pick { 8, 20, 60, 63, 64, 65, 70, 130 })
  if k == 1 then return { "" } end
  if k == 2 then return { w .. "\n" .. a_word(8) } end
  if k == 3 then return { w .. "\0" .. a_word(8) } end
  if k == 4 then return { { a_word(6), at = R(0, 6) } } end
  if k == 5 then return { a_word(10), { a_word(6), at = R(0, 14) } } end
  if k == 6 then return { a_word(10), a_word(10) } end
  if k == 7 then return { string.rep("y", R(60, 70)), { "Q", at = R(60, 70) } } end
  if k == 8 then return { "\n" } end
  if k == 9 then return { pick(SPACES) .. w .. pick(SPACES) } end
  if k == 10 then return { { w, at = pick { 3, 4, 100 } } } end
  return { w .. pick { "\n", "", "\n\n" } }
end

-- ------------------------------------------------------------------------
-- Running sysctlw

local sysctlw, parse, shown = writes.sysctlw, writes.answer, writes.shown

-- Compare two runs case by case; returns the count compared.
local function same_answers(what, cases, ours, kernel)
  local bad = writes.differences(cases, ours, kernel)
  lu.assertEquals(bad, "", ("%s: the world differs from the kernel (seed %d):\n%s"):format(what, SEED, bad))
  return #cases
end

local compared = {}
local function count(what, n) compared[#compared + 1] = ("%s %d"):format(what, n) end

-- ------------------------------------------------------------------------
-- Fixtures

local RESETS = {
  somaxconn = "4096\n", ip_forward = "0\n", port_range = "32768 60999\n", hostname = "box\n",
  pid_max = "32768\n", max_userns = "1000\n", unbounded_int = "-123456789\n",
  unbounded_ulong = "987654321\n",
}

local WORLD = [[
local p = require "proclua"
return p.world {
  machine = { hostname = "box", pid_max = 32768,
              sysctl = { ["kernel.yama.ptrace_scope"] = 1 } },
  tasks = { { pid = 1, comm = "init" } },
}
]]

local fixture = suite.once(function()
  local F = {}
  F.work = fsx.mktemp_dir("proclua-sysctl")
  suite.defer("remove " .. F.work, function() assert(fsx.remove_tree(F.work)) end)
  assert(sh.ok("chmod 755 " .. F.work))
  local world = F.work .. "/world.lua"
  fsx.write(world, WORLD)
  -- the stock layout: its sys/ holds what the world declares (Yama's too)
  F.world = mnt.start { options = "allow_other", args = { "--world", world } }
  suite.defer("unmount " .. F.world.dir, function() return F.world:stop() end)
  return F
end)

local host_fixture = suite.once(function()
  local F = {}
  -- the daemon in network and UTS namespaces of its own: a write that
  -- landed in the daemon's namespaces would land in none of the host's
  F.mount = mnt.start { options = "allow_other",
                        command = { "unshare", "-n", "-u", testenv.bin(), "-f" } }
  suite.defer("unmount " .. F.mount.dir, function() return F.mount:stop() end)
  return F
end)

local function W(rel) return fixture().world:path("sys/" .. rel) end

-- The world's answers to `cases` for setting rel (reset through the mount).
local function world_run(rel, reset, cases, wrap)
  return sysctlw(wrap, W(rel), W(rel), reset, cases)
end

-- The kernel's, for /proc/sys/rel in fresh namespaces (unshare's options).
local function kernel_run(ns, rel, reset, cases, wrap)
  local argv = { "unshare" }
  for _, o in ipairs(ns) do argv[#argv + 1] = o end
  for _, w in ipairs(wrap or {}) do argv[#argv + 1] = w end
  return sysctlw(argv, "/proc/sys/" .. rel, "/proc/sys/" .. rel, reset, cases)
end

local function generate(maker, n)
  local cases = {}
  for i = 1, n do cases[i] = maker() end
  return cases
end

-- The kernel's answers for a bounded twin of an unbounded setting: what
-- the unbounded one took is taken within [lo, hi], else EINVAL with the
-- value left as `reset` was; only cases of one write.
local function bounded(kernel_lines, kernel_reset, lo, hi, reset, cases, unsigned)
  local out = {}
  for i, line in ipairs(kernel_lines) do
    local p = parse(line)
    if #cases[i] ~= 1 or not p.value then
      out[i] = false
    elseif not p.results[1]:match("^OK") or p.value == kernel_reset then
      out[i] = table.concat(p.results, " ") .. " = " .. hex(reset)
    else
      local v = p.value:match("^(%-?%d+)\n$")
      local inside
      if unsigned then
        -- compare decimal strings as unsigned 64-bit numbers
        local function cmp(a, b)
          if #a ~= #b then return #a < #b and -1 or 1 end
          return a < b and -1 or a > b and 1 or 0
        end
        inside = cmp(v, tostring(lo)) >= 0 and cmp(v, tostring(hi)) <= 0
      else
        local x = math.tointeger(tonumber(v))
        inside = x >= lo and x <= hi
      end
      out[i] = inside and line or ("write:EINVAL = " .. hex(reset))
    end
  end
  return out
end

-- The same for proc_douintvec_minmax (fs.nr_open): no sign, not even
-- "-0", and the whole write's count once a value is taken.
local function bounded_uint(kernel_lines, kernel_reset, lo, hi, reset, cases)
  local out = bounded(kernel_lines, kernel_reset, lo, hi, reset, cases)
  for i, line in ipairs(out) do
    local step = cases[i][1]
    local bytes = type(step) == "table" and step[1] or step
    if line and type(step) == "string" and line:match("^OK") then
      local first = bytes:match("^[ \t\n\v\f\r\xa0]*(.?)")
      if first == "-" and parse(kernel_lines[i]).value ~= kernel_reset then
        out[i] = "write:EINVAL = " .. hex(reset)
      else
        out[i] = line:gsub("^OK:%d+", "OK:" .. #bytes)
      end
    end
  end
  return out
end

local function same_bounded(what, cases, ours, expected)
  local n, bad = 0, {}
  for i = 1, #cases do
    if expected[i] then
      n = n + 1
      if ours[i] ~= expected[i] and #bad < 8 then
        bad[#bad + 1] = ("  %s\n    kernel's rule: %s\n    proclua:       %s"):format(show(cases[i]),
          shown(expected[i]), shown(ours[i]))
      end
    end
  end
  lu.assertEquals(#bad, 0, ("%s: the world differs from the kernel's parse (seed %d):\n%s"):format(
    what, SEED, table.concat(bad, "\n")))
  return n
end

-- ------------------------------------------------------------------------
-- World: the differential

TestWorldDifferential = {}

function TestWorldDifferential.test_somaxconn_and_max_map_count()
  local cases = generate(function() return number_case(1) end, PER_SETTING)
  local kernel = kernel_run({ "-n" }, "net/core/somaxconn", RESETS.somaxconn, cases)
  count("net.core.somaxconn", same_answers("net.core.somaxconn", cases,
    world_run("net/core/somaxconn", RESETS.somaxconn, cases), kernel))
  -- proc_dointvec_minmax from 0 up, as somaxconn
  count("vm.max_map_count", same_answers("vm.max_map_count (as somaxconn)", cases,
    world_run("vm/max_map_count", RESETS.somaxconn, cases), kernel))
end

function TestWorldDifferential.test_ip_forward_and_perf_event_paranoid()
  local cases = generate(function() return number_case(1) end, PER_SETTING)
  local kernel = kernel_run({ "-n" }, "net/ipv4/ip_forward", RESETS.ip_forward, cases)
  count("net.ipv4.ip_forward", same_answers("net.ipv4.ip_forward", cases,
    world_run("net/ipv4/ip_forward", RESETS.ip_forward, cases), kernel))
  -- proc_dointvec, no bounds, as ip_forward (root holds CAP_NET_ADMIN)
  count("kernel.perf_event_paranoid", same_answers("kernel.perf_event_paranoid (as ip_forward)",
    cases, world_run("kernel/perf_event_paranoid", RESETS.ip_forward, cases), kernel))
end

function TestWorldDifferential.test_ip_local_port_range()
  local cases = generate(function()
    if R(3) == 1 then
      -- values a port range takes, so the order and floor rules decide
      local a, b = R(900, 65600), R(900, 65600)
      return { spaced(a .. pick { " ", "\t", "  " } .. b) }
    end
    return number_case(2)
  end, PER_SETTING)
  local kernel = kernel_run({ "-n" }, "net/ipv4/ip_local_port_range", RESETS.port_range, cases)
  count("net.ipv4.ip_local_port_range", same_answers("net.ipv4.ip_local_port_range", cases,
    world_run("net/ipv4/ip_local_port_range", RESETS.port_range, cases), kernel))
end

function TestWorldDifferential.test_hostname()
  local cases = generate(text_case, PER_SETTING)
  local kernel = kernel_run({ "-u" }, "kernel/hostname", RESETS.hostname, cases)
  count("kernel.hostname", same_answers("kernel.hostname", cases,
    world_run("kernel/hostname", RESETS.hostname, cases), kernel))
  -- proc_dostring with room for 127 bytes, as hostname's 64 where neither
  -- is full, where no write has an "@" (a coredump socket's pattern, which
  -- test_core_pattern checks)
  local ours = world_run("kernel/core_pattern", RESETS.hostname, cases)
  local n, bad = 0, {}
  for i, line in ipairs(kernel) do
    local p = parse(line)
    local at = false
    for _, step in ipairs(cases[i]) do
      at = at or (type(step) == "string" and step or step[1]):find("@", 1, true) ~= nil
    end
    if p.value and #p.value < 64 and not at then
      n = n + 1
      if ours[i] ~= line and #bad < 8 then
        bad[#bad + 1] = ("  %s\n    kernel:  %s\n    proclua: %s"):format(show(cases[i]), shown(line),
          shown(ours[i]))
      end
    end
  end
  lu.assertEquals(#bad, 0, "kernel.core_pattern (as hostname):\n" .. table.concat(bad, "\n"))
  count("kernel.core_pattern", n)
end

function TestWorldDifferential.test_pid_max()
  local cases = generate(function() return number_case(1) end, PER_SETTING)
  local kernel = kernel_run({ "-p", "-f" }, "kernel/pid_max", RESETS.pid_max, cases)
  count("kernel.pid_max", same_answers("kernel.pid_max", cases,
    world_run("kernel/pid_max", RESETS.pid_max, cases), kernel))
end

function TestWorldDifferential.test_max_user_namespaces()
  local cases = generate(function() return number_case(1) end, PER_SETTING)
  if not root_holds(CAP_SYS_RESOURCE) then
    -- set_permissions: without CAP_SYS_RESOURCE over the namespace, root
    -- too may only read it, the world's (the top's) as the host's own
    local case = { { "1000\n" } }
    lu.assertEquals(parse(sysctlw(nil, W("user/max_user_namespaces"), W("user/max_user_namespaces"),
      nil, case)[1]).results, { "open:EACCES" })
    lu.assertEquals(parse(sysctlw(nil, "/proc/sys/user/max_user_namespaces",
      "/proc/sys/user/max_user_namespaces", nil, case)[1]).results, { "open:EACCES" })
    print("sysctl_write_spec: root holds no CAP_SYS_RESOURCE here: user.max_user_namespaces " ..
      "is refused, as the kernel refuses it; its parse is file-max's (proc_doulongvec_minmax)")
    return
  end
  local kernel = kernel_run({ "-U", "-r" }, "user/max_user_namespaces", RESETS.max_userns, cases)
  count("user.max_user_namespaces", same_answers("user.max_user_namespaces", cases,
    world_run("user/max_user_namespaces", RESETS.max_userns, cases), kernel))
end

-- proc_dointvec_minmax settings no namespace holds: the kernel's parse
-- (ip_forward, unbounded) with each one's bounds.
function TestWorldDifferential.test_int_settings_by_their_bounds()
  local cases = generate(function() return number_case(1) end, PER_SETTING)
  local kreset = RESETS.unbounded_int
  local kernel = kernel_run({ "-n" }, "net/ipv4/ip_forward", kreset, cases)
  for _, s in ipairs {
    { "vm/swappiness", 0, 200, "60\n" },
    { "vm/overcommit_memory", 0, 2, "1\n" },
    { "kernel/threads-max", 1, 0x3fffffff, "1000\n" },
    { "kernel/yama/ptrace_scope", 0, 3, "1\n" },
    { "kernel/pid_max", 301, 4194304, "32768\n" },
  } do
    local these, theirs = cases, kernel
    if s[1] == "kernel/yama/ptrace_scope" then
      -- once at 3, Yama's setting stays 3 (test_yama_locks_at_its_maximum):
      -- not the cases that would write it (of one write: the others are
      -- not compared, but would be written)
      these, theirs = {}, {}
      for i, line in ipairs(kernel) do
        if #cases[i] == 1 and parse(line).value ~= "3\n" then
          these[#these + 1], theirs[#theirs + 1] = cases[i], line
        end
      end
    end
    local ours = world_run(s[1], s[4], these)
    count(s[1], same_bounded(s[1], these, ours, bounded(theirs, kreset, s[2], s[3], s[4], these)))
  end
  -- fs.nr_open is proc_douintvec_minmax's
  local ours = world_run("fs/nr_open", "1048576\n", cases)
  count("fs/nr_open", same_bounded("fs/nr_open", cases, ours,
    bounded_uint(kernel, kreset, 64, 2147483584, "1048576\n", cases)))
end

-- proc_doulongvec_minmax settings: the kernel's parse
-- (tcp_comp_sack_delay_ns, unbounded) with each one's bounds.
function TestWorldDifferential.test_ulong_settings_by_their_bounds()
  local cases = generate(function() return number_case(1) end, PER_SETTING)
  local kreset = RESETS.unbounded_ulong
  local kernel = kernel_run({ "-n" }, "net/ipv4/tcp_comp_sack_delay_ns", kreset, cases)
  for _, s in ipairs {
    { "fs/file-max", 0, "9223372036854775807", "8192\n" },
    { "fs/inotify/max_user_watches", 0, "2147483647", "8192\n" },
    { "fs/inotify/max_user_instances", 0, "2147483647", "128\n" },
    root_holds(CAP_SYS_RESOURCE) and { "user/max_user_namespaces", 0, "2147483647", "1000\n" } or nil,
  } do
    local ours = world_run(s[1], s[4], cases)
    count(s[1], same_bounded(s[1], cases, ours,
      bounded(kernel, kreset, s[2], s[3], s[4], cases, true)))
  end
end

-- The global settings the host's kernel can answer for without a change:
-- their current value v, spelled in ways the kernel takes, and malformed
-- writes, which change nothing.  (A second write(2) on a handle writes v
-- again: fs.nr_open's handler leaves the position at 0.)
local GLOBAL_INTS = { "vm/swappiness", "vm/overcommit_memory", "vm/max_map_count",
                      "fs/file-max", "fs/nr_open", "kernel/threads-max",
                      "kernel/perf_event_paranoid", "fs/inotify/max_user_watches",
                      "fs/inotify/max_user_instances" }

local function safe_cases(v)
  local x = math.tointeger(tonumber(v))
  return {
    { v .. "\n" }, { v }, { "  " .. v .. "\n" }, { v .. " " .. v }, { v .. "\tjunk" },
    { (x < 0 and "-" or "") .. ("0x%x"):format(math.abs(x)) }, { v .. "x" }, { "x" .. v },
    { "" }, { "\n" }, { "-" }, { "99999999999999999999" }, { "0x" }, { v .. "\0" .. "1" },
    { { "1", at = 1 } }, { v .. "\n", v }, { string.rep(" ", 5000) .. v }, { v .. "\r" },
    { "\xa0" .. v }, { "+" .. v },
  }
end

-- The world's, from the host's value, against the host's kernel: the
-- handlers of the settings no namespace holds, on what can be asked of
-- them.
function TestWorldDifferential.test_global_settings_against_the_host()
  local n = 0
  for _, rel in ipairs(GLOBAL_INTS) do
    local v = assert(fsx.read("/proc/sys/" .. rel)):match("^(%-?%d+)\n$")
    local cases = safe_cases(v)
    if rel == "fs/nr_open" then
      cases[16] = { v .. "\n" } -- the kernel's position stays at 0 there; FUSE's moves
    end
    local kernel = sysctlw(nil, "/proc/sys/" .. rel, "/proc/sys/" .. rel, nil, cases)
    n = n + same_answers(rel .. " (against the host's)", cases, world_run(rel, v .. "\n", cases), kernel)
    lu.assertEquals(fsx.read("/proc/sys/" .. rel), v .. "\n", "the host's " .. rel)
  end
  count("global settings against the host", n)
end

-- ------------------------------------------------------------------------
-- World: who may write, against the kernel where a namespace holds it

local USER = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups" }
local function with(base, more)
  local t = {}
  for _, w in ipairs(base) do t[#t + 1] = w end
  for _, w in ipairs(more) do t[#t + 1] = w end
  t[#t + 1] = "--"
  return t
end
local WRITERS = {
  root = { "env" },
  root_without_net_admin = with({ "setpriv" }, { "--bounding-set=-net_admin" }),
  root_without_sys_admin = with({ "setpriv" }, { "--bounding-set=-sys_admin" }),
  user = with(USER, {}),
  user_in_group_0 = with({ "setpriv", "--reuid=65534", "--regid=0", "--clear-groups" }, {}),
  user_with_net_admin = with(USER, { "--inh-caps=+net_admin", "--ambient-caps=+net_admin" }),
  user_with_sys_admin = with(USER, { "--inh-caps=+sys_admin", "--ambient-caps=+sys_admin" }),
  user_with_sys_resource = with(USER, { "--inh-caps=+sys_resource", "--ambient-caps=+sys_resource" }),
}
local WRITER_ORDER = { "root", "root_without_net_admin", "root_without_sys_admin", "user",
                       "user_in_group_0", "user_with_net_admin", "user_with_sys_admin" }
if root_holds(CAP_SYS_RESOURCE) then WRITER_ORDER[#WRITER_ORDER + 1] = "user_with_sys_resource" end

TestWorldPermissions = {}

function TestWorldPermissions.test_namespaced_settings_as_the_kernel()
  local n = 0
  for _, s in ipairs {
    { { "-n" }, "net/core/somaxconn", "1000\n" },
    { { "-n" }, "net/ipv4/ip_forward", "1\n" },
    { { "-n" }, "net/ipv4/ip_local_port_range", "2000 3000\n" },
    { { "-u" }, "kernel/hostname", "other\n" },
    { { "-p", "-f" }, "kernel/pid_max", "5000\n" },
  } do
    -- a write, and a handle root opens and uid 65534 writes
    local cases = { { s[3] }, { "drop", s[3] } }
    for _, who in ipairs(WRITER_ORDER) do
      local wrap = WRITERS[who]
      local kernel = kernel_run(s[1], s[2], nil, cases, wrap)
      local ours = sysctlw(wrap, W(s[2]), W(s[2]), nil, cases)
      for i = 1, #cases do
        -- the value read back is each side's own; the answers must agree
        lu.assertEquals(parse(ours[i]).results, parse(kernel[i]).results,
          ("%s by %s: %s"):format(s[2], who, show(cases[i])))
      end
      n = n + #cases
    end
  end
  count("writer x setting permission cases", n)
end

-- Settings no namespace holds: the kernel's rules, stated.
function TestWorldPermissions.test_global_settings()
  local function answer(who, rel, case)
    return parse(sysctlw(WRITERS[who], W(rel), W(rel), nil, { case })[1]).results
  end
  -- read-only entries refuse root too, whatever the layout says
  for _, rel in ipairs { "kernel/cap_last_cap", "kernel/ngroups_max", "fs/file-nr",
                         "kernel/random/boot_id", "kernel/random/entropy_avail",
                         "kernel/random/poolsize", "kernel/random/uuid" } do
    lu.assertEquals(answer("root", rel, { "5\n" }), { "open:EACCES" }, rel)
  end
  for _, rel in ipairs { "vm/swappiness", "vm/overcommit_memory", "fs/file-max", "fs/nr_open",
                         "kernel/threads-max", "kernel/core_pattern",
                         "fs/inotify/max_user_watches" } do
    -- no capability counts for a global entry: uid 65534 and group 0 read only
    for _, who in ipairs { "user", "user_in_group_0", "user_with_sys_admin", "user_with_net_admin" } do
      lu.assertEquals(answer(who, rel, { "100\n" }), { "open:EACCES" }, rel .. " by " .. who)
    end
    -- a handle root opened, written by uid 65534: EPERM at the write
    lu.assertEquals(answer("root", rel, { "drop", "100\n" }), { "OK:drop", "write:EPERM" }, rel)
  end
  -- user.*: CAP_SYS_RESOURCE over the user namespace opens it to anyone;
  -- without it, to no one
  local users = "user/max_user_namespaces"
  for _, who in ipairs { "user", "user_in_group_0", "user_with_sys_admin" } do
    lu.assertEquals(answer(who, users, { "100\n" }), { "open:EACCES" }, users .. " by " .. who)
  end
  if root_holds(CAP_SYS_RESOURCE) then
    lu.assertEquals(answer("user_with_sys_resource", users, { "100\n" }), { "OK:4" })
    lu.assertEquals(answer("user_with_sys_resource", "vm/swappiness", { "100\n" }), { "open:EACCES" })
    lu.assertEquals(answer("root", users, { "drop", "100\n" }), { "OK:drop", "write:EPERM" })
  else
    lu.assertEquals(answer("root", users, { "100\n" }), { "open:EACCES" })
  end
  -- Yama: root without CAP_SYS_PTRACE is refused at the write
  local yama = W("kernel/yama/ptrace_scope")
  sysctlw(nil, yama, yama, "1\n", { {} })
  lu.assertEquals(parse(sysctlw(with({ "setpriv" }, { "--bounding-set=-sys_ptrace" }),
    yama, yama, nil, { { "2\n" } })[1]), { results = { "write:EPERM" }, value = "1\n" })
end

-- ------------------------------------------------------------------------
-- World: what the handlers alone decide, in exact bytes

TestWorldValues = {}

local function one(rel, reset, case)
  return parse(world_run(rel, reset, { case })[1])
end

function TestWorldValues.test_bounds_of_each_setting()
  for _, c in ipairs {
    { "vm/swappiness", "201\n", "write:EINVAL", "60\n" }, { "vm/swappiness", "200\n", "OK:4", "200\n" },
    { "vm/swappiness", " 0x10\n", "OK:6", "16\n" }, { "vm/swappiness", "-1", "write:EINVAL", "60\n" },
    { "vm/overcommit_memory", "3", "write:EINVAL", "60\n" },
    { "vm/overcommit_memory", "2 junk", "OK:2", "2\n" },
    { "kernel/threads-max", "0\n", "write:EINVAL", "60\n" },
    { "kernel/threads-max", "1073741823\n", "OK:11", "1073741823\n" },
    { "kernel/threads-max", "1073741824\n", "write:EINVAL", "60\n" },
    { "fs/nr_open", "63\n", "write:EINVAL", "60\n" },
    { "fs/nr_open", "2147483584\n", "OK:11", "2147483584\n" },
    { "fs/nr_open", "64 junk", "OK:7", "64\n" }, { "fs/nr_open", "-0", "write:EINVAL", "60\n" },
    { "fs/nr_open", "2147483585\n", "write:EINVAL", "60\n" },
    { "fs/file-max", "9223372036854775807\n", "OK:20", "9223372036854775807\n" },
    { "fs/file-max", "9223372036854775808\n", "write:EINVAL", "60\n" },
    { "fs/file-max", "-0\n", "write:EINVAL", "60\n" },
    { "fs/inotify/max_user_instances", "2147483648\n", "write:EINVAL", "60\n" },
    { "kernel/perf_event_paranoid", "-2147483648\n", "OK:12", "-2147483648\n" },
    { "kernel/pid_max", "300\n", "write:EINVAL", "60\n" },
    { "kernel/pid_max", "301\n", "OK:4", "301\n" },
    { "kernel/pid_max", "4194305\n", "write:EINVAL", "60\n" },
  } do
    local reset = c[1] == "kernel/pid_max" and "1000\n" or
                  c[1] == "vm/overcommit_memory" and "0\n" or
                  c[1] == "fs/nr_open" and "1048576\n" or "60\n"
    local expect_value = c[4] == "60\n" and reset or c[4]
    lu.assertEquals(one(c[1], reset, { c[2] }), { results = { c[3] }, value = expect_value },
      c[1] .. " <- " .. ("%q"):format(c[2]))
  end
  -- what a write left is what the machine's own files show
  one("kernel/pid_max", "4321\n", { "" })
  lu.assertEquals(fsx.read(fixture().world:path("sys/kernel/pid_max")), "4321\n")
  one("kernel/hostname", "renamed\n", { "" })
  local hostname = fixture().world:path("sys/kernel/hostname")
  lu.assertEquals(fsx.read(hostname), "renamed\n")
end

function TestWorldValues.test_yama_locks_at_its_maximum()
  local rel = "kernel/yama/ptrace_scope"
  lu.assertEquals(one(rel, "1\n", { "4\n" }), { results = { "write:EINVAL" }, value = "1\n" })
  lu.assertEquals(one(rel, "1\n", { "3\n" }), { results = { "OK:2" }, value = "3\n" })
  -- from 3, only 3
  lu.assertEquals(parse(world_run(rel, nil, { { "0\n" } })[1]),
    { results = { "write:EINVAL" }, value = "3\n" })
  lu.assertEquals(parse(world_run(rel, nil, { { "2\n" } })[1]),
    { results = { "write:EINVAL" }, value = "3\n" })
  lu.assertEquals(parse(world_run(rel, nil, { { "3\n" } })[1]), { results = { "OK:2" }, value = "3\n" })
end

function TestWorldValues.test_core_pattern()
  local rel = "kernel/core_pattern"
  for _, c in ipairs {
    { "|/usr/lib/systemd/systemd-coredump %P %u %g %s %t %c %h\n", "OK:56",
      "|/usr/lib/systemd/systemd-coredump %P %u %g %s %t %c %h\n" },
    { "@/run/coredump.socket\n", "OK:22", "@/run/coredump.socket\n" },
    { "@@/run/coredump.socket", "OK:22", "@@/run/coredump.socket\n" },
    { "@run/coredump.socket", "write:EINVAL", "core\n" },
    { "@@run", "write:EINVAL", "core\n" },
    { "@/run/../x", "write:EINVAL", "core\n" },
    { "@/" .. string.rep("s", 107), "write:EINVAL", "core\n" },
    { "@/" .. string.rep("s", 106), "OK:108", "@/" .. string.rep("s", 106) .. "\n" },
    { string.rep("c", 200), "OK:200", string.rep("c", 127) .. "\n" },
  } do
    lu.assertEquals(one(rel, "core\n", { c[1] }), { results = { c[2] }, value = c[3] },
      ("%q"):format(c[1]))
  end
  -- a write at an offset continues the pattern from there
  lu.assertEquals(one(rel, "core\n", { { ".%p", at = 4 } }), { results = { "OK:3" }, value = "core.%p\n" })
  lu.assertEquals(one(rel, "core\n", { { "x", at = 5 } }), { results = { "OK:1" }, value = "core\n" })
end

function TestWorldValues.test_port_range_and_hostname()
  local rel = "net/ipv4/ip_local_port_range"
  lu.assertEquals(one(rel, RESETS.port_range, { "1024 2048 3" }),
    { results = { "OK:10" }, value = "1024\t2048\n" })
  lu.assertEquals(one(rel, RESETS.port_range, { "1023 2048" }),
    { results = { "write:EINVAL" }, value = "32768\t60999\n" })
  lu.assertEquals(one(rel, RESETS.port_range, { "40000" }),
    { results = { "OK:5" }, value = "40000\t60999\n" })
  lu.assertEquals(one("kernel/hostname", "box\n", { { "XY", at = 2 } }),
    { results = { "OK:2" }, value = "boXY\n" })
  lu.assertEquals(one("kernel/hostname", "box\n", { string.rep("h", 70) }),
    { results = { "OK:70" }, value = string.rep("h", 64) .. "\n" })
end

-- A setting the world's machine has not is no file: ENOENT at the open,
-- for reading as for writing.
function TestWorldValues.test_a_setting_the_machine_lacks()
  local F = fixture()
  local world = F.work .. "/lacking.lua"
  fsx.write(world, [[
local p = require "proclua"
return p.world { machine = { sysctl = { ["vm.swappiness"] = false } },
                 tasks = { { pid = 1, comm = "init" } } }
]])
  local m = mnt.start { args = { "--world", world } }
  local ok, err = pcall(function()
    local path = m:path("sys/vm/swappiness")
    lu.assertEquals(sysctlw(nil, path, m:path("sys/vm/overcommit_memory"), nil, { { "10\n" } }),
      { "open:ENOENT = 300a" })
    lu.assertEquals(fsx.outcome(path), "<error open:ENOENT>")
  end)
  local problems = m:stop()
  if not ok then error(err, 0) end
  lu.assertEquals(problems, {})
end

-- ------------------------------------------------------------------------
-- Host: the kernel decides

TestHost = {}

local function H(rel) return host_fixture().mount:path("sys/" .. rel) end
local function native(rel) return "/proc/sys/" .. rel end

-- The same cases by the same kind of writer in fresh namespaces: once
-- through the mount (reset and read back through it too: a reader in
-- namespaces of its own reads its own), once to its /proc.
local function host_pair(ns, rel, reset, cases, wrap)
  local function run(path)
    local argv = { "unshare" }
    for _, o in ipairs(ns) do argv[#argv + 1] = o end
    for _, w in ipairs(wrap or {}) do argv[#argv + 1] = w end
    return sysctlw(argv, path, path, reset, cases)
  end
  return run(H(rel)), run(native(rel))
end

-- A setting as the daemon's own namespaces hold it.
local function daemon_reads(rel)
  local r = sh.run({ "nsenter", "-t", tostring(host_fixture().mount.proc.pid), "-n", "-u",
                     "cat", native(rel) })
  assert(r.code == 0, r.err)
  return r.out
end

function TestHost.test_root_in_fresh_namespaces_gets_the_kernels_answers()
  local daemon_view, host_view = {}, {}
  for _, rel in ipairs { "net/core/somaxconn", "net/ipv4/ip_forward",
                         "net/ipv4/ip_local_port_range", "kernel/hostname" } do
    daemon_view[rel] = daemon_reads(rel)
    host_view[rel] = fsx.read(native(rel))
    -- this spec's namespaces are the host's: it reads the host's
    lu.assertEquals(fsx.read(H(rel)), host_view[rel], rel .. " through the mount")
  end
  local n = 0
  for _, s in ipairs {
    { "net/core/somaxconn", RESETS.somaxconn, function() return number_case(1) end },
    { "net/ipv4/ip_forward", RESETS.ip_forward, function() return number_case(1) end },
    { "net/ipv4/ip_local_port_range", RESETS.port_range, function() return number_case(2) end },
    { "kernel/hostname", RESETS.hostname, text_case },
  } do
    local cases = generate(s[3], PER_SETTING // 4)
    local ours, kernel = host_pair({ "-n", "-u", "-p", "-f" }, s[1], s[2], cases)
    n = n + same_answers("host " .. s[1], cases, ours, kernel)
  end
  count("host writes in fresh namespaces", n)
  -- none landed in the daemon's namespaces, or the host's
  for rel, before in pairs(daemon_view) do
    lu.assertEquals(daemon_reads(rel), before, rel .. " of the daemon's namespaces")
    lu.assertEquals(fsx.read(native(rel)), host_view[rel], rel .. " of the host's")
  end
end

-- pid_max and user.max_user_namespaces: namespaces the daemon shares with
-- the host, so only the host's own value is written (a fresh namespace
-- holds another, so the kernel's answer shows where the write landed),
-- with malformed and out-of-range writes, which change nothing.
function TestHost.test_pid_and_user_namespaced_settings()
  for _, s in ipairs {
    { { "-p", "-f" }, "kernel/pid_max" },
    { { "-U", "-r" }, "user/max_user_namespaces" },
  } do
    local host_value = assert(fsx.read(native(s[2]))):match("^(%d+)\n$")
    local cases = {
      { host_value .. "\n" }, { "0x" .. ("%x"):format(math.tointeger(tonumber(host_value))) },
      { " " .. host_value .. " junk" }, { host_value .. "x" }, { "-1" }, { "" }, { "\n" },
      { "2147483648" }, { "99999999999999999999" }, { "abc" }, { { host_value, at = 1 } },
      { host_value, host_value },
    }
    local ours, kernel = host_pair(s[1], s[2], nil, cases)
    same_answers("host " .. s[2], cases, ours, kernel)
    -- the fresh namespace's own value changed to the host's: the write
    -- landed there
    lu.assertEquals(parse(ours[1]).value, host_value .. "\n")
    lu.assertEquals(fsx.read(native(s[2])), host_value .. "\n", "the host's " .. s[2])
  end
end

-- The host's global settings, by root: their current value, spelled in
-- ways the kernel takes, and malformed writes, which change nothing.
function TestHost.test_global_settings_current_value_and_malformed()
  local n = 0
  for _, rel in ipairs(GLOBAL_INTS) do
    local v = assert(fsx.read(native(rel))):match("^(%-?%d+)\n$")
    local cases = safe_cases(v)
    local ours = sysctlw(nil, H(rel), native(rel), nil, cases)
    local kernel = sysctlw(nil, native(rel), native(rel), nil, cases)
    n = n + same_answers("host " .. rel, cases, ours, kernel)
    lu.assertEquals(fsx.read(native(rel)), v .. "\n", rel)
  end
  local pattern = assert(fsx.read(native("kernel/core_pattern")))
  local cases = { { pattern }, { pattern:sub(1, -2) }, { pattern:sub(1, -2) .. "\0junk" } }
  local ours = sysctlw(nil, H("kernel/core_pattern"), native("kernel/core_pattern"), nil, cases)
  local kernel = sysctlw(nil, native("kernel/core_pattern"), native("kernel/core_pattern"), nil, cases)
  n = n + same_answers("host kernel.core_pattern", cases, ours, kernel)
  lu.assertEquals(fsx.read(native("kernel/core_pattern")), pattern)
  count("host global-setting writes", n)
end

-- uid 65534 through the mount, as on the kernel, for every setting the
-- host has: refused, at the open (EACCES) or by the handler (EPERM).
function TestHost.test_unprivileged_users()
  local rels = {}
  local function walk(dir, rel)
    for name in sh.run({ "ls", dir }).out:gmatch("[^\n]+") do
      local path = dir .. "/" .. name
      if sh.ok("test -d " .. sh.quote(path)) then
        walk(path, rel .. name .. "/")
      else
        rels[#rels + 1] = rel .. name
      end
    end
  end
  walk(host_fixture().mount:path("sys"), "")
  lu.assertTrue(#rels >= 500, "sys/ lists " .. #rels .. " settings")
  local user = WRITERS.user
  local readable, unreadable = 0, {}
  for _, rel in ipairs(rels) do
    local mode = tonumber(sh.run({ "stat", "-c", "%a", native(rel) }).out, 8)
    if mode & 4 == 4 then -- sysctlw reads back what it wrote
      local case = { { "1\n" } }
      local ours = sysctlw(user, H(rel), native(rel), nil, case)
      local kernel = sysctlw(user, native(rel), native(rel), nil, case)
      lu.assertEquals(parse(ours[1]).results, parse(kernel[1]).results, rel)
      lu.assertStrMatches(parse(ours[1]).results[#parse(ours[1]).results], "%a+:E%u+", nil, nil, rel)
      readable = readable + 1
    else
      unreadable[#unreadable + 1] = rel
    end
  end
  -- the others (0600, 0200): neither read nor written by uid 65534
  local function outcome(path)
    local argv = { table.unpack(user) } -- setpriv ... --
    for _, a in ipairs { "sh", "-c", 'cat "$1" >/dev/null 2>&1; r=$?; ' ..
                         '(: >"$1") 2>/dev/null || w=refused; echo "$r $w"', "-", path } do
      argv[#argv + 1] = a
    end
    return sh.run(argv).out
  end
  for _, rel in ipairs(unreadable) do
    lu.assertEquals(outcome(H(rel)), outcome(native(rel)), rel)
    lu.assertEquals(outcome(H(rel)), "1 refused\n", rel)
  end
  count("host settings refused to uid 65534", readable + #unreadable)
  -- a user in a user and network namespace of its own administers that
  -- network namespace: it writes its somaxconn
  local wrap = with(USER, {})
  wrap[#wrap + 1] = "unshare"
  wrap[#wrap + 1] = "-U"
  wrap[#wrap + 1] = "-r"
  wrap[#wrap + 1] = "-n"
  local cases = { { "1000\n" }, { "-1" }, { "77 " } }
  local rel = "net/core/somaxconn"
  local ours = sysctlw(wrap, H(rel), native(rel), nil, cases)
  local kernel = sysctlw(wrap, native(rel), native(rel), nil, cases)
  same_answers("host somaxconn by a user in its own namespaces", cases, ours, kernel)
  lu.assertEquals(parse(ours[1]).results, { "OK:5" })
end

-- ------------------------------------------------------------------------

TestZSummary = {}
function TestZSummary.test_print_counts()
  print("sysctl_write_spec: inputs compared: " .. table.concat(compared, ", "))
end

suite.run()
