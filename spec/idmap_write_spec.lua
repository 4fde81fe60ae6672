-- Writes to uid_map, gid_map, projid_map and setgroups: a world's task
-- against the kernel.
--
-- The differential: generated inputs (valid maps, malformed lines,
-- overlapping ranges, oversize writes, NULs, signs, whitespace of every
-- kind the kernel's isspace knows, 340 and 341 lines, values past 2^32 and
-- 2^64, hex, leading zeros, count 0, empty lines, missing and extra
-- fields) are each written once into a fresh child user namespace's real
-- map through the host's /proc and once into a world task's map (a task
-- of its own, in a namespace of its own, nothing written yet) through a
-- proclua mount, by spec/helpers/idmapw.c: the same count or errno and the
-- same map read back, by root and by the writer, every time.  Writers:
-- root, a user writing the map of a namespace it made, and openers and
-- writers that differ (an fd passed from one to the other).
--
-- The generator's seed is random per run and printed; PROCLUA_IDMAP_SEED
-- replays a run, PROCLUA_IDMAP_INPUTS sets the inputs per writer kind.
--
-- Then the world's rules the differential does not reach, each with the
-- exact errno Linux gives: a map written twice, setgroups allow and deny,
-- deny after gid_map, an unprivileged gid_map before and after deny, a
-- write at an offset, a handle opened for reading and writing, and readers
-- racing a write, who see the old map or the new one, never a part.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local EPERM, EACCES, EINVAL = 1, 13, 22
local USER = 40001
local U32 = 4294967296
local PER_KIND = tonumber(os.getenv("PROCLUA_IDMAP_INPUTS")) or 2000

local SEED = tonumber(os.getenv("PROCLUA_IDMAP_SEED")) or
  (os.time() * 1000 + math.floor(os.clock() * 1e6)) % 2147483647
print(("idmap_write_spec: seed %d (PROCLUA_IDMAP_SEED=%d replays it)"):format(SEED, SEED))
math.randomseed(SEED)
local R = math.random

local function pick(t) return t[R(#t)] end

-- ------------------------------------------------------------------------
-- The generator

-- Decimal digit strings added (for values past 2^64).
local function dec_add(a, b)
  local out, carry = {}, 0
  local i, j = #a, #b
  while i > 0 or j > 0 or carry > 0 do
    local s = carry + (i > 0 and a:byte(i) - 48 or 0) + (j > 0 and b:byte(j) - 48 or 0)
    out[#out + 1] = string.char(48 + s % 10)
    carry = s // 10
    i, j = i - 1, j - 1
  end
  return string.reverse(table.concat(out))
end

local TWO64 = "18446744073709551616"

-- Text simple_strtoul reads as v (kept modulo 2^32): plain, leading
-- zeros, or v plus a multiple of 2^32 or of 2^64.
local function field(v)
  local r = R(20)
  if r <= 13 then return tostring(v) end
  if r <= 15 then return string.rep("0", R(1, 12)) .. v end
  if r <= 18 then return tostring(v + U32 * R(1, 1 << 20)) end
  local big = TWO64
  for _ = 2, R(1, 5) do big = dec_add(big, TWO64) end
  return dec_add(big, tostring(v))
end

-- Whitespace: the kernel's isspace is \t \n \v \f \r, space and 0xa0.
local GAPS = { " ", "  ", "\t", " \t ", "\v", "\f", "\r", "\xa0", "\t\t", "   \xa0" }
local function gap() return R(4) == 1 and pick(GAPS) or " " end
local function lead() return R(8) == 1 and pick(GAPS) or "" end

local function line_text(e)
  return lead() .. field(e[1]) .. gap() .. field(e[2]) .. gap() .. field(e[3]) .. (R(10) == 1 and pick(GAPS) or "")
end

local function map_text(exts, final_newline)
  local lines = {}
  for i, e in ipairs(exts) do lines[i] = line_text(e) end
  local s = table.concat(lines, "\n")
  if final_newline == nil then final_newline = R(5) > 1 end
  return final_newline and s .. "\n" or s
end

local function shuffle(t)
  for i = #t, 2, -1 do
    local j = R(i)
    t[i], t[j] = t[j], t[i]
  end
  return t
end

-- k ranges of the given counts, disjoint, ascending from somewhere.
local function starts_for(counts, high)
  local total = 0
  for _, c in ipairs(counts) do total = total + c + 100 end
  local pos = high and R(0, U32 - 2 - total) or R(0, 3000)
  local out = {}
  for i, c in ipairs(counts) do
    out[i] = pos
    pos = pos + c + (R(3) == 1 and 0 or R(0, 100))
  end
  return out
end

local function some_count()
  local r = R(10)
  if r <= 3 then return 1 end
  if r <= 8 then return R(1, 1000) end
  return R(1, 1 << 24)
end

-- k extents with disjoint upper ranges and disjoint lower ranges, the
-- lower ones in another order, all in a random order.
local function valid_extents(k)
  k = k or pick { 1, 1, 1, 2, 2, 3, 4, 5, 5, 6, 7, 9, 12, 20, R(1, 60) }
  local counts, order = {}, {}
  for i = 1, k do counts[i], order[i] = some_count(), i end
  shuffle(order)
  local ordered = {}
  for i = 1, k do ordered[i] = counts[order[i]] end
  local up, low = starts_for(counts, R(6) == 1), starts_for(ordered, R(6) == 1)
  local exts = {}
  for i = 1, k do exts[i] = { up[i], 0, counts[i] } end
  for i = 1, k do exts[order[i]][2] = low[i] end
  return shuffle(exts)
end

local gen = {}

function gen.valid() return map_text(valid_extents()) end

-- One extent of one id, the lower one the owner's own: what an
-- unprivileged writer may map (and what it may not, close to it).
function gen.own_id(own)
  local lower = pick { own, own, own, own + 1, own - 1, 0 }
  local count = pick { 1, 1, 1, 1, 2 }
  local first = pick { 0, 0, own, R(0, 100000), U32 - 2, U32 - 1 }
  local t = map_text { { first, lower, count } }
  if R(6) == 1 then t = t .. map_text { { first + 5, lower + 5, 1 } } end
  return t
end

function gen.boundary()
  return pick {
    "4294967294 0 1\n", "4294967295 0 1\n", "0 4294967294 1\n", "0 4294967295 1\n",
    "4294967290 0 5\n", "4294967290 0 6\n", "0 4294967290 5\n", "0 4294967290 6\n",
    "0 0 4294967295\n", "1 0 4294967295\n", "0 1 4294967295\n", "0 0 4294967296\n",
    "0 0 4294967294\n", "2147483648 2147483648 2147483647\n", "2147483648 0 2147483648\n",
    "0 0 18446744073709551615\n", "18446744073709551615 0 1\n",
    "4294967296 4294967296 1\n", "0 0 1\n1 1 4294967294\n", "0 0 1\n1 1 4294967293\n",
  }
end

-- An extent placed over an earlier one's upper or lower range (or just
-- beside it, which is allowed).
function gen.overlap()
  local exts = valid_extents(R(2, 8))
  local a, b = R(#exts), R(#exts)
  if a == b then b = a % #exts + 1 end
  local col = R(2)
  local e, f = exts[a], exts[b]
  local r = R(4)
  if r == 1 then f[col] = e[col] + e[3]             -- adjacent: no overlap
  elseif r == 2 then f[col] = e[col] + e[3] - 1     -- the last id shared
  else f[col] = e[col] + R(0, e[3] - 1) end
  if f[col] >= U32 - 1 then f[col] = e[col] end
  if f[col] + f[3] >= U32 then f[3] = U32 - 1 - f[col] end
  if f[3] < 1 then f[3] = 1 end
  return map_text(exts)
end

local WEIRD = { "-1", "+1", "-0", "+0", "0x10", "0X10", "0x", "1e3", "", "1.5", "0b1",
  "1_000", "4294967295", "4294967296", "18446744073709551615", "18446744073709551616",
  "99999999999999999999999999", "٣", "0 ", "- 1", "+", "-", "x", "00", "007", "\0", "1\0" }

function gen.field_weird()
  local e = valid_extents(1)[1]
  local parts = { tostring(e[1]), tostring(e[2]), tostring(e[3]) }
  parts[R(3)] = pick(WEIRD)
  local t = lead() .. table.concat(parts, gap())
  return R(2) == 1 and t .. "\n" or t
end

function gen.fields_count()
  local e = valid_extents(1)[1]
  return pick {
    field(e[1]) .. "\n", field(e[1]) .. " " .. field(e[2]) .. "\n",
    field(e[1]) .. " " .. field(e[2]) .. " \n", field(e[1]) .. " " .. field(e[2]),
    field(e[1]) .. " " .. field(e[2]) .. " " .. field(e[3]) .. " " .. field(R(0, 9)) .. "\n",
    field(e[1]) .. " " .. field(e[2]) .. " " .. field(e[3]) .. " x\n",
    field(e[1]) .. " " .. field(e[2]) .. " " .. field(e[3]) .. "x\n",
    field(e[1]) .. ", " .. field(e[2]) .. ", " .. field(e[3]) .. "\n",
    field(e[1]) .. " " .. field(e[2]) .. " 0\n",
    " \n", "\n", "\t\n", "0\n", "x\n",
  }
end

local TOKENS = { "-", "+", "x", "0x", "0X1f", "a", "Z", "\0", "\n", "\n\n", " ", "\t",
  "#", ".", "\xa0", "\xff", "9", "-1", ",", "\r\n", "\v", "\f", "00", "4294967296" }

local function mutate(s)
  for _ = 1, R(1, 3) do
    local pos = R(0, #s)
    local r = R(3)
    if r == 1 then s = s:sub(1, pos) .. pick(TOKENS) .. s:sub(pos + 1)
    elseif r == 2 and #s > 1 then s = s:sub(1, pos) .. s:sub(pos + 2)
    else s = s:sub(1, pos) .. pick(TOKENS) .. s:sub(pos + 2) end
  end
  return s
end

function gen.mutated() return mutate(map_text(valid_extents(R(1, 4)))) end

function gen.soup()
  local t = {}
  for i = 1, R(1, 30) do
    t[i] = R(2) == 1 and tostring(R(0, 100000)) or pick(TOKENS)
  end
  return table.concat(t)
end

function gen.nul()
  local s = map_text(valid_extents(R(1, 4)), true)
  local pos = R(0, #s)
  return s:sub(1, pos) .. "\0" .. (R(2) == 1 and pick(TOKENS) or "") .. s:sub(pos + 1)
end

function gen.newlines()
  local s = map_text(valid_extents(R(1, 3)), false)
  return pick {
    s .. "\n\n", s .. "\n \n", s .. "\n\t", "\n" .. s, s:gsub("\n", "\n\n", 1), s .. "\r\n",
    s .. "\n\0\n", s .. "\n" .. string.rep(" ", R(1, 5)),
  }
end

-- Past the page: count >= 4096 is EINVAL before anything is parsed.
function gen.oversize()
  local body = map_text(valid_extents(1), false)
  local want = pick { 4094, 4095, 4095, 4096, 4096, 4097, R(4096, 8000), R(3000, 4095) }
  local pad = want - #body - 1
  if pad < 0 then return body .. "\n" end
  if R(2) == 1 then return body .. string.rep(" ", pad) .. "\n" end
  return string.rep("0", pad) .. body .. "\n"         -- leading zeros
end

-- UID_GID_MAP_MAX_EXTENTS lines, and one more.
function gen.many()
  local n = pick { 5, 6, 339, 340, 340, 340, 341, 341, 345 }
  local exts = {}
  local base = R(0, 100000)
  for i = 1, n do exts[i] = { base + i * 2, base + i * 3, pick { 1, 1, 2 } } end
  shuffle(exts)
  local lines = {}
  for i, e in ipairs(exts) do lines[i] = ("%d %d %d"):format(e[1], e[2], e[3]) end
  local s = table.concat(lines, "\n")
  return s .. pick { "\n", "", "\n\n", "\n ", "\n\0junk" }
end

local MIX = {
  { gen.valid, 24 }, { gen.own_id, 12 }, { gen.boundary, 5 }, { gen.overlap, 10 },
  { gen.field_weird, 12 }, { gen.fields_count, 6 }, { gen.mutated, 12 }, { gen.soup, 4 },
  { gen.nul, 5 }, { gen.newlines, 4 }, { gen.oversize, 4 }, { gen.many, 3 },
}
local MIX_TOTAL = 0
for _, m in ipairs(MIX) do MIX_TOTAL = MIX_TOTAL + m[2] end

-- An input for uid_map or gid_map; for an unprivileged writer, as many
-- again of the one-id maps it may write (or nearly).
local function map_input(own, unprivileged)
  if unprivileged and R(2) == 1 then return gen.own_id(own) end
  local r = R(MIX_TOTAL)
  for _, m in ipairs(MIX) do
    r = r - m[2]
    if r <= 0 then return m[1](own) end
  end
end

local SETGROUPS_WORDS = { "allow", "deny", "allow", "deny", "Allow", "DENY", "den", "allo",
  "allowx", "denyy", "", "yes", "0", "1" }
local SETGROUPS_TAILS = { "", "", "\n", " ", "\t", "\n\n", "  \n", "\xa0", "\0", "\0xyz", "\v\f",
  "\r", "x", " x", "\n ", "   ", "\n\n\n", "     " }

local function setgroups_input()
  local s = pick(SETGROUPS_WORDS) .. pick(SETGROUPS_TAILS)
  if R(10) == 1 then s = pick { " ", "\t", "\n", "\0" } .. s end
  return s
end

-- ------------------------------------------------------------------------
-- The world and the mount

-- Writer kinds: who owns the namespace, who opens the file, who writes it.
local root, user = "0:0", USER .. ":" .. USER
local KINDS = {
  { name = "root writes uid_map", file = "uid_map", n = PER_KIND },
  { name = "root writes gid_map", file = "gid_map", n = PER_KIND },
  { name = "user writes uid_map", file = "uid_map", owner = user, opener = user, writer = user,
    n = PER_KIND },
  { name = "user writes gid_map, setgroups denied", file = "gid_map", owner = user, opener = user,
    writer = user, deny = true, n = PER_KIND },
  { name = "user writes gid_map, setgroups allowed", file = "gid_map", owner = user,
    opener = user, writer = user, n = PER_KIND // 10 },
  { name = "root opens, user writes uid_map", file = "uid_map", writer = user, n = PER_KIND // 10 },
  { name = "user opens, root writes uid_map", file = "uid_map", owner = user, opener = user,
    n = PER_KIND // 10 },
  { name = "root writes uid_map of a user's namespace", file = "uid_map", owner = user,
    n = PER_KIND // 10 },
  { name = "user opens root's uid_map", file = "uid_map", opener = user, writer = user,
    n = PER_KIND // 20 },
  { name = "user opens from a namespace of its own", file = "uid_map", owner = user,
    opener = user, opener_ns = true, writer = user, n = PER_KIND // 20 },
  { name = "root writes setgroups", file = "setgroups", n = PER_KIND // 5 },
  { name = "user writes setgroups", file = "setgroups", owner = user, opener = user,
    writer = user, n = PER_KIND // 5 },
  -- projid_map: map_write with no capability asked (proc_projid_map_write)
  { name = "root writes projid_map", file = "projid_map", n = PER_KIND // 4, projid = true },
  { name = "user writes projid_map", file = "projid_map", owner = user, opener = user,
    writer = user, n = PER_KIND // 4, projid = true },
  { name = "user opens, root writes projid_map", file = "projid_map", owner = user,
    opener = user, n = PER_KIND // 20 },
  { name = "user opens projid_map from a namespace of its own", file = "projid_map",
    owner = user, opener = user, opener_ns = true, writer = user, n = PER_KIND // 20 },
}
for i, k in ipairs(KINDS) do
  k.first = i * 100000
  k.uid = (k.owner or root):match("^(%d+)")
end

-- Tasks for the unit specs: pid 3000000 + i (root) and 3000100 + i (the user), in namespaces of their own.
local UNIT_FIRST, UNIT_N = 3000000, 40
local TOP_TASK, TOP_USER_TASK = 3000300, 3000301
local SHARED = { 3000400, 3000401, 3000402 } -- a task, its thread, another task

local fixture = suite.once(function()
  local F = { work = fsx.mktemp_dir("proclua-idmapw") }
  suite.defer("remove " .. F.work, function() assert(fsx.remove_tree(F.work)) end)
  assert(sh.ok("chmod 755 " .. sh.quote(F.work)))
  local groups = {}
  for _, k in ipairs(KINDS) do
    groups[#groups + 1] = ("{ %d, %d, %s }"):format(k.first, k.n, k.uid)
  end
  groups[#groups + 1] = ("{ %d, %d, 0 }"):format(UNIT_FIRST, UNIT_N)
  groups[#groups + 1] = ("{ %d, %d, %d }"):format(UNIT_FIRST + 100, UNIT_N, USER)
  F.world = F.work .. "/world.lua"
  -- each task in a user namespace of its own (a child of the top, owned
  -- by its euid), nothing written to its maps yet
  fsx.write(F.world, [[
local p = require "proclua"
local tasks = {}
for _, g in ipairs { ]] .. table.concat(groups, ", ") .. [[ } do
  for i = 0, g[2] - 1 do
    tasks[#tasks + 1] = { pid = g[1] + i, argv = { "/bin/mapped" }, uid = g[3], gid = g[3],
                          ns = { user = 4027000000 + g[1] + i }, uid_map = "", gid_map = "",
                          projid_map = "" }
  end
end
]] .. ([[
-- in the top namespace: its maps are the top's, fixed
tasks[#tasks + 1] = { pid = %d, argv = { "/bin/top" } }
tasks[#tasks + 1] = { pid = %d, argv = { "/bin/top" }, uid = %d, gid = %d }
-- two tasks (one with a second thread) in one namespace, not yet mapped
tasks[#tasks + 1] = { pid = %d, argv = { "/bin/a" }, ns = { user = 4029000000 },
                      uid_map = "", gid_map = "", threads = { { tid = %d } } }
tasks[#tasks + 1] = { pid = %d, argv = { "/bin/b" }, ns = { user = 4029000000 },
                      uid_map = "", gid_map = "" }
return p.world { tasks = tasks, self = false }
]]):format(TOP_TASK, TOP_USER_TASK, USER, USER, SHARED[1], SHARED[2], SHARED[3]))
  F.mount = mnt.start { options = "allow_other", args = { "--world", F.world } }
  suite.defer("unmount " .. F.mount.dir, function() return F.mount:stop() end)
  return F
end)

-- ------------------------------------------------------------------------
-- The differential

local function unhex(h)
  if h == "-" then return "" end
  if h:sub(1, 1) == "!" or h == "?" then return h end
  return (h:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end))
end

local function outcome(rc)
  rc = tonumber(rc)
  if rc >= 0 then return "count " .. rc end
  return fsx.errname(-rc)
end

local function run_kind(F, k, inputs)
  local file = F.work .. "/inputs-" .. k.first
  local parts = {}
  for i, s in ipairs(inputs) do parts[i] = #s .. "\n" .. s end
  fsx.write(file, table.concat(parts))
  local argv = { testenv.helper("idmapw"), "diff" }
  for _, opt in ipairs { "owner", "opener", "writer" } do
    if k[opt] then argv[#argv + 1] = "--" .. opt; argv[#argv + 1] = k[opt] end
  end
  if k.deny then argv[#argv + 1] = "--deny" end
  if k.opener_ns then argv[#argv + 1] = "--opener-ns" end
  for _, w in ipairs { k.file, file, F.mount.dir, tostring(k.first) } do argv[#argv + 1] = w end
  local r = sh.run(argv, { timeout = 900 })
  lu.assertEquals(r.code, 0, k.name .. ": idmapw failed: " .. r.err)
  local diffs, tally, lines = {}, {}, 0
  for line in r.out:gmatch("[^\n]+") do
    lines = lines + 1
    local i, krc, wrc, kroot, wroot, kw, ww = line:match("^(%d+) (%S+) (%S+) (%S+) (%S+) (%S+) (%S+)$")
    assert(i, "idmapw printed " .. line)
    local o = outcome(krc)
    local key = o:match("^count") and "written" or o
    tally[key] = (tally[key] or 0) + 1
    if krc ~= wrc or kroot ~= wroot or kw ~= ww then
      diffs[#diffs + 1] = ("input %d %q:\n  kernel %s, read back %q (writer %q)\n  world  %s, read back %q (writer %q)")
        :format(i, inputs[tonumber(i) + 1], o, unhex(kroot), unhex(kw), outcome(wrc), unhex(wroot), unhex(ww))
    end
  end
  lu.assertEquals(lines, #inputs, k.name .. ": one line per input")
  return diffs, tally
end

TestDifferential = {}

function TestDifferential.test_every_input_as_the_kernel_answers_it()
  local F = fixture()
  local started = os.time()
  local report, failures, total = {}, {}, 0
  for _, k in ipairs(KINDS) do
    local inputs = {}
    for i = 1, k.n do
      local own = k.opener == user and USER or 0
      local s = k.file == "setgroups" and setgroups_input() or
        map_input(own, k.opener == user or k.writer == user)
      if #s == 0 then s = "\n" end -- FUSE answers an empty write itself (0)
      inputs[i] = s
    end
    local t0 = os.time()
    local diffs, tally = run_kind(F, k, inputs)
    total = total + #inputs
    local names = {}
    for name, n in pairs(tally) do names[#names + 1] = name .. " " .. n end
    table.sort(names)
    report[#report + 1] = ("  %-45s %5d inputs, %d differ (%s) %ds"):format(
      k.name, #inputs, #diffs, table.concat(names, ", "), os.time() - t0)
    for j = 1, math.min(#diffs, 5) do failures[#failures + 1] = k.name .. ": " .. diffs[j] end
    k.tally = tally
  end
  print(("idmap_write_spec: %d inputs in %d s (seed %d)\n%s"):format(
    total, os.time() - started, SEED, table.concat(report, "\n")))
  lu.assertEquals(#failures, 0, "the world differs from the kernel (seed " .. SEED .. "):\n"
    .. table.concat(failures, "\n"))
  -- the inputs reach every outcome: a spec that could not fail proves nothing
  for i = 1, 4 do
    local t = KINDS[i].tally
    lu.assertTrue((t.written or 0) >= KINDS[i].n // 10, KINDS[i].name .. ": too few writes succeed")
    lu.assertTrue((t.EINVAL or 0) >= KINDS[i].n // 10, KINDS[i].name .. ": too few EINVAL")
  end
  for i = 3, 4 do
    lu.assertTrue((KINDS[i].tally.EPERM or 0) >= KINDS[i].n // 10, KINDS[i].name .. ": too few EPERM")
  end
  for _, k in ipairs(KINDS) do
    if k.projid then -- no capability asked: the user's maps are written as root's
      lu.assertTrue((k.tally.written or 0) >= k.n // 10, k.name .. ": too few writes succeed")
      lu.assertTrue((k.tally.EINVAL or 0) >= k.n // 10, k.name .. ": too few EINVAL")
    end
  end
end

-- ------------------------------------------------------------------------
-- World rules, exact

local next_unit = { [0] = UNIT_FIRST, [USER] = UNIT_FIRST + 100 }

-- A fresh task of the world (nothing written), owned by uid.
local function fresh(uid)
  local pid = next_unit[uid]
  next_unit[uid] = pid + 1
  assert(pid < (uid == 0 and UNIT_FIRST or UNIT_FIRST + 100) + UNIT_N, "out of fresh tasks")
  return fixture().mount:path(tostring(pid))
end

local function as_user(uid, argv)
  return { "setpriv", "--reuid=" .. uid, "--regid=" .. uid, "--clear-groups", "--",
           table.unpack(argv) }
end

-- One write(2) from a fresh open, as root (or, with as, as that user), at
-- offset (default 0): the count or the errno name.
local function write(path, text, as, offset)
  local argv = { testenv.helper("idmapw"), "write", path, tostring(offset or 0), text }
  if as then argv = as_user(as, argv) end
  local r = sh.run(argv)
  assert(r.code == 0, r.err)
  return outcome(r.out:match("^(%-?%d+)"))
end

local function read(path)
  local s = fsx.read(path)
  return s
end

-- A process of the host in a user namespace of its own, made by uid.
local function host_userns(uid)
  local argv = { "unshare", "-U", "sleep", "1000" }
  if uid ~= 0 then argv = as_user(uid, argv) end
  local p = procs.spawn(argv, { name = "userns sleeper" })
  suite.defer("reap the userns sleeper " .. p.pid, function() p:reap() end)
  local mine = sh.run({ "readlink", "/proc/self/ns/user" }).out
  procs.wait_for(function()
    local its = sh.run({ "readlink", "/proc/" .. p.pid .. "/ns/user" }).out
    return its ~= "" and its ~= mine
  end, 30, "the sleeper's user namespace")
  return p
end

-- A fresh world task (nothing written) owned by uid, and a process of the
-- host in a fresh user namespace uid made: each write and read goes to
-- both, which must answer alike.
local Pair = {}
Pair.__index = Pair

local function fresh_pair(uid)
  local p = host_userns(uid)
  return setmetatable({ world = fresh(uid), host = "/proc/" .. p.pid, proc = p }, Pair)
end

function Pair:write(file, text, as, offset)
  local k = write(self.host .. "/" .. file, text, as, offset)
  local w = write(self.world .. "/" .. file, text, as, offset)
  lu.assertEquals(w, k, ("%s %q: the world answers as the kernel"):format(file, text))
  return w
end

function Pair:read(file)
  local k, w = read(self.host .. "/" .. file), read(self.world .. "/" .. file)
  lu.assertEquals(w, k, file .. ": the world reads as the kernel")
  return w
end

function Pair:done() self.proc:reap() end

TestWorldRules = {}

function TestWorldRules.test_a_map_is_written_once()
  local t = fresh_pair(0)
  lu.assertEquals(t:write("uid_map", "0 0 1\n"), "count 6")
  lu.assertEquals(t:write("uid_map", "0 0 1\n"), "EPERM")
  lu.assertEquals(t:write("uid_map", "garbage"), "EPERM") -- before the parser
  lu.assertEquals(t:write("uid_map", string.rep(" ", 5000)), "EINVAL") -- but after the size
  lu.assertEquals(t:read("uid_map"), "         0          0          1\n")
  lu.assertEquals(t:write("gid_map", "5 7 3"), "count 5")
  lu.assertEquals(t:write("gid_map", "0 0 1\n"), "EPERM")
  lu.assertEquals(t:read("gid_map"), "         5          7          3\n")
  t:done()
end

function TestWorldRules.test_setgroups_allow_then_deny_for_good()
  local t = fresh_pair(0)
  lu.assertEquals(t:read("setgroups"), "allow\n")
  lu.assertEquals(t:write("setgroups", "allow"), "count 5")
  lu.assertEquals(t:write("setgroups", "maybe"), "EINVAL")
  lu.assertEquals(t:write("setgroups", "allow\n\n"), "count 7")
  lu.assertEquals(t:write("setgroups", "allow  \n"), "EINVAL") -- 8 bytes
  lu.assertEquals(t:write("setgroups", "deny\n"), "count 5")
  lu.assertEquals(t:read("setgroups"), "deny\n")
  lu.assertEquals(t:write("setgroups", "allow"), "EPERM")
  lu.assertEquals(t:write("setgroups", "allow junk"), "EINVAL") -- parsed before
  lu.assertEquals(t:write("setgroups", "deny"), "count 4")
  lu.assertEquals(t:write("setgroups", "denied"), "EINVAL")
  lu.assertEquals(t:read("setgroups"), "deny\n")
  t:done()
end

function TestWorldRules.test_deny_after_gid_map_is_refused()
  local t = fresh_pair(0)
  lu.assertEquals(t:write("gid_map", "0 0 1\n"), "count 6")
  lu.assertEquals(t:write("setgroups", "deny"), "EPERM")
  lu.assertEquals(t:write("setgroups", "allow"), "count 5")
  lu.assertEquals(t:read("setgroups"), "allow\n")
  t:done()
end

function TestWorldRules.test_an_unprivileged_gid_map_needs_setgroups_denied()
  local t = fresh_pair(USER)
  local own = ("0 %d 1\n"):format(USER)
  lu.assertEquals(t:write("gid_map", own, USER), "EPERM")
  lu.assertEquals(t:read("gid_map"), "")
  lu.assertEquals(t:write("setgroups", "deny", USER), "count 4")
  lu.assertEquals(t:write("gid_map", ("0 %d 2\n"):format(USER), USER), "EPERM") -- two ids
  lu.assertEquals(t:write("gid_map", own, USER), "count " .. #own)
  lu.assertEquals(t:read("gid_map"), ("         0      %d          1\n"):format(USER))
  -- its uid_map: one id, its own, setgroups or not
  lu.assertEquals(t:write("uid_map", ("0 %d 1"):format(USER + 1), USER), "EPERM")
  lu.assertEquals(t:write("uid_map", own, USER), "count " .. #own)
  t:done()
end

function TestWorldRules.test_setgroups_opened_without_cap_sys_admin_is_eacces()
  -- refused by its mode already
  local t = fresh_pair(0)
  lu.assertEquals(t:write("setgroups", "deny", USER), "EACCES")
  lu.assertEquals(t:read("setgroups"), "allow\n")
  t:done()
  -- the owner of the file, without CAP_SYS_ADMIN over its (initial) namespace
  local host = procs.spawn(as_user(USER, { "sleep", "1000" }), { name = "user sleeper" })
  suite.defer("reap the user sleeper", function() host:reap() end)
  -- past setpriv's setuid and exec (before them its files are root's)
  procs.wait_for(function() return fsx.read("/proc/" .. host.pid .. "/comm") == "sleep\n" end, 30,
                 "the user sleeper's exec")
  local world = fixture().mount:path(tostring(TOP_USER_TASK))
  for _, path in ipairs { "/proc/" .. host.pid .. "/setgroups", world .. "/setgroups" } do
    lu.assertEquals(sh.run({ "stat", "-c", "%u", path }).out, USER .. "\n", path .. "'s owner")
  end
  lu.assertEquals(write("/proc/" .. host.pid .. "/setgroups", "allow", USER), "EACCES")
  lu.assertEquals(write(world .. "/setgroups", "allow", USER), "EACCES")
  lu.assertEquals(write(world .. "/uid_map", "0 0 1\n", USER), "EPERM")
  host:reap()
end

-- (A pwrite(2) to these files is ESPIPE on Linux, whatever the offset:
-- seq_open takes FMODE_PWRITE away.  FUSE does not let a daemon say so;
-- the offset comes here from a seek.)
function TestWorldRules.test_a_write_past_offset_0_is_einval()
  local t = fresh_pair(0)
  lu.assertEquals(t:write("uid_map", "0 0 1\n", nil, 1), "EINVAL")
  lu.assertEquals(t:write("gid_map", "0 0 1\n", nil, 6), "EINVAL")
  lu.assertEquals(t:write("setgroups", "deny", nil, 1), "EINVAL")
  lu.assertEquals(t:read("uid_map"), "")
  lu.assertEquals(t:read("setgroups"), "allow\n")
  lu.assertEquals(t:write("uid_map", "0 0 1\n"), "count 6")
  t:done()
end

-- A task in the top namespace: its maps are the top's, never written
-- (compared with a process of the host in the initial namespace).
function TestWorldRules.test_the_top_namespace_is_written_as_the_hosts()
  local host = procs.spawn({ "sleep", "1000" }, { name = "sleeper" })
  suite.defer("reap the sleeper", function() host:reap() end)
  local top = fixture().mount:path(tostring(TOP_TASK))
  local writes = { { "uid_map", "0 0 1\n" }, { "gid_map", "0 0 1\n" }, { "uid_map", "junk" },
    { "setgroups", "deny" }, { "setgroups", "allow" }, { "setgroups", "junk" } }
  for _, w in ipairs(writes) do
    local expected = write("/proc/" .. host.pid .. "/" .. w[1], w[2])
    lu.assertEquals(write(top .. "/" .. w[1], w[2]), expected, w[1] .. " " .. w[2])
  end
  lu.assertEquals(read(top .. "/uid_map"), read("/proc/" .. host.pid .. "/uid_map"))
  lu.assertEquals(read(top .. "/setgroups"), "allow\n")
  host:reap()
end

-- The maps belong to the namespace: a thread's file writes them, every
-- task in the namespace shows them, and none may write them again.
function TestWorldRules.test_maps_are_the_namespaces()
  local m = fixture().mount
  local a, thread, b = table.unpack(SHARED)
  lu.assertEquals(write(m:path(("%d/task/%d/uid_map"):format(a, thread)), "0 0 5\n"), "count 6")
  local shown = "         0          0          5\n"
  lu.assertEquals(read(m:path(a .. "/uid_map")), shown)
  lu.assertEquals(read(m:path(b .. "/uid_map")), shown)
  lu.assertEquals(read(m:path(("%d/task/%d/uid_map"):format(a, a))), shown)
  lu.assertEquals(write(m:path(b .. "/uid_map"), "0 0 5\n"), "EPERM")
  lu.assertEquals(write(m:path(b .. "/setgroups"), "deny"), "count 4")
  lu.assertEquals(read(m:path(a .. "/setgroups")), "deny\n")
  lu.assertEquals(read(m:path(b .. "/gid_map")), "")
end

-- Writers racing to one map: one wins, the others get EPERM, and the map
-- is the winner's.
function TestWorldRules.test_racing_writers_one_wins()
  local F = fixture()
  local t = fresh(0)
  local n = 16
  local cmd = {}
  for i = 1, n do
    cmd[#cmd + 1] = ("%s write %s 0 %s > %s/race.%d &"):format(sh.quote(testenv.helper("idmapw")),
      sh.quote(t .. "/uid_map"), sh.quote(("0 %d 1\n"):format(1000 + i)), sh.quote(F.work), i)
  end
  assert(sh.ok(table.concat(cmd, " ") .. " wait"))
  local won = {}
  for i = 1, n do
    local rc = fsx.read(("%s/race.%d"):format(F.work, i))
    local o = outcome(rc:match("^(%-?%d+)"))
    if o ~= "EPERM" then won[#won + 1] = { i, o } end
    os.remove(("%s/race.%d"):format(F.work, i))
  end
  lu.assertEquals(#won, 1, "exactly one writer succeeds")
  local i = won[1][1]
  lu.assertEquals(won[1][2], "count " .. #("0 %d 1\n"):format(1000 + i))
  lu.assertEquals(read(t .. "/uid_map"), ("         0 %10d          1\n"):format(1000 + i))
end

-- A handle open for reading and writing reads what its write made, as
-- the kernel's seq_file does (compared with a namespace of the host's).
function TestWorldRules.test_a_read_after_a_write_on_one_handle_shows_the_new_map()
  local t = fresh(0)
  local sleeper = host_userns(0)
  local text = "0 0 10\n1000 1000 5\n"
  local k = sh.run { testenv.helper("idmapw"), "rdwr", "/proc/" .. sleeper.pid .. "/uid_map", text }
  local w = sh.run { testenv.helper("idmapw"), "rdwr", t .. "/uid_map", text }
  sleeper:reap()
  lu.assertEquals(k.code, 0)
  lu.assertStrMatches(k.out, "%- 19 %x+\n")
  lu.assertEquals(w.out, k.out)
end

-- A reader racing a write sees the old map (none) or the new one, whole.
function TestWorldRules.test_readers_see_the_old_map_or_the_new_one()
  local F = fixture()
  local t = fresh(0)
  local lines = {}
  for i = 1, 340 do lines[i] = ("%d %d 1"):format(i * 7, i * 11) end
  local text = table.concat(lines, "\n") .. "\n"
  local stop = F.work .. "/stop-watch"
  local out = F.work .. "/watch.out"
  local watchers = {}
  for i = 1, 2 do
    watchers[i] = procs.spawn({ testenv.helper("idmapw"), "watch", t .. "/uid_map", stop },
      { stdout = out .. i, name = "watch " .. i })
    suite.defer("reap watcher " .. i, function() watchers[i]:reap() end)
    watchers[i]:wait_output("^ready")
  end
  lu.assertEquals(write(t .. "/uid_map", text), "count " .. #text)
  fsx.write(stop, "")
  local expected = read(t .. "/uid_map")
  lu.assertEquals(#expected, 340 * 33)
  for i = 1, 2 do
    lu.assertTrue(watchers[i]:wait_exit(60), "watcher " .. i .. " ended")
    local seen = {}
    for line in fsx.read(out .. i):gmatch("[^\n]+") do
      if line ~= "ready" then seen[#seen + 1] = line end
    end
    lu.assertStrMatches(seen[1], "reads %d+")
    lu.assertEquals(unhex(seen[2]), "", "watcher " .. i .. " first saw no map")
    lu.assertEquals(unhex(seen[#seen]), expected, "then the whole new map")
    lu.assertEquals(#seen, 3, "and nothing else")
  end
  os.remove(stop)
end

suite.run()
