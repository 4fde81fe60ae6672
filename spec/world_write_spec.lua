-- Writes to a world's tasks: Linux's rules for oom_score_adj, comm,
-- coredump_filter and mem (fs/proc/base.c), with the exact count or errno
-- each write gets and the state it leaves, and a rejected write leaving the
-- state as it was.
--
-- Where the host can show the same case, the same bytes are written by the
-- same kind of writer to a real process's file and the answers must be the
-- same: a child this spec starts (killed by pid at the end) is the kernel's
-- twin of a world task declared with the child's own state.
--
-- Writers: root (whatever capabilities this machine leaves it: without
-- CAP_SYS_RESOURCE, as in some containers, root too may not lower
-- oom_score_adj below its minimum), user 40001 (the owner of the tasks),
-- user 40002 and root without CAP_SYS_PTRACE.
--
-- A write of 0 bytes never reaches a FUSE daemon (the kernel's FUSE client
-- answers it 0 itself), so where Linux's rule would see an empty buffer
-- (EINVAL for oom_score_adj and coredump_filter, an empty name for comm)
-- the mount answers 0 and nothing changes; the spec states that.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local writes = require "writes"

local OWNER, OTHER = 40001, 40002

-- World pids above any host's pid_max but 2^22: a writer (a host process
-- the world does not contain) can never be taken for one of them.
local SELF, SELF_THREAD = 4194001, 4194002
local OOM, OOM_UNPRIV, OOM_SWAP, OOM_KTHREAD = 4194010, 4194011, 4194012, 4194013
local OOM_TWIN, SCORE_TWIN, OOM_ROOT, OOM_REFUSED = 4194014, 4194015, 4194016, 4194017
local CORE, CORE_TWIN, ZOMBIE = 4194020, 4194021, 4194022
local MEM, NAMED = 4194030, 4194040

local PERL = { "perl", "-e", '$| = 1; print "ready\\n"; sleep 1000 while 1' }

local function as_user(uid, argv)
  local out = writes.as_user(uid)
  for _, w in ipairs(argv) do out[#out + 1] = w end
  return out
end

local function read(path) return assert(fsx.read(path)) end
local function number_in(path) return math.tointeger(tonumber(read(path))) end

-- Whether this spec's processes (and so the writers it starts as root)
-- hold a capability in their effective set.
local function root_holds(cap)
  local eff = read("/proc/self/status"):match("\nCapEff:\t(%x+)")
  return (tonumber(eff, 16) >> cap) & 1 == 1
end
local CAP_SYS_RESOURCE = 24

local fixture = suite.once(function()
  local F = {}
  F.work = fsx.mktemp_dir("proclua-wwrite")
  suite.defer("remove " .. F.work, function() assert(fsx.remove_tree(F.work)) end)
  assert(sh.ok("chmod 755 " .. F.work))
  local started = {}
  suite.defer("reap the children", function()
    for _, p in ipairs(started) do p:reap() end
  end)
  local function start(name, argv)
    local p = procs.spawn(argv, { stdout = F.work .. "/" .. name .. ".out", name = name })
    started[#started + 1] = p
    return p
  end
  -- the kernel's twins: owned by the owner (oom_score_adj, comm, mem), by
  -- root (coredump_filter; stopped for oom_score, so its memory holds
  -- still), and a zombie its parent never reaps
  F.k_owned = start("owned", as_user(OWNER, PERL))
  F.k_root = start("root", PERL)
  F.k_score = start("score", PERL)
  local zparent = start("zombie_parent", { "sh", "-c", "sleep 0 & exec sleep 1000" })
  F.k_owned:wait_output("^ready")
  F.k_root:wait_output("^ready")
  F.k_score:wait_output("^ready")
  F.k_score:stop_and_wait()
  F.k_zombie = procs.wait_for(function()
    for _, c in ipairs(procs.children(zparent.pid)) do
      if procs.state(c) == "Z" then return c end
    end
  end, 30, "the zombie")

  -- The owned child's oom_score_adj_min, which no file shows: the owner
  -- may set any value from it up (and only those), so it is the lowest
  -- value the owner can write.  The child's value is put back after.
  local adj_path = "/proc/" .. F.k_owned.pid .. "/oom_score_adj"
  local adj0 = number_in(adj_path)
  local function owner_may(v)
    return writes.run(adj_path, "w", { tostring(v) }, { uid = OWNER })[1]:match("^OK") ~= nil
  end
  assert(owner_may(adj0), "the owner cannot write the child's own oom_score_adj")
  local lo, hi = -1000, adj0
  while lo < hi do
    local mid = (lo + hi) // 2
    if owner_may(mid) then hi = mid else lo = mid + 1 end
  end
  assert(owner_may(adj0))
  F.twin_adj, F.twin_min = adj0, hi

  -- The stopped child's memory as its oom_score sees it, and the machine's.
  local st = read("/proc/" .. F.k_score.pid .. "/status")
  local function kb(key) return math.tointeger(tonumber(st:match("\n" .. key .. ":%s*(%d+) kB"))) end
  F.score_rss, F.score_swap, F.score_pte = kb("VmRSS") // 4, kb("VmSwap") // 4, kb("VmPTE")
  F.score_adj0 = number_in("/proc/" .. F.k_score.pid .. "/oom_score_adj")
  F.core0 = tonumber(read("/proc/" .. F.k_root.pid .. "/coredump_filter"), 16)
  local meminfo = read("/proc/meminfo")

  local world = F.work .. "/world.lua"
  fsx.write(world, ([[
local p = require "proclua"
local U = %d
local function owned(t) t.uid = { U, U, U, U }; t.gid = { U, U, U, U }; return t end
return p.world {
  self = %d,
  machine = { meminfo = %q },
  tasks = {
    owned { pid = %d, comm = "writeseq", argv = { "writeseq" },
            threads = { { tid = %d, comm = "worker" } } },
    owned { pid = %d, argv = { "oom" }, rss_anon = 1000, threads = { { tid = %d } } },
    owned { pid = %d, argv = { "unpriv" }, rss_anon = 1000, oom_score_adj = 500,
            oom_score_adj_min = 500 },
    owned { pid = %d, argv = { "swap" }, rss_anon = 1000, swap = 2000, pte_kb = 400,
            oom_score_adj_min = -1000 },
    owned { pid = %d, kthread = 1, rss_anon = 1000 },
    owned { pid = %d, argv = { "twin" }, oom_score_adj = %d, oom_score_adj_min = %d },
    owned { pid = %d, argv = { "root" }, oom_score_adj_min = -1000 },
    owned { pid = %d, argv = { "refused" }, rss_anon = 1000 },
    { pid = %d, argv = { "core" } },
    { pid = %d, argv = { "coretwin" }, coredump_filter = %d },
    { pid = %d, argv = { "gone" }, zombie = true },
    owned { pid = %d, argv = { "prog", "arg1" }, env = { "K=v" },
            mem = { { addr = 0x10000, bytes = string.rep("\0", 64) } } },
    owned { pid = %d, comm = "named" },
  },
}
]]):format(OWNER, SELF, "MemTotal:       3000000 kB\nMemFree:        1000000 kB\n"
    .. "SwapTotal:      1000000 kB\nSwapFree:       1000000 kB\n",
    SELF, SELF_THREAD, OOM, OOM + 100, OOM_UNPRIV, OOM_SWAP, OOM_KTHREAD,
    OOM_TWIN, F.twin_adj, F.twin_min, OOM_ROOT, OOM_REFUSED, CORE, CORE_TWIN, F.core0, ZOMBIE,
    MEM, NAMED))
  -- the score twin's machine is the host's
  local score_world = F.work .. "/score_world.lua"
  fsx.write(score_world, ([[
local p = require "proclua"
return p.world { machine = { meminfo = %q }, tasks = {
  { pid = %d, argv = { "score" }, rss = %d, swap = %d, pte_kb = %d, oom_score_adj = %d } } }
]]):format(meminfo, SCORE_TWIN, F.score_rss, F.score_swap, F.score_pte, F.score_adj0))
  F.mount = mnt.start { options = "allow_other", args = { "--world", world } }
  suite.defer("unmount " .. F.mount.dir, function() return F.mount:stop() end)
  F.score_mount = mnt.start { options = "allow_other", args = { "--world", score_world } }
  suite.defer("unmount " .. F.score_mount.dir, function() return F.score_mount:stop() end)
  return F
end)

local function W(rel) return fixture().mount:path(rel) end
local function task(pid, file) return W(pid .. "/" .. file) end

-- One write per run of the helper, each on a handle of its own.
local function each(path, list, opts)
  local out = {}
  for i, bytes in ipairs(list) do out[i] = writes.run(path, "w", { bytes }, opts)[1] end
  return out
end

------------------------------------------------------------------------
-- oom_score_adj

TestOomScoreAdj = {}

-- Bytes Linux refuses, whoever writes: the value is the first 12 bytes,
-- stripped of whitespace, parsed by kstrtoint with base 0, in [-1000, 1000].
local REFUSED = {
  { "abc", "write:EINVAL" }, { "1001", "write:EINVAL" }, { "-1001", "write:EINVAL" },
  { "5x", "write:EINVAL" }, { " ", "write:EINVAL" }, { "\n", "write:EINVAL" },
  { "0x", "write:EINVAL" }, { "08", "write:EINVAL" }, { "- 5", "write:EINVAL" },
  { "5 5", "write:EINVAL" }, { "-+5", "write:EINVAL" },
  { "--5", "write:EINVAL" }, { "2147483648", "write:ERANGE" },
  { "   100000000000000", "write:EINVAL" }, -- the first 12 bytes: 100000000, out of range
  { "99999999999", "write:ERANGE" },       -- past int
  { "7000000000000", "write:ERANGE" },     -- 13 bytes: the first 12 are past int
}

function TestOomScoreAdj.test_refused_bytes_change_nothing()
  local path = task(OOM_REFUSED, "oom_score_adj")
  for _, c in ipairs(REFUSED) do
    lu.assertEquals(writes.run(path, "w", { c[1] })[1], c[2], "writing " .. ("%q"):format(c[1]))
  end
  lu.assertEquals(read(path), "0\n")
  lu.assertEquals(read(task(OOM_REFUSED, "oom_score")), "0\n") -- as declared: never recomputed
  -- the first accepted write computes it: rss 1000 pages of 1,000,000
  -- (MemTotal + SwapTotal), (1000 + 1) * 2 / 3
  lu.assertEquals(writes.run(path, "w", { "0" })[1], "OK 1")
  lu.assertEquals(read(task(OOM_REFUSED, "oom_score")), "667\n")
end

function TestOomScoreAdj.test_accepted_forms_and_the_oom_score_that_follows()
  local path = task(OOM, "oom_score_adj")
  local cases = {
    -- bytes, count, value read back, oom_score: (1000 + (1000 + adj * 1000) * 1000 / 1e6) * 2 / 3
    { " 5 \n", "OK 4", "5\n", "670\n" },
    { "0x10", "OK 4", "16\n", "678\n" },
    { "+5", "OK 2", "5\n", "670\n" },
    { "0001750", "OK 7", "1000\n", "1334\n" },         -- octal
    { "1000        x", "OK 12", "1000\n", "1334\n" },  -- 13 bytes: the 13th is never seen
    { "70\0junk", "OK 7", "70\n", "714\n" },            -- the value ends at a NUL
    { "700\n", "OK 4", "700\n", "1134\n" },
    { "-0", "OK 2", "0\n", "667\n" },
  }
  for _, c in ipairs(cases) do
    local what = "writing " .. ("%q"):format(c[1])
    lu.assertEquals(writes.run(path, "w", { c[1] })[1], c[2], what)
    lu.assertEquals(read(path), c[3], what)
    lu.assertEquals(read(task(OOM, "oom_score")), c[4], what)
  end
  -- the group's: the thread's file says the same, and a write there is the group's
  lu.assertEquals(writes.run(W(OOM .. "/task/" .. (OOM + 100) .. "/oom_score_adj"), "w", { "10" })[1], "OK 2")
  lu.assertEquals(read(path), "10\n")
  lu.assertEquals(read(W(OOM .. "/task/" .. OOM .. "/oom_score_adj")), "10\n")
  lu.assertEquals(read(W(OOM .. "/task/" .. (OOM + 100) .. "/oom_score")), "674\n")
  -- no byte of an empty write reaches the daemon (see the top)
  lu.assertEquals(writes.run(path, "w", { "" })[1], "OK 0")
  lu.assertEquals(read(path), "10\n")
end

-- Going below oom_score_adj_min needs CAP_SYS_RESOURCE in the top user
-- namespace; a writer holding it moves the minimum too.
function TestOomScoreAdj.test_root_lowering_depends_on_cap_sys_resource()
  local path = task(OOM_ROOT, "oom_score_adj")
  lu.assertEquals(writes.run(path, "w", { "-600" }, { uid = OWNER })[1], "OK 4") -- min is -1000
  if root_holds(CAP_SYS_RESOURCE) then
    lu.assertEquals(writes.run(path, "w", { "-500" })[1], "OK 4")
    -- the minimum is now -500: the owner may not go back below it
    lu.assertEquals(writes.run(path, "w", { "-600" }, { uid = OWNER })[1], "write:EACCES")
    lu.assertEquals(read(path), "-500\n")
  else
    -- raising is anyone's (who may open the file); the minimum stays -1000
    lu.assertEquals(writes.run(path, "w", { "-500" })[1], "OK 4")
    lu.assertEquals(writes.run(path, "w", { "-600" }, { uid = OWNER })[1], "OK 4")
    lu.assertEquals(read(path), "-600\n")
  end
end

function TestOomScoreAdj.test_an_unprivileged_writer_stays_at_or_above_the_minimum()
  local path = task(OOM_UNPRIV, "oom_score_adj")
  local score = task(OOM_UNPRIV, "oom_score")
  lu.assertEquals(read(score), "0\n") -- as declared; it follows the first write
  local as_owner = { uid = OWNER }
  lu.assertEquals(writes.run(path, "w", { "400" }, as_owner)[1], "write:EACCES")
  lu.assertEquals(read(path), "500\n")
  lu.assertEquals(read(score), "0\n")
  lu.assertEquals(writes.run(path, "w", { "500" }, as_owner)[1], "OK 3")
  lu.assertEquals(read(score), "1000\n")
  lu.assertEquals(writes.run(path, "w", { "600" }, as_owner)[1], "OK 3")
  lu.assertEquals(read(score), "1067\n")
  -- raising did not move the minimum: back down to it is allowed, below is not
  lu.assertEquals(writes.run(path, "w", { "550" }, as_owner)[1], "OK 3")
  lu.assertEquals(writes.run(path, "w", { "499" }, as_owner)[1], "write:EACCES")
  lu.assertEquals(read(path), "550\n")
  lu.assertEquals(read(score), "1034\n")
  if not root_holds(CAP_SYS_RESOURCE) then
    lu.assertEquals(writes.run(path, "w", { "-1000" })[1], "write:EACCES")
    lu.assertEquals(read(path), "550\n")
  end
  -- another user may not open it (0644, the task's owner's)
  lu.assertEquals(writes.run(path, "w", { "600" }, { uid = OTHER })[1], "open:EACCES")
  lu.assertEquals(read(path), "550\n")
end

-- oom_badness: rss + swap entries + page-table pages, plus the adjustment in
-- thousandths of the memory; the quotient truncates toward zero.
function TestOomScoreAdj.test_oom_score_counts_swap_and_page_tables()
  local path, score = task(OOM_SWAP, "oom_score_adj"), task(OOM_SWAP, "oom_score")
  local as_owner = { uid = OWNER }
  lu.assertEquals(writes.run(path, "w", { "0" }, as_owner)[1], "OK 1")
  lu.assertEquals(read(score), "668\n")   -- 1000 + 2000 + 400 kB / 4: (1000 + 3) * 2 / 3
  lu.assertEquals(writes.run(path, "w", { "-500" }, as_owner)[1], "OK 4")
  lu.assertEquals(read(score), "336\n")   -- 3100 - 500000 -> -496.9 -> -496: 504 * 2 / 3
  lu.assertEquals(writes.run(path, "w", { "-1000" }, as_owner)[1], "OK 5")
  lu.assertEquals(read(score), "0\n")     -- never chosen
  lu.assertEquals(writes.run(path, "w", { "-500" }, as_owner)[1], "OK 4")
end

function TestOomScoreAdj.test_a_kernel_thread_scores_zero()
  lu.assertEquals(writes.run(task(OOM_KTHREAD, "oom_score_adj"), "w", { "1000" })[1], "OK 4")
  lu.assertEquals(read(task(OOM_KTHREAD, "oom_score")), "0\n")
end

-- The same bytes, in the same order, from the same writers, to a real
-- process and to its twin (the same value and minimum): the same answers,
-- and the same value after each.
function TestOomScoreAdj.test_the_same_answers_as_the_kernel()
  local F = fixture()
  local kpath = "/proc/" .. F.k_owned.pid .. "/oom_score_adj"
  local wpath = task(OOM_TWIN, "oom_score_adj")
  local seq = {}
  for _, c in ipairs(REFUSED) do seq[#seq + 1] = { OWNER, c[1] } end
  local below = F.twin_min > -1000 and tostring(F.twin_min - 1) or "-1000"
  for _, step in ipairs {
    { OWNER, " 5 \n" }, { OWNER, "0x10" }, { OWNER, "+5" }, { OWNER, "0001750" },
    { OWNER, "1000        x" }, { OWNER, "70\0junk" }, { OWNER, below },
    { OWNER, tostring(F.twin_min) }, { OWNER, "1000" }, { "root", "-1000" },
    { "root", "999" }, { OWNER, below }, { OTHER, "1000" }, { OWNER, tostring(F.twin_adj) },
  } do seq[#seq + 1] = step end
  for _, s in ipairs(seq) do
    local opts = s[1] ~= "root" and { uid = s[1] } or nil
    local what = ("%s writing %q"):format(s[1], s[2])
    local k = writes.run(kpath, "w", { s[2] }, opts)[1]
    local w = writes.run(wpath, "w", { s[2] }, opts)[1]
    lu.assertEquals(w, k, what)
    lu.assertEquals(read(wpath), read(kpath), what)
  end
end

-- oom_score as the kernel computes it for a stopped process, from its
-- status (VmRSS, VmSwap, VmPTE) and the host's meminfo.
function TestOomScoreAdj.test_oom_score_as_the_kernel_computes_it()
  local F = fixture()
  local kdir = "/proc/" .. F.k_score.pid
  local wdir = F.score_mount:path(tostring(SCORE_TWIN))
  -- values at or above its own, which any writer may set
  local values = { "1000", tostring(F.score_adj0) }
  if F.score_adj0 < 500 then values[#values + 1] = "500" end
  for _, v in ipairs(values) do
    local k = writes.run(kdir .. "/oom_score_adj", "w", { v })[1]
    local w = writes.run(wdir .. "/oom_score_adj", "w", { v })[1]
    lu.assertEquals(w, k, "writing " .. v)
    lu.assertEquals(read(wdir .. "/oom_score_adj"), read(kdir .. "/oom_score_adj"))
    lu.assertEquals(read(wdir .. "/oom_score"), read(kdir .. "/oom_score"), "after writing " .. v)
  end
end

------------------------------------------------------------------------
-- comm

TestComm = {}

-- Each write renames the writer's own thread: the world's self task, for
-- a writer the world does not contain; /proc/self/comm for the kernel.
-- A fresh writer each time, read back on the same handle.
local COMM_CASES = {
  { "newname", "OK 7", "newname\n" },
  { "abcdefghijklmnopqrstu", "OK 21", "abcdefghijklmno\n" },  -- 15 bytes kept
  { "ab\ncd", "OK 5", "ab\ncd\n" },                            -- the newline is kept
  { "ab\0cd", "OK 5", "ab\n" },                                -- up to the NUL
  { "x\n", "OK 2", "x\n\n" },
  { "\0", "OK 1", "\n" },                                      -- an empty name
}

function TestComm.test_renaming_itself()
  for _, opts in ipairs { {}, { uid = OWNER } } do
    for _, c in ipairs(COMM_CASES) do
      local what = ("uid %s writing %q"):format(opts.uid or 0, c[1])
      lu.assertEquals(writes.run(W("self/comm"), "rw", { c[1], { read = 64, at = 0 } }, opts),
        { c[2], "OK " .. c[3] }, what)
      lu.assertEquals(read(task(SELF, "comm")), c[3], what)
      lu.assertEquals(read(task(SELF, "task/" .. SELF_THREAD .. "/comm")), "worker\n", what)
    end
  end
end

function TestComm.test_the_same_answers_as_the_kernel()
  for _, opts in ipairs { {}, { uid = OWNER } } do
    for _, c in ipairs(COMM_CASES) do
      for _, file in ipairs { "self/comm", "thread-self/comm" } do
        local steps = { c[1], { read = 64, at = 0 } }
        lu.assertEquals(writes.run(W(file), "rw", steps, opts),
          writes.run("/proc/" .. file, "rw", steps, opts), ("%s %q"):format(file, c[1]))
      end
    end
  end
  -- another process's: EINVAL (both are the owner's, so the owner may open them)
  local F = fixture()
  for _, opts in ipairs { {}, { uid = OWNER } } do
    lu.assertEquals(writes.run(task(NAMED, "comm"), "w", { "x" }, opts),
      writes.run("/proc/" .. F.k_owned.pid .. "/comm", "w", { "x" }, opts))
  end
end

function TestComm.test_a_thread_renames_only_itself()
  lu.assertEquals(writes.run(W("self/task/" .. SELF_THREAD .. "/comm"), "w", { "helper" })[1], "OK 6")
  lu.assertEquals(read(task(SELF, "task/" .. SELF_THREAD .. "/comm")), "helper\n")
  lu.assertEquals(read(W(SELF_THREAD .. "/comm")), "helper\n")
  lu.assertEquals(writes.run(W("self/comm"), "w", { "leader" })[1], "OK 6")
  lu.assertEquals(read(task(SELF, "comm")), "leader\n")
  lu.assertEquals(read(task(SELF, "task/" .. SELF .. "/comm")), "leader\n")
  lu.assertStrContains(read(task(SELF, "stat")), "(leader)")
  lu.assertEquals(read(task(SELF, "task/" .. SELF_THREAD .. "/comm")), "helper\n")
  lu.assertEquals(writes.run(W("self/task/" .. SELF_THREAD .. "/comm"), "w", { "worker" })[1], "OK 6")
end

function TestComm.test_another_task_is_einval_and_keeps_its_name()
  for _, opts in ipairs { {}, { uid = OWNER } } do
    lu.assertEquals(writes.run(task(NAMED, "comm"), "w", { "x" }, opts)[1], "write:EINVAL")
  end
  lu.assertEquals(writes.run(task(NAMED, "comm"), "w", { "x" }, { uid = OTHER })[1], "open:EACCES")
  lu.assertEquals(read(task(NAMED, "comm")), "named\n")
end

function TestComm.test_an_empty_write_never_arrives()
  lu.assertEquals(writes.run(W("self/comm"), "w", { "kept" })[1], "OK 4")
  lu.assertEquals(writes.run(W("self/comm"), "w", { "" })[1], "OK 0")
  lu.assertEquals(read(task(SELF, "comm")), "kept\n") -- Linux would empty it
end

------------------------------------------------------------------------
-- coredump_filter

TestCoredumpFilter = {}

-- bytes, answer, filter read back: kstrtouint_from_user with base 0 (no
-- whitespace allowed but one trailing newline, the first 34 bytes), the
-- low 9 bits kept; the whole count is reported.
local CORE_CASES = {
  { "0x3f", "OK 4", "0000003f\n" },
  { "070", "OK 3", "00000038\n" },
  { "511", "OK 3", "000001ff\n" },
  { "0x600", "OK 5", "00000000\n" },      -- masked to 9 bits
  { "+1", "OK 2", "00000001\n" },
  { "2\n", "OK 2", "00000002\n" },
  { " 3", "write:EINVAL", "00000002\n" },
  { "3 ", "write:EINVAL", "00000002\n" },
  { "junk", "write:EINVAL", "00000002\n" },
  { "-1", "write:EINVAL", "00000002\n" },
  { "0x", "write:EINVAL", "00000002\n" },
  { "4294967296", "write:ERANGE", "00000002\n" },
  { "99999999999999999999", "write:ERANGE", "00000002\n" },
  { string.rep("0", 38) .. "17", "OK 40", "00000000\n" }, -- 34 zeros are read
  { "0x33", "OK 4", "00000033\n" },
}

function TestCoredumpFilter.test_each_write()
  local path = task(CORE, "coredump_filter")
  lu.assertEquals(read(path), "00000033\n")
  for _, c in ipairs(CORE_CASES) do
    local what = "writing " .. ("%q"):format(c[1])
    lu.assertEquals(writes.run(path, "w", { c[1] })[1], c[2], what)
    lu.assertEquals(read(path), c[3], what)
  end
  lu.assertEquals(writes.run(path, "w", { "" })[1], "OK 0") -- never arrives (Linux: EINVAL)
  lu.assertEquals(read(path), "00000033\n")
end

function TestCoredumpFilter.test_the_same_answers_as_the_kernel()
  local F = fixture()
  local kpath = "/proc/" .. F.k_root.pid .. "/coredump_filter"
  local wpath = task(CORE_TWIN, "coredump_filter")
  lu.assertEquals(read(wpath), read(kpath))
  for _, c in ipairs(CORE_CASES) do
    local what = "writing " .. ("%q"):format(c[1])
    lu.assertEquals(writes.run(wpath, "w", { c[1] })[1], writes.run(kpath, "w", { c[1] })[1], what)
    lu.assertEquals(read(wpath), read(kpath), what)
  end
  -- a task without mm: ESRCH (a zombie's file is root's, root may open it)
  lu.assertEquals(writes.run(task(ZOMBIE, "coredump_filter"), "w", { "1" })[1], "write:ESRCH")
  lu.assertEquals(writes.run("/proc/" .. F.k_zombie .. "/coredump_filter", "w", { "1" })[1],
    "write:ESRCH")
  lu.assertEquals(read(task(ZOMBIE, "coredump_filter")), "")
end

------------------------------------------------------------------------
-- mem

TestMem = {}

function TestMem.test_write_then_read_back()
  local path = task(MEM, "mem")
  lu.assertEquals(writes.run(path, "rw", { { "hello", at = 0x10000 }, { read = 8, at = 0x10000 } }),
    { "OK 5", "OK hello\0\0\0" })
  -- from a handle opened only for writing, then a new one
  lu.assertEquals(writes.run(path, "w", { { "HE", at = 0x10000 } }), { "OK 2" })
  lu.assertEquals(writes.run(path, "rw", { { read = 5, at = 0x10000 } }), { "OK HEllo" })
end

function TestMem.test_short_at_the_first_unmapped_byte_eio_at_the_first()
  local path = task(MEM, "mem")
  -- 64 bytes are mapped at 0x10000: 4 of these 8 land
  lu.assertEquals(writes.run(path, "rw", { { "abcdefgh", at = 0x1003c }, { read = 8, at = 0x10038 } }),
    { "OK 4", "OK \0\0\0\0abcd" })
  lu.assertEquals(writes.run(path, "rw", { { "zz", at = 0x10040 }, { "zz", at = 0 },
                                           { read = 4, at = 0x1003c } }),
    { "write:EIO", "write:EIO", "OK abcd" })
end

-- Writes land in the address space cmdline and environ read.
function TestMem.test_cmdline_and_environ_show_what_was_written()
  local stat = read(task(MEM, "stat"))
  local f = {}
  for w in stat:match("%) (.*)$"):gmatch("%S+") do f[#f + 1] = w end
  -- stat's fields 48 (arg_start) and 50 (env_start): 46 and 48 after "pid (comm) "
  local arg_start, env_start = math.tointeger(tonumber(f[46])), math.tointeger(tonumber(f[48]))
  lu.assertEquals(read(task(MEM, "cmdline")), "prog\0arg1\0")
  local path = task(MEM, "mem")
  lu.assertEquals(writes.run(path, "w", { { "PROG", at = arg_start }, { "Q=w", at = env_start } }),
    { "OK 4", "OK 3" })
  lu.assertEquals(read(task(MEM, "cmdline")), "PROG\0arg1\0")
  lu.assertEquals(read(task(MEM, "environ")), "Q=w\0")
end

-- mem_open's ptrace ATTACH check, made at the open: a writer who may not
-- attach gets EACCES there (and so does one the mode bits refuse).
function TestMem.test_who_may_open_it()
  local F = fixture()
  local nopt = { "setpriv", "--bounding-set=-sys_ptrace", "--" }
  local kpath = "/proc/" .. F.k_owned.pid .. "/mem"
  local wpath = task(MEM, "mem")
  for _, c in ipairs {
    { "other", { uid = OTHER } }, { "root without CAP_SYS_PTRACE", { wrap = nopt } },
  } do
    lu.assertEquals(writes.run(wpath, "w", { { "x", at = 0x10000 } }, c[2])[1], "open:EACCES", c[1])
    lu.assertEquals(writes.run(kpath, "w", { { "x", at = 0x10000 } }, c[2])[1], "open:EACCES", c[1])
  end
  -- a task without mm: ESRCH at the open
  lu.assertEquals(writes.run(task(ZOMBIE, "mem"), "w", { { "x", at = 0 } }), { "open:ESRCH" })
  lu.assertEquals(writes.run("/proc/" .. F.k_zombie .. "/mem", "w", { { "x", at = 0 } }),
    { "open:ESRCH" })
  -- the owner (as Yama, if any, decides for both), and address 0 is
  -- unmapped in both
  lu.assertEquals(writes.run(wpath, "w", { { "x", at = 0 } }, { uid = OWNER }),
    writes.run(kpath, "w", { { "x", at = 0 } }, { uid = OWNER }))
end

suite.run()
