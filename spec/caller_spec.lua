-- The permission matrix: every caller judged as the kernel judges it.
--
-- Targets of many kinds are started and stopped (SIGSTOP, so their files
-- hold still); callers of many kinds then look at every per-task path of
-- the stock layout, through the kernel's /proc and through a proclua mount
-- in the same run of the probe helper, and the outcomes must be the same:
-- the same errno, or the same bytes (content hash) for a read, the same
-- target for a readlink, the same names for a listing.
--
-- Callers:
--   root; root without CAP_SYS_PTRACE (dropped from its bounding set);
--   users 40001 (owner of most targets) and 40002; 40003 holding group
--   40001; 40002 inside a user namespace of its own (unshare -U -r); root
--   inside a user namespace of its own.
-- A caller the daemon's pid namespace cannot see (FUSE names it pid 0) is
-- judged as a stranger with no capabilities, never with the daemon's rights:
-- through a daemon in a pid namespace of its own, root is compared with the
-- kernel's answers for root holding no capability (its fsuid still counts).
--
-- Differences that remain are listed in KNOWN below, by caller, target and
-- path, with the reason; none is matched by a pattern.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local probe = require "probe"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local OWNER, OTHER, GROUPIE = 40001, 40002, 40003

-- (sched and arch_status are not among them: sched's clock-delta is new at
-- every read, arch_status's AVX-512 time grows, so no two reads need have
-- the same bytes; host_diff_spec compares them with that masked)
local FILES = { "auxv", "cmdline", "environ", "comm", "uid_map", "gid_map", "setgroups",
  "mem", "maps", "smaps", "smaps_rollup", "stat", "statm", "status", "io", "limits",
  "cgroup", "oom_score", "oom_score_adj", "coredump_filter", "wchan", "mounts",
  "mountinfo", "fdinfo/0", "loginuid", "sessionid", "personality", "oom_adj",
  "timerslack_ns", "schedstat", "autogroup", "cpuset", "stack", "syscall", "attr/current",
  "attr/prev", "attr/exec", "attr/fscreate", "attr/keycreate", "attr/sockcreate",
  "mountstats", "ksm_merging_pages", "ksm_stat", "timers", "timens_offsets",
  "projid_map", "clear_refs" }
local LINKS = { "exe", "cwd", "root", "fd/0", "ns/net", "ns/uts", "ns/ipc", "ns/pid",
  "ns/pid_for_children", "ns/user", "ns/mnt", "ns/cgroup", "ns/time",
  "ns/time_for_children" }
local DIRS = { "", "fd", "map_files", "fdinfo", "ns", "task", "attr" }

local function perl_sleeper(prefix)
  return (prefix or "") .. '$| = 1; print "ready\\n"; sleep 1000 while 1'
end

local function as_user(uid, extra)
  local argv = { "setpriv", "--reuid=" .. uid, "--regid=" .. uid, "--clear-groups" }
  for _, w in ipairs(extra or {}) do argv[#argv + 1] = w end
  argv[#argv + 1] = "--"
  return argv
end

local function cat(...)
  local out = {}
  for _, list in ipairs { ... } do
    for _, w in ipairs(list) do out[#out + 1] = w end
  end
  return out
end

local PERL = { "perl", "-e", perl_sleeper() }

local fixture = suite.once(function()
  local F = procs.fixture("proclua-caller")
  F.targets = {}
  local function start(kind, argv, ready)
    local p = F.spawn(kind, argv)
    F.targets[kind] = { proc = p, pid = p.pid, ready = ready ~= false }
    return p
  end
  start("root", PERL)
  start("user", cat(as_user(OWNER), PERL))
  -- dropped to the owner after starting as root: not dumpable
  start("nondumpable", { "perl", "-e", perl_sleeper(
    "use POSIX (); POSIX::setgid(" .. OWNER .. ") or die; POSIX::setuid(" .. OWNER .. ") or die; ") })
  -- as a setuid program leaves it: real uid the user's, effective root,
  -- not dumpable (the effective uid changed)
  start("setuid", { "perl", "-e", perl_sleeper("$< = " .. OWNER .. "; $> = " .. OWNER .. "; $> = 0; ") })
  -- a capability in its permitted set
  start("caps", cat(as_user(OTHER, { "--inh-caps=+net_raw", "--ambient-caps=+net_raw" }), PERL))
  -- inside a user namespace its owner made
  start("userns", cat(as_user(OWNER), { "unshare", "-U", "-r" }, PERL))
  -- several threads, owned by the owner
  assert(sh.ok("mkdir " .. F.work .. "/threads-dir && chmod 777 " .. F.work .. "/threads-dir"))
  start("threads", cat(as_user(OWNER), { testenv.helper("threads"), F.work .. "/threads-dir" }))
  -- a zombie of the owner: its parent never reaps it
  start("zombie_parent", cat(as_user(OWNER), { "sh", "-c", "sleep 0 & exec sleep 1000" }), false)
  for kind, t in pairs(F.targets) do
    if t.ready then t.proc:wait_output("^ready") end
  end
  F.zombie = procs.zombie_of(F.targets.zombie_parent.pid)
  for _, t in pairs(F.targets) do t.proc:stop_and_wait() end
  F.targets.zombie_parent = nil
  F.targets.zombie = { pid = F.zombie }
  local tids = procs.tids(F.targets.threads.pid)
  F.targets.thread = { pid = tids[#tids], hidden = true } -- /proc/<tid> of a non-leader
  F.targets.kthread = { pid = 2 }

  F.mount = mnt.start { options = "allow_other" }
  suite.defer("unmount " .. F.mount.dir, function() return F.mount:stop() end)
  return F
end)

local CALLERS = {
  root = {},
  root_without_ptrace = { "setpriv", "--bounding-set=-sys_ptrace", "--" },
  owner = as_user(OWNER),
  other = as_user(OTHER),
  groupie = { "setpriv", "--reuid=" .. GROUPIE, "--regid=" .. GROUPIE, "--groups=" .. OWNER, "--" },
  other_in_userns = cat(as_user(OTHER), { "unshare", "-U", "-r" }),
  root_in_userns = { "unshare", "-U", "-r" },
}

-- Differences that remain, "caller target path" = reason.
local KNOWN = {}

local function paths_of(base, list)
  local out = {}
  for _, rel in ipairs(list) do out[#out + 1] = rel == "" and base or (base .. "/" .. rel) end
  return out
end

-- Entries of Linux's task directory that proclua does not serve yet: the
-- kernel's listing less exactly these names is compared.
local NOT_SERVED = {}
for name in ([[map_files net
  latency cpu_resctrl_groups make-it-fail fail-nth patch_state
  stack_depth seccomp_cache]]):gmatch("%S+") do
  NOT_SERVED[name] = true
end

local function served(listing)
  local names = listing:match("^OK (.*)$")
  if not names then return listing end
  local kept = {}
  for n in names:gmatch("[^/]+") do
    if not NOT_SERVED[n] then kept[#kept + 1] = n end
  end
  return "OK " .. table.concat(kept, "/")
end

-- Run one op over the kernel's and proclua's paths of every target, as one
-- caller; returns a list of mismatch descriptions.  Each kernel path is
-- read just before its proclua twin by the same process, and a pair that
-- differs is read again (kernel, proclua, kernel): what a race with the
-- rest of the machine moved (a shared page's Pss) does not persist.  With
-- kernel_wrap, the kernel's side is read by another caller, in another run.
local function compare(caller, wrap, mount_dir, op, rels, kernel_wrap)
  local F = fixture()
  local pairs_, names = {}, {}
  local kinds = {}
  for kind in pairs(F.targets) do kinds[#kinds + 1] = kind end
  table.sort(kinds)
  for _, kind in ipairs(kinds) do
    local pid = F.targets[kind].pid
    for _, rel in ipairs(rels) do
      local sub = rel == "" and "" or ("/" .. rel)
      pairs_[#pairs_ + 1] = { ("/proc/%d%s"):format(pid, sub), ("%s/%d%s"):format(mount_dir, pid, sub) }
      names[#names + 1] = kind .. " " .. (rel == "" and "." or rel)
    end
  end
  local function run(paths, w)
    local r = probe.run(cat({ op }, paths), { wrap = w })
    if op == "list" then
      for i = 1, #r do r[i] = served(r[i]) end
    end
    return r
  end
  local function results(list)
    local k, o = {}, {}
    if kernel_wrap then
      local kp, op_ = {}, {}
      for _, p in ipairs(list) do kp[#kp + 1] = p[1]; op_[#op_ + 1] = p[2] end
      k, o = run(kp, kernel_wrap), run(op_, wrap)
    else
      local flat = {}
      for _, p in ipairs(list) do flat[#flat + 1] = p[1]; flat[#flat + 1] = p[2] end
      local r = run(flat, wrap)
      for i = 1, #list do k[i], o[i] = r[2 * i - 1], r[2 * i] end
    end
    return k, o
  end
  local k, o = results(pairs_)
  local bad = {}
  for i = 1, #names do
    -- up to three more looks, each kernel, proclua, kernel: a busy machine
    -- can move a shared page's Pss or a user's queued signals more than once
    local same, k2, o2 = k[i] == o[i], k[i], o[i]
    for _ = 1, 3 do
      if same then break end
      local kk, oo = results({ pairs_[i], pairs_[i] })
      k2, o2 = kk[1], oo[1]
      same = kk[1] == oo[1] or kk[2] == oo[1]
    end
    if not same and not KNOWN[caller .. " " .. names[i]] then
      bad[#bad + 1] = ("%s %s %s: kernel %s, proclua %s"):format(caller, op, names[i], k2, o2)
    end
  end
  return bad
end

-- A file read by one pread at offset 0 (of size bytes), the kernel's and
-- ours, each answer seen through shown (nil: as it is).
local function compare_pread(caller, wrap, mount_dir, kernel_wrap, file, size, shown)
  local F = fixture()
  local kinds = {}
  for kind in pairs(F.targets) do kinds[#kinds + 1] = kind end
  table.sort(kinds)
  local bad = {}
  for _, kind in ipairs(kinds) do
    local pid = F.targets[kind].pid
    local function look(base, w)
      local r = probe.run({ "pread", ("%s/%d/%s"):format(base, pid, file), "0", tostring(size) },
                          { wrap = w })[1]
      return shown and shown(r) or r
    end
    local k, o = look("/proc", kernel_wrap or wrap), look(mount_dir, wrap)
    if k ~= o and not KNOWN[caller .. " " .. kind .. " " .. file] then
      bad[#bad + 1] = ("%s pread %s %s: kernel %q, proclua %q"):format(caller, kind, file, k, o)
    end
  end
  return bad
end

-- numa_maps, with each mapmax= masked: the most processes mapping one
-- page of the region, which any process starting or ending on the machine
-- moves for a shared library's pages (this spec's own probes among them),
-- stopped target or not.  host_diff_spec compares it unmasked.
local function numa_text(result)
  local hex = result:match("^OK %d+ (%x*)")
  if not hex then return result end
  local text = hex:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end)
  return (text:gsub(" mapmax=%d+", " mapmax=<moves>"))
end

local function check(caller, wrap, mount_dir, kernel_wrap)
  local bad = {}
  for _, part in ipairs {
    compare(caller, wrap, mount_dir, "read", FILES, kernel_wrap),
    compare(caller, wrap, mount_dir, "readlink", LINKS, kernel_wrap),
    compare(caller, wrap, mount_dir, "list", DIRS, kernel_wrap),
    compare(caller, wrap, mount_dir, "lstat", cat(FILES, { "pagemap", "numa_maps" }, LINKS, DIRS),
            kernel_wrap),
    -- pagemap, binary and as large as the address space, is not read
    -- whole: the open (ptrace READ, ESRCH for a task without mm) and the
    -- first entries (page 0 is never mapped: no frame number either way)
    compare_pread(caller, wrap, mount_dir, kernel_wrap, "pagemap", 16),
    compare_pread(caller, wrap, mount_dir, kernel_wrap, "numa_maps", 1048576, numa_text),
  } do
    for _, b in ipairs(part) do bad[#bad + 1] = b end
  end
  if #bad > 0 then
    lu.fail(#bad .. " differences from the kernel:\n  " .. table.concat(bad, "\n  "))
  end
end

-- Writes, as the same matrix: every caller writes every writable file of
-- every target, through the kernel's /proc and through the mount, and the
-- outcomes must be the same.  What is written changes nothing a later look
-- could see: each file's own content as the kernel shows it now (a value
-- written back, a comm renamed to itself, "allow" for a setgroups that
-- allows), "0 0 1" to id maps already written (EPERM), one byte to mem at
-- address 0 (never mapped: EIO), so the kernel's side and proclua's judge
-- the same state.  Files that take no writes (status, stat) are in too.
-- (autogroup is not among them: a change of an autogroup's nice shuts out
-- the next for 100 ms machine-wide, so the kernel's write would refuse the
-- mount's twin, or the other way round)
local WRITABLE = { "comm", "oom_score_adj", "coredump_filter", "uid_map", "gid_map",
  "setgroups", "mem", "status", "stat", "oom_adj", "loginuid", "timerslack_ns", "sched",
  "attr/current", "timens_offsets", "projid_map", "clear_refs" }

-- A file's content as the kernel shows it, or "0" where it shows none (a
-- task without mm: coredump_filter): an empty write never reaches a FUSE
-- daemon (the kernel answers 0 for it), where procfs parses it.
local function current(path)
  local text = fsx.read(path)
  text = text and text:gsub("\n$", "")
  return (text and text ~= "") and text or "0"
end

local function write_data(pid, name)
  if name == "uid_map" or name == "gid_map" then return "0 0 1" end
  -- a count of 0: never written (the userns target's projid_map is
  -- empty), so every caller meets each check before the parser's EINVAL;
  -- clear_refs's parser refuses "x" after the open's checks
  if name == "projid_map" then return "0 0 0" end
  if name == "clear_refs" then return "x" end
  if name == "mem" or name == "status" or name == "stat" or name == "sched" or name == "attr/current" then
    return "x"
  end
  return current(("/proc/%d/%s"):format(pid, name))
end

local function check_writes(caller, wrap, mount_dir)
  local F = fixture()
  local kinds = {}
  for kind in pairs(F.targets) do kinds[#kinds + 1] = kind end
  table.sort(kinds)
  local args, names = {}, {}
  for _, kind in ipairs(kinds) do
    local pid = F.targets[kind].pid
    for _, name in ipairs(WRITABLE) do
      local data = write_data(pid, name)
      for _, base in ipairs { "/proc", mount_dir } do
        args[#args + 1] = ("%s/%d/%s"):format(base, pid, name)
        args[#args + 1] = data
      end
      names[#names + 1] = kind .. " " .. name
    end
  end
  local r = probe.run(cat({ "write" }, args), { wrap = wrap })
  local bad = {}
  for i, name in ipairs(names) do
    local k, o = r[2 * i - 1], r[2 * i]
    if k ~= o and not KNOWN[caller .. " write " .. name] then
      bad[#bad + 1] = ("%s write %s: kernel %s, proclua %s"):format(caller, name, k, o)
    end
  end
  if #bad > 0 then
    lu.fail(#bad .. " differences from the kernel:\n  " .. table.concat(bad, "\n  "))
  end
end

TestCallers = {}
for caller, wrap in pairs(CALLERS) do
  TestCallers["test_" .. caller] = function()
    check(caller, wrap, fixture().mount.dir)
  end
  TestCallers["test_writes_" .. caller] = function()
    check_writes(caller, wrap, fixture().mount.dir)
  end
end

-- Through a daemon in a pid namespace of its own, every caller is pid 0 to
-- it: root then gets what root holding no capability gets from the kernel.
function TestCallers.test_a_caller_the_daemon_cannot_see()
  local F = fixture()
  local m = mnt.start { options = "allow_other",
                        command = { "unshare", "--pid", "--fork", "--kill-child", testenv.bin(), "-f" } }
  suite.defer("unmount " .. m.dir, function() return m:stop() end)
  check("unseen", {}, m.dir, { "setpriv", "--inh-caps=-all", "--bounding-set=-all", "--" })
  lu.assertNotNil(F)
end

-- Names are read as Linux's name_to_int reads them.
function TestCallers.test_odd_names_are_not_pids()
  local F = fixture()
  local m, pid = F.mount.dir, F.targets.user.pid
  local paths = {}
  for _, n in ipairs { " " .. pid, "\t" .. pid, "+" .. pid, "0" .. pid, pid .. " ", "0", "-1" } do
    paths[#paths + 1] = m .. "/" .. n
    paths[#paths + 1] = m .. "/" .. F.targets.threads.pid .. "/task/" .. n
  end
  for _, n in ipairs { " 0", "+0", "00", "01", "0 " } do
    paths[#paths + 1] = ("%s/%d/fd/%s"):format(m, pid, n)
  end
  for _, r in ipairs(probe.lstat(paths)) do lu.assertEquals(r, "lstat:ENOENT") end
end

-- A caller denied fdinfo/ is told so before its name is looked at.
function TestCallers.test_fdinfo_is_checked_before_the_name()
  local F = fixture()
  local pid = F.targets.root.pid
  local r = probe.lstat({ ("/proc/%d/fdinfo/bad"):format(pid), ("%s/%d/fdinfo/bad"):format(F.mount.dir, pid) },
                        { uid = OTHER })
  lu.assertEquals(r[1], "lstat:EACCES")
  lu.assertEquals(r[2], r[1])
end

------------------------------------------------------------------------------
-- Handles pin what Linux pins: their task, never a later one under the
-- same number, and (mem, environ, auxv, maps, smaps) its address space as
-- of the open.  A probe holds files of the kernel's /proc and of the mount
-- open, as uid OTHER; then the task changes under it; then it reads.

local HELD = { "environ", "auxv", "maps", "smaps", "smaps_rollup", "stat", "wchan", "status",
  "cmdline", "io", "limits", "statm" }

-- Hold the kernel's and the mount's files of pid open as uid OTHER, let
-- change() alter the task, read, and compare what each side gave.
local function held_across(tag, pid, change)
  local F = fixture()
  local go = ("%s/%s.go"):format(F.work, tag)
  local paths = {}
  local arg_start = math.tointeger(procs.stat(pid)[48])
  local rels = { "mem@" .. arg_start }
  for _, f in ipairs(HELD) do rels[#rels + 1] = f end
  for _, rel in ipairs(rels) do
    paths[#paths + 1] = ("/proc/%d/%s"):format(pid, rel)
    paths[#paths + 1] = ("%s/%d/%s"):format(F.mount.dir, pid, rel)
  end
  local holder = procs.spawn(cat(as_user(OTHER), { testenv.helper("probe"), "hold", go }, paths),
    { stdout = F.work .. "/" .. tag .. ".hold", name = "hold" })
  local ok, err = pcall(function()
    holder:wait_output("^ready$")
    change()
    fsx.write(go, "")
    assert(holder:wait_exit(60), "the holding probe did not finish")
  end)
  local out = holder:output()
  holder:reap()
  if not ok then error(err, 0) end
  local lines = fsx.lines(out)
  local bad = {}
  for i = 1, #rels do
    local k = (lines[2 * i] or ""):match("^%S+ (.*)$")
    local o = (lines[2 * i + 1] or ""):match("^%S+ (.*)$")
    if k ~= o then bad[#bad + 1] = ("%s: kernel %s, proclua %s"):format(rels[i], tostring(k), tostring(o)) end
  end
  if #bad > 0 then lu.fail(tag .. ":\n  " .. table.concat(bad, "\n  ")) end
end

function TestCallers.test_handles_keep_their_task_when_its_pid_is_reused()
  local F = fixture()
  local probe_w = io.open(procs.NS_LAST_PID, "wb")
  if not probe_w then lu.skip(procs.NS_LAST_PID .. " is not writable here") end
  probe_w:close()
  local child = procs.spawn(cat(as_user(OTHER), PERL), { stdout = F.work .. "/reused.out", name = "reused" })
  local successor
  local ok, err = pcall(function()
    child:wait_output("^ready")
    local pid = child.pid
    held_across("reuse", pid, function()
      child:signal("KILL")
      child:reap()
      successor = assert(procs.spawn_as_pid(pid, PERL, { stdout = F.work .. "/successor.out", name = "successor" }),
        "no process took the number again")
      successor:wait_output("^ready")
    end)
  end)
  child:reap()
  if successor then successor:reap() end
  if not ok then error(err, 0) end
end

function TestCallers.test_handles_keep_the_address_space_across_a_setuid_exec()
  local F = fixture()
  local suid, fifo = F.work .. "/suid-sleep", F.work .. "/exec.fifo"
  assert(sh.ok(("cp /bin/sleep %s && chmod 4755 %s && mkfifo -m 666 %s"):format(suid, suid, fifo)))
  local child = procs.spawn(cat(as_user(OTHER),
    { "sh", "-c", ('echo ready; read x < %s; exec %s 1000'):format(fifo, suid) }),
    { stdout = F.work .. "/execs.out", name = "execs" })
  local ok, err = pcall(function()
    child:wait_output("^ready")
    local pid = child.pid
    procs.wait_for(function() return procs.state(pid) == "S" end, 30, "the shell to wait on its fifo")
    held_across("exec", pid, function()
      fsx.write(fifo, "go\n")
      procs.wait_for(function()
        local st = fsx.read(("/proc/%d/status"):format(pid)) or ""
        return st:match("\nUid:\t%d+\t0\t")
      end, 30, "the setuid exec")
    end)
  end)
  child:reap()
  if not ok then error(err, 0) end
end

------------------------------------------------------------------------------
-- Bounded cost: the snapshots handles keep count in their opener's budget
-- (64 MiB a uid); past it a handle makes its file anew at each read.  A
-- caller holding 60 handles on a 20,000-mapping smaps (about 15 MB each),
-- one byte read from each, leaves the daemon's memory within the budget.

local function vm_rss_kb(pid)
  return tonumber((fsx.read(("/proc/%d/status"):format(pid)) or ""):match("\nVmRSS:%s+(%d+) kB"))
end

function TestCallers.test_snapshots_held_for_a_caller_are_bounded()
  local F = fixture()
  local big = procs.spawn(cat(as_user(OTHER), { testenv.helper("mappings"), "20000" }),
    { stdout = F.work .. "/mappings.out", name = "mappings" })
  local go = F.work .. "/nibble.go"
  local holder
  local ok, err = pcall(function()
    big:wait_output("^ready")
    local before = vm_rss_kb(F.mount.proc.pid)
    local paths = {}
    for _ = 1, 60 do paths[#paths + 1] = ("%s/%d/smaps"):format(F.mount.dir, big.pid) end
    holder = procs.spawn(cat(as_user(OTHER), { testenv.helper("probe"), "nibble", go }, paths),
      { stdout = F.work .. "/nibble.out", name = "nibble" })
    holder:wait_output("^ready$", 300)
    local grown = (vm_rss_kb(F.mount.proc.pid) - before) / 1024
    -- (under AddressSanitizer freed memory waits in its quarantine, so
    -- resident memory says nothing about what the daemon holds)
    if not os.getenv("PROCLUA_SPEC_PRELOAD") then
      lu.assertTrue(grown < 64 + 32, ("the daemon grew by %.0f MB for 60 handles"):format(grown))
    end
    fsx.write(go, "")
    holder:wait_exit(60)
    -- its budget back, the caller reads the file whole, as the kernel's
    local r = probe.read({ ("/proc/%d/smaps"):format(big.pid), ("%s/%d/smaps"):format(F.mount.dir, big.pid) },
      { uid = OTHER })
    lu.assertEquals(r[2]:match("^OK (%d+)"), r[1]:match("^OK (%d+)"))
  end)
  fsx.write(go, "")
  if holder then holder:wait_exit(60); holder:reap() end
  big:reap()
  if not ok then error(err, 0) end
end

-- A copy-in stuck on a page that never faults in (a FUSE file whose
-- server never answers) occupies only its own caller's share of the
-- copy-in pool: 16 readers of such a page leave root's reads answering.
function TestCallers.test_a_stuck_copy_in_holds_up_only_its_caller()
  local F = fixture()
  local dir = F.work .. "/stuck"
  assert(sh.ok("mkdir -p " .. dir))
  local stuck = procs.spawn({ testenv.helper("stuckfs"), "-f", dir }, { stdout = F.work .. "/stuckfs.out", name = "stuckfs" })
  local mapper, readers = nil, {}
  local ok, err = pcall(function()
    stuck:wait_output("^ready")
    mapper = procs.spawn(cat(as_user(OTHER), { testenv.helper("mapper"), dir .. "/f" }),
      { stdout = F.work .. "/mapper.out", name = "mapper" })
    local addr = mapper:wait_output("^ready (0x%x+)")
    for i = 1, 16 do
      readers[i] = procs.spawn(cat(as_user(OTHER), { testenv.helper("probe"), "pread",
        ("%s/%d/mem"):format(F.mount.dir, mapper.pid), addr, "16" }),
        { stdout = ("%s/stuck-reader-%d.out"):format(F.work, i), name = "stuck-reader" })
    end
    procs.wait_for(function()
      local n = 0
      for _, r in ipairs(readers) do n = n + (procs.state(r.pid) and 1 or 0) end
      return n == 16
    end, 30, "the readers")
    sh.run({ "sleep", "0.5" })
    local r = probe.read({ ("%s/%d/stat"):format(F.mount.dir, F.targets.root.pid),
                           ("%s/%d/cmdline"):format(F.mount.dir, mapper.pid),
                           ("%s/%d/status"):format(F.mount.dir, mapper.pid) }, { timeout = 20 })
    for _, line in ipairs(r) do lu.assertStrMatches(line, "OK .*") end
  end)
  stuck:signal("TERM") -- its death lets the stuck faults fail
  stuck:wait_exit(30)
  stuck:reap()
  if fsx.is_mounted(dir) then sh.run({ "fusermount3", "-u", "-z", dir }, { timeout = 60 }) end
  for _, r in ipairs(readers) do r:wait_exit(30); r:reap() end
  if mapper then mapper:reap() end
  if not ok then error(err, 0) end
end

suite.run()
