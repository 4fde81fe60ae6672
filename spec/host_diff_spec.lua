-- Differential spec: proclua's mount against the host kernel's /proc.
--
-- The spec starts test processes, stops them with SIGSTOP (so nothing in
-- their files moves), mounts proclua with its default layout, and compares,
-- for each test pid and each of its threads (task/<tid>/):
--   * the bytes of every readable per-task file and of fdinfo/*;
--   * readlink of exe, cwd, root, ns/*, fd/* and map_files/*;
--   * the names of the task directory, ns/, fd/, map_files/, fdinfo/ and task/;
--   * type, mode and owner (lstat) of every entry;
--   * a pread of mem at the argv address, at an unmapped address and
--     across the end of the stack;
--   * all of the above as an unprivileged reader (uid 65534);
-- plus lookups of unknown names, what a reaped process leaves behind, and
-- that writes are refused.
--
-- Nothing is excluded from the comparisons.  The processes are stopped,
-- so their own counters (times, faults, context switches, io) cannot move.
-- What can still move is machine-wide state that a file shows: the Pss of a
-- shared library page in smaps while any other process maps it, SigQ in
-- status when a signal is queued for the same user, mountinfo when another
-- mount comes or goes.  Those are handled by reading the kernel's file just
-- before and just after ours and repeating a comparison that fails
-- (compare.stable), not by excluding fields: a formatting difference
-- persists, a race does not.  If a field is ever found that genuinely
-- cannot match, exclude it here by file and field name, with the reason,
-- never with a pattern.
local lu = require "luaunit"
local compare = require "compare"
local fsx = require "fsx"
local mnt = require "mnt"
local probe = require "probe"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local NOBODY = 65534

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

-- Per-task files read whole (mem is read with pread below).  children
-- exists only in task/<tid>/, coredump_filter only in /proc/<pid>/; which
-- are compared in a directory follows the kernel's listing of it.
local READ_FILES = {}
for name in ([[auxv cmdline environ comm uid_map gid_map setgroups maps smaps
  smaps_rollup stat statm status io limits cgroup oom_score oom_score_adj
  coredump_filter wchan mounts mountinfo children loginuid sessionid personality
  oom_adj timerslack_ns schedstat autogroup cpuset stack syscall sched mountstats
  ksm_merging_pages ksm_stat arch_status timers timens_offsets]]):gmatch("%S+") do
  READ_FILES[name] = true
end
-- and each file of attr/ (as "attr/<name>")
local SUBDIRS_READ = { "attr" }
local LINKS = { "exe", "cwd", "root" }

-- Entries of Linux's tgid_base_stuff / tid_base_stuff (fs/proc/base.c,
-- some depending on the kernel's configuration) that issue 2 does not
-- serve.  The kernel's listing of a task directory, less exactly these
-- names, must be proclua's listing, in the same order.
local NOT_SERVED = {}
for name in ([[numa_maps clear_refs pagemap
  latency cpu_resctrl_groups make-it-fail fail-nth projid_map patch_state
  stack_depth seccomp_cache]]):gmatch("%S+") do
  NOT_SERVED[name] = true
end

-- What a file shows that moves between any two reads, masked in both
-- outcomes before they are compared (by file and field, with the reason):
--   sched's clock-delta: two reads of the cpu clock in a row, made afresh at
--   each read of the file (proc_sched_show_task), so it is new every time.
--   arch_status's AVX512_elapsed_ms of a task that has used AVX-512: the
--   time since then, which grows while the task is stopped (-1, never
--   used, is compared).
local function mask_moving(label, outcome)
  if label:match("/sched$") then
    return (outcome:gsub("\nclock%-delta +: *%d+\n", "\nclock-delta: <moves>\n"))
  end
  if label:match("/arch_status$") then
    return (outcome:gsub("^AVX512_elapsed_ms:\t%d+\n$", "AVX512_elapsed_ms:\t<moves>\n"))
  end
  return outcome
end

-- The files read whole in a task directory d: those of READ_FILES the
-- kernel lists, and each file of its subdirectories in SUBDIRS_READ.
local function read_names(d)
  local names, present = {}, {}
  for _, name in ipairs(probe.names(d.k) or {}) do
    present[name] = true
    if READ_FILES[name] then names[#names + 1] = name end
  end
  for _, sub in ipairs(SUBDIRS_READ) do
    if present[sub] then
      for _, name in ipairs(probe.names(d.k .. "/" .. sub) or {}) do names[#names + 1] = sub .. "/" .. name end
    end
  end
  return names
end

------------------------------------------------------------------------------
-- Fixture: the test processes and the mount.

local function perl_sleeper(extra)
  return (extra or "") .. '$| = 1; print "ready\\n"; sleep 1000 while 1'
end

-- A long argv (more than a page, with empty arguments, spaces, tabs and
-- UTF-8) and a long environment (more than a page, with an empty value).
local PLAIN_ARGS = { "", "an argument with spaces", "tab\there", "utf-8: é ✓",
  ("a"):rep(2500), "", ("b"):rep(2500), "last" }
local PLAIN_ENV = { "PATH=/usr/bin:/bin", "SPEC_EMPTY=", "SPEC_SPACES=with some spaces",
  "SPEC_LONG=" .. ("e"):rep(5000), "SPEC_LAST=last" }

local fixture = suite.once(function()
  local F = procs.fixture("proclua-diff")
  F.kinds = {}
  local function start(kind, argv)
    local p = F.spawn(kind, argv)
    F.kinds[kind] = { proc = p, pid = p.pid }
    return p
  end

  -- plain: long argv and environment; runs as uid 65534 (owner of its files).
  local argv = { "setpriv", "--reuid=" .. NOBODY, "--regid=" .. NOBODY, "--clear-groups", "--", "env", "-i" }
  for _, e in ipairs(PLAIN_ENV) do argv[#argv + 1] = e end
  for _, w in ipairs { "perl", "-e", perl_sleeper(), "--" } do argv[#argv + 1] = w end
  for _, a in ipairs(PLAIN_ARGS) do argv[#argv + 1] = a end
  start("plain", argv)
  -- setproctitle-style titles over argv (see spec/helpers/spt.c)
  start("title_env", { testenv.helper("spt"), "1" })
  start("title_page", { testenv.helper("spt"), "2" })
  -- perl's $0; perl then drops to uid 65534, which makes it not dumpable:
  -- its files are owned by root, its directories by 65534.
  start("perl0", { "perl", "-e", perl_sleeper(
    '$0 = "renamed by perl"; use POSIX (); POSIX::setgid(' .. NOBODY .. ') or die; '
    .. 'POSIX::setuid(' .. NOBODY .. ') or die; '), "an", "argument" })
  -- two threads and descriptors of many kinds (spec/helpers/threads.c),
  -- watching a directory of its own
  assert(sh.ok("mkdir " .. F.work .. "/threads-dir"))
  start("threads", { testenv.helper("threads"), F.work .. "/threads-dir" })
  -- KSM asked for the whole process (prctl PR_SET_MEMORY_MERGE, 67, by
  -- the x86-64 syscall number 157): ksm_stat's merge_any and mergeable yes
  start("ksm", { "perl", "-e", perl_sleeper('syscall(157, 67, 1, 0, 0, 0) == 0 or die "prctl: $!"; ') })
  -- POSIX timers of each kind (spec/helpers/timers.c)
  start("timers", { testenv.helper("timers") })
  -- a fresh time namespace with offsets written (util-linux unshare: the
  -- program it runs shows them as its namespace for children's)
  start("timens", { "unshare", "-T", "--monotonic", "1000", "--boottime", "2000", "perl", "-e",
                    perl_sleeper() })
  -- a zombie: its parent (itself a test process) never reaps it
  start("zombie_parent", { "sh", "-c", "sleep 0 & exec sleep 1000" })

  for kind, k in pairs(F.kinds) do
    if kind == "zombie_parent" then
      F.zombie = procs.zombie_of(k.pid)
    else
      k.proc:wait_output("^ready")
    end
  end
  for _, k in pairs(F.kinds) do k.proc:stop_and_wait() end
  F.kinds.zombie = { pid = F.zombie }

  -- allow_other: the unprivileged comparisons read the mount as 65534.
  F.mount = mnt.start { options = "allow_other" }
  suite.defer("unmount " .. F.mount.dir, function() return F.mount:stop() end)
  return F
end)

local KINDS = { "plain", "title_env", "title_page", "perl0", "threads", "ksm", "timers", "timens",
  "zombie_parent", "zombie" }

-- The task directories of a test process: /proc/<pid> and each
-- /proc/<pid>/task/<tid>, paired with proclua's.
local function task_dirs(F, pid)
  local dirs = { { k = "/proc/" .. pid, m = F.mount:path(tostring(pid)), label = tostring(pid) } }
  for _, tid in ipairs(procs.tids(pid)) do
    local rel = ("%d/task/%d"):format(pid, tid)
    dirs[#dirs + 1] = { k = "/proc/" .. rel, m = F.mount:path(rel), label = rel }
  end
  return dirs
end

local function kernel_names(dir)
  local names, err = probe.names(dir)
  return names or {}, err
end

local function fail_if_any(mismatches, what)
  if #mismatches > 0 then
    lu.fail(("%s: %d mismatch%s\n  %s"):format(what, #mismatches, #mismatches == 1 and "" or "es",
      table.concat(mismatches, "\n  ")))
  end
end

-- Compare probe results for pairs of paths {k, m, label}.  Each kernel path
-- is probed just before and just after its twin, in one probe run; pairs
-- that differ are probed again, a moment later (see compare.stable for
-- why), and only a difference that persists is reported.
local function probe_pairs(op, plist, opts)
  local mismatches = {}
  local todo = plist
  for attempt = 1, 5 do
    if #todo == 0 then break end
    if attempt > 1 then sh.sleep(0.05 * attempt) end
    local paths = {}
    for _, p in ipairs(todo) do
      paths[#paths + 1] = p.k; paths[#paths + 1] = p.m; paths[#paths + 1] = p.k
    end
    local r = probe[op](paths, opts)
    local again = {}
    mismatches = {}
    for i, p in ipairs(todo) do
      local k1, ours, k2 = r[3 * i - 2], r[3 * i - 1], r[3 * i]
      k1, ours, k2 = mask_moving(p.label, k1), mask_moving(p.label, ours), mask_moving(p.label, k2)
      if ours ~= k1 and ours ~= k2 then
        again[#again + 1] = p
        mismatches[#mismatches + 1] = ("%s %s:\n    kernel:  %s\n    proclua: %s"):format(
          op, p.label, compare.show(k1), compare.show(ours))
      end
    end
    todo = again
  end
  return mismatches
end

local function pair(d, rel)
  return { k = d.k .. "/" .. rel, m = d.m .. "/" .. rel, label = d.label .. "/" .. rel }
end

------------------------------------------------------------------------------
-- Per-kind comparisons.

local checks = {}

-- Bytes of every readable file and of fdinfo/*.
function checks.files(F, pid)
  local mismatches = {}
  for _, d in ipairs(task_dirs(F, pid)) do
    local names = read_names(d)
    for _, fd in ipairs(kernel_names(d.k .. "/fdinfo")) do names[#names + 1] = "fdinfo/" .. fd end
    for _, rel in ipairs(names) do
      local label = d.label .. "/" .. rel
      local ok, why = compare.stable(d.k .. "/" .. rel, d.m .. "/" .. rel,
        { read = function(path) return mask_moving(label, fsx.outcome(path)) end })
      if not ok then mismatches[#mismatches + 1] = d.label .. "/" .. rel .. ": " .. why end
    end
  end
  fail_if_any(mismatches, "files")
end

-- readlink of exe, cwd, root, ns/*, fd/* and map_files/*.
function checks.links(F, pid)
  local plist = {}
  for _, d in ipairs(task_dirs(F, pid)) do
    for _, l in ipairs(LINKS) do plist[#plist + 1] = pair(d, l) end
    for _, n in ipairs(kernel_names(d.k .. "/ns")) do plist[#plist + 1] = pair(d, "ns/" .. n) end
    for _, n in ipairs(kernel_names(d.k .. "/fd")) do plist[#plist + 1] = pair(d, "fd/" .. n) end
    for _, n in ipairs(kernel_names(d.k .. "/map_files")) do
      plist[#plist + 1] = pair(d, "map_files/" .. n)
    end
  end
  fail_if_any(probe_pairs("readlink", plist), "links")
end

-- Names in the task directory (less NOT_SERVED), ns/, fd/, map_files/, fdinfo/, task/.
function checks.listings(F, pid)
  local mismatches = {}
  for _, d in ipairs(task_dirs(F, pid)) do
    local knames, kerr = probe.names(d.k)
    local mnames, merr = probe.names(d.m)
    local expected, hidden = {}, {}
    for _, n in ipairs(knames or {}) do
      if NOT_SERVED[n] then hidden[#hidden + 1] = pair(d, n) else expected[#expected + 1] = n end
    end
    local want = knames and table.concat(expected, "\n") .. "\n" or "<error " .. kerr .. ">"
    local got = mnames and table.concat(mnames, "\n") .. "\n" or "<error " .. merr .. ">"
    if want ~= got then
      mismatches[#mismatches + 1] = ("names in %s (the kernel's, less the unserved), %s"):format(
        d.label, compare.describe(want, got))
    end
    -- an entry proclua does not list is not found either
    for _, h in ipairs(hidden) do
      local r = probe.lstat({ h.m })[1]
      if r ~= "lstat:ENOENT" then mismatches[#mismatches + 1] = h.label .. " is not listed but lstat gives " .. r end
    end
    local present, subs = {}, {}
    for _, n in ipairs(knames or {}) do present[n] = true end
    for _, sub in ipairs { "ns", "fd", "map_files", "fdinfo", "task", "attr" } do
      if present[sub] then subs[#subs + 1] = sub end
    end
    local kl, ml = {}, {}
    for _, sub in ipairs(subs) do kl[#kl + 1] = d.k .. "/" .. sub; ml[#ml + 1] = d.m .. "/" .. sub end
    local kr, mr = probe.list(kl), probe.list(ml)
    for i, sub in ipairs(subs) do
      if kr[i] ~= mr[i] then
        mismatches[#mismatches + 1] = ("names in %s/%s:\n    kernel:  %s\n    proclua: %s"):format(
          d.label, sub, kr[i], mr[i])
      end
    end
  end
  fail_if_any(mismatches, "listings")
end

-- Type, mode and owner of the directory and of every entry, recursively
-- through ns/, fd/, map_files/ and fdinfo/.
function checks.modes(F, pid)
  local plist = {}
  for _, d in ipairs(task_dirs(F, pid)) do
    plist[#plist + 1] = { k = d.k, m = d.m, label = d.label }
    for _, n in ipairs(kernel_names(d.k)) do
      if not NOT_SERVED[n] then plist[#plist + 1] = pair(d, n) end
    end
    for _, sub in ipairs { "ns", "fd", "map_files", "fdinfo", "attr" } do
      for _, n in ipairs(kernel_names(d.k .. "/" .. sub)) do plist[#plist + 1] = pair(d, sub .. "/" .. n) end
    end
  end
  fail_if_any(probe_pairs("lstat", plist), "modes or owners")
end

-- pread of mem: at the argv address (stat field 48) for the argv's length
-- (at most 64 KiB), at address 0 (unmapped), and across the end of the
-- stack (a short read, then an error).
function checks.mem(F, pid)
  local mismatches = {}
  for _, d in ipairs(task_dirs(F, pid)) do
    local st = procs.parse_stat(fsx.read(d.k .. "/stat"))
    local arg_start, arg_end = st[48], st[49]
    local len = arg_end - arg_start
    if len <= 0 or len > 65536 then len = 4096 end
    local reads = { { arg_start, len, "at arg_start" }, { 0, 16, "at 0" } }
    local stack_end = (fsx.read(d.k .. "/maps") or ""):match("%x+%-(%x+) [^\n]*%[stack%]")
    if stack_end then reads[#reads + 1] = { tonumber(stack_end, 16) - 64, 128, "across the stack's end" } end
    for _, r in ipairs(reads) do
      local k = probe.pread(d.k .. "/mem", r[1], r[2])
      local m = probe.pread(d.m .. "/mem", r[1], r[2])
      if k ~= m then
        mismatches[#mismatches + 1] = ("%s/mem %s (%#x, %d bytes):\n    kernel:  %s\n    proclua: %s"):format(
          d.label, r[3], r[1], r[2], compare.show(k), compare.show(m))
      end
    end
  end
  fail_if_any(mismatches, "mem reads")
end

-- The same files, links and listings as an unprivileged reader: the
-- daemon runs as root but must answer for the caller (ptrace-mode checks,
-- the stat fields hidden from a reader without access, wchan, ...).
function checks.as_nobody(F, pid)
  local reads, links, lists = {}, {}, {}
  local masked = {} -- files with a field that moves: compared by their text
  for _, d in ipairs(task_dirs(F, pid)) do
    for _, rel in ipairs(read_names(d)) do
      local p = pair(d, rel)
      if p.label:match("/sched$") or p.label:match("/arch_status$") then
        masked[#masked + 1] = p
      else
        reads[#reads + 1] = p
      end
    end
    for _, name in ipairs(kernel_names(d.k)) do
      if name == "mem" then reads[#reads + 1] = pair(d, name) end
      if name == "ns" or name == "fd" or name == "map_files" or name == "fdinfo" or name == "task" or
         name == "attr" then
        lists[#lists + 1] = pair(d, name)
      end
    end
    for _, l in ipairs(LINKS) do links[#links + 1] = pair(d, l) end
    for _, n in ipairs(kernel_names(d.k .. "/ns")) do links[#links + 1] = pair(d, "ns/" .. n) end
    for _, n in ipairs(kernel_names(d.k .. "/fd")) do links[#links + 1] = pair(d, "fd/" .. n) end
    for _, n in ipairs(kernel_names(d.k .. "/map_files")) do
      links[#links + 1] = pair(d, "map_files/" .. n)
    end
  end
  local opts = { uid = NOBODY }
  local mismatches = {}
  for _, group in ipairs { { "read", reads }, { "readlink", links }, { "list", lists } } do
    for _, m in ipairs(probe_pairs(group[1], group[2], opts)) do mismatches[#mismatches + 1] = m end
  end
  for _, p in ipairs(masked) do
    local function read_as_nobody(path)
      local r = sh.run({ "setpriv", "--reuid=" .. NOBODY, "--regid=" .. NOBODY, "--clear-groups",
                         "cat", path })
      if r.code ~= 0 then return "<error " .. (r.err:match(": ([^:\n]+)\n?$") or r.err) .. ">" end
      return mask_moving(p.label, r.out)
    end
    local ok, why = compare.stable(p.k, p.m, { read = read_as_nobody })
    if not ok then mismatches[#mismatches + 1] = "read " .. p.label .. ": " .. why end
  end
  fail_if_any(mismatches, "results for uid " .. NOBODY)
end

TestHostDiff = {}

for _, kind in ipairs(KINDS) do
  for check, fn in pairs(checks) do
    TestHostDiff[("test_%s_%s"):format(check, kind)] = function()
      local F = fixture()
      F.mount:check()
      fn(F, F.kinds[kind].pid)
      F.mount:check()
    end
  end
end

------------------------------------------------------------------------------
-- The whole tree.

function TestHostDiff:test_root_lists_the_test_processes_and_not_their_threads()
  local F = fixture()
  local names = assert(probe.names(F.mount:path()))
  local set = {}
  for _, n in ipairs(names) do set[n] = true end
  lu.assertTrue(set.self, "self is listed")
  lu.assertTrue(set["thread-self"], "thread-self is listed")
  for _, kind in ipairs(KINDS) do
    lu.assertTrue(set[tostring(F.kinds[kind].pid)], kind .. " (" .. F.kinds[kind].pid .. ") is listed")
  end
  local tids = procs.tids(F.kinds.threads.pid)
  lu.assertEquals(#tids, 2)
  for _, tid in ipairs(tids) do
    if tid ~= F.kinds.threads.pid then
      lu.assertNil(set[tostring(tid)], "the second thread " .. tid .. " is not listed at the top")
      -- ... but, as in Linux, it can be looked up there
      lu.assertEquals(probe.lstat({ F.mount:path(tostring(tid)) }), probe.lstat({ "/proc/" .. tid }))
    end
  end
end

function TestHostDiff:test_self_and_thread_self_name_the_reader()
  local F = fixture()
  local r = probe.readlink({ "/proc/self", F.mount:path("self"), "/proc/thread-self", F.mount:path("thread-self") })
  lu.assertEquals(r[2], r[1])
  lu.assertEquals(r[4], r[3])
end

function TestHostDiff:test_unknown_names_are_enoent()
  local F = fixture()
  local pid = F.kinds.threads.pid
  local rels = { "no-such-entry", "999999999", pid .. "/no-such-entry", pid .. "/task/999999999",
    pid .. "/task/" .. pid .. "/task", pid .. "/fd/999", pid .. "/fdinfo/999", pid .. "/ns/no-such-ns",
    pid .. "/status/x" }
  local plist = {}
  for _, rel in ipairs(rels) do
    plist[#plist + 1] = { k = "/proc/" .. rel, m = F.mount:path(rel), label = rel }
  end
  fail_if_any(probe_pairs("lstat", plist), "lookups")
  lu.assertEquals(probe.lstat({ F.mount:path(pid .. "/no-such-entry") }), { "lstat:ENOENT" })
end

-- Files opened, and a directory held, before the process dies; then the
-- process is killed and reaped.  Linux answers ESRCH or end of file
-- through what was open, ESRCH for lookups under the held directory, and
-- ENOENT for fresh lookups of the pid.
local HELD_FILES = { "status", "stat", "statm", "cmdline", "environ", "auxv", "maps", "comm", "io",
  "limits", "wchan", "mountinfo", "uid_map", "gid_map" }

function TestHostDiff:test_after_the_process_is_killed_and_reaped()
  local F = fixture()
  local victim = procs.spawn({ testenv.helper("threads"), F.work },
    { stdout = F.work .. "/victim.out", name = "victim" })
  local held_procs, handles = {}, {}
  local ok, err = pcall(function()
    victim:wait_output("^ready")
    local pid = victim.pid
    local go = F.work .. "/victim.go"
    local ops = { "read:status", "read:task/" .. pid .. "/stat", "readlink:exe", "lstat:.", "list:.", "list:fd" }
    for _, side in ipairs { { "kernel", "/proc/" .. pid }, { "proclua", F.mount:path(tostring(pid)) } } do
      local argv = { testenv.helper("probe"), "held", go, side[2] }
      for _, o in ipairs(ops) do argv[#argv + 1] = o end
      local h = procs.spawn(argv, { stdout = F.work .. "/held-" .. side[1] .. ".out", name = "held" })
      held_procs[side[1]] = h
      h:wait_output("^ready$")
    end
    for _, name in ipairs(HELD_FILES) do
      handles[#handles + 1] = { name = name,
        k = assert(io.open("/proc/" .. pid .. "/" .. name, "rb")),
        m = assert(io.open(F.mount:path(pid .. "/" .. name), "rb")) }
    end

    victim:signal("KILL")
    victim:reap()
    lu.assertNil(procs.state(pid), "the victim is reaped")

    local mismatches = {}
    for _, h in ipairs(handles) do
      local k, m = fsx.read_handle(h.k), fsx.read_handle(h.m)
      if k ~= m then
        mismatches[#mismatches + 1] = h.name .. " opened before the death: " .. compare.describe(k, m)
      end
    end
    local plist = {}
    for _, rel in ipairs { "", "/status", "/exe", "/task/" .. pid, "/fd" } do
      plist[#plist + 1] = { k = "/proc/" .. pid .. rel, m = F.mount:path(pid .. rel), label = pid .. rel }
    end
    for _, m in ipairs(probe_pairs("lstat", plist)) do mismatches[#mismatches + 1] = m end
    for _, m in ipairs(probe_pairs("read", { plist[2] })) do mismatches[#mismatches + 1] = m end
    for _, m in ipairs(probe_pairs("readlink", { plist[3] })) do mismatches[#mismatches + 1] = m end
    local names = probe.names(F.mount:path()) or {}
    for _, n in ipairs(names) do
      if n == tostring(pid) then mismatches[#mismatches + 1] = "the reaped pid is still listed" end
    end

    fsx.write(go, "")
    for _, side in ipairs(sorted_keys(held_procs)) do
      if not held_procs[side]:wait_exit(60) then
        mismatches[#mismatches + 1] = "the held probe (" .. side .. ") did not finish"
      end
    end
    local kl, ml = fsx.lines(held_procs.kernel:output()), fsx.lines(held_procs.proclua:output())
    for i = 2, math.max(#kl, #ml) do
      if kl[i] ~= ml[i] then
        mismatches[#mismatches + 1] = ("through the held directory:\n    kernel:  %s\n    proclua: %s"):format(
          tostring(kl[i]), tostring(ml[i]))
      end
    end
    fail_if_any(mismatches, "results after the death")
  end)
  for _, h in ipairs(handles) do h.k:close(); h.m:close() end
  for _, h in pairs(held_procs) do h:reap() end
  victim:reap()
  if not ok then error(err, 0) end
end

-- A pid reused by a new process.  The daemon keeps fds of the tasks it
-- serves (core/hostfd.c), and they pin the task they were opened on, never
-- its number.  A process with two threads is read through the mount
-- (twice: the second time from kept fds), killed and reaped: its pid and
-- its worker's tid then give what the kernel gives (ENOENT), not what the
-- daemon last saw.  Then two new processes are given those two numbers
-- (through ns_last_pid), running as uid 65534 under another name: through
-- the mount they are the new processes, bytes and owners.
function TestHostDiff:test_a_reaped_and_reused_pid_is_served_afresh()
  local F = fixture()
  local probe_w = io.open(procs.NS_LAST_PID, "wb")
  if not probe_w then lu.skip(procs.NS_LAST_PID .. " is not writable here") end
  probe_w:close()
  local started = {}
  local ok, err = pcall(function()
    local old = procs.spawn({ testenv.helper("threads"), F.work },
      { stdout = F.work .. "/reuse-old.out", name = "reuse-old" })
    started[#started + 1] = old
    local pid, tid = old.pid, math.tointeger(tonumber(old:wait_output("^ready (%d+)")))
    old:stop_and_wait()
    local dirs = { tostring(pid), pid .. "/task/" .. tid, tostring(tid), tid .. "/task/" .. tid }
    local files, nodes = {}, {}
    for _, d in ipairs(dirs) do
      nodes[#nodes + 1] = { k = "/proc/" .. d, m = F.mount:path(d), label = d }
      for _, f in ipairs { "stat", "status" } do
        local p = { k = "/proc/" .. d .. "/" .. f, m = F.mount:path(d .. "/" .. f), label = d .. "/" .. f }
        files[#files + 1] = p
        nodes[#nodes + 1] = p
      end
    end
    local function compare_settled(when)
      local mismatches = {}
      for _, m in ipairs(probe_pairs("lstat", nodes)) do mismatches[#mismatches + 1] = m end
      for _, m in ipairs(probe_pairs("read", files)) do mismatches[#mismatches + 1] = m end
      fail_if_any(mismatches, when)
    end
    -- One pass, owners before bytes, and no second chance for proclua's
    -- answer: a stale one would be corrected by the next request (a kept
    -- fd of a reaped task fails its read, which drops it), so only the
    -- first shows it.  The kernel's file is still read just before and
    -- just after ours (a queued signal can move SigQ, see the top).
    local function compare_strict(when)
      local mismatches = {}
      for _, op in ipairs { { "lstat", nodes }, { "read", files } } do
        local paths = {}
        for _, p in ipairs(op[2]) do
          paths[#paths + 1] = p.k; paths[#paths + 1] = p.m; paths[#paths + 1] = p.k
        end
        local r = probe[op[1]](paths)
        for i, p in ipairs(op[2]) do
          local k1, ours, k2 = r[3 * i - 2], r[3 * i - 1], r[3 * i]
          if ours ~= k1 and ours ~= k2 then
            mismatches[#mismatches + 1] = ("%s %s:\n    kernel:  %s\n    proclua: %s"):format(
              op[1], p.label, compare.show(k1), compare.show(ours))
          end
        end
      end
      fail_if_any(mismatches, when)
    end
    compare_settled("the first process, first reads")
    compare_settled("the first process, read again")

    old:signal("KILL")
    old:reap()
    lu.assertNil(procs.state(pid), "the first process is reaped")
    compare_strict("after the first process is reaped")

    local function sleeper(name)
      return { "setpriv", "--reuid=" .. NOBODY, "--regid=" .. NOBODY, "--clear-groups", "--",
               "perl", "-e", perl_sleeper('$0 = "' .. name .. '"; ') }
    end
    for _, n in ipairs { { pid, "new-at-pid" }, { tid, "new-at-tid" } } do
      local p = procs.spawn_as_pid(n[1], sleeper(n[2]), { stdout = F.work .. "/" .. n[2] .. ".out", name = n[2] })
      if not p then lu.fail("could not start a process as pid " .. n[1] .. " (50 attempts)") end
      started[#started + 1] = p
      p:wait_output("^ready")
      p:stop_and_wait()
    end
    compare_strict("the new processes at the old numbers")
    -- and the owner is the new process's, not the first's (root)
    local r = probe.lstat({ F.mount:path(pid .. "/stat") })[1]
    lu.assertStrMatches(r, "OK %S %d+ " .. NOBODY .. " " .. NOBODY)
  end)
  for _, p in ipairs(started) do p:reap() end
  if not ok then error(err, 0) end
end

-- A task the daemon itself may not ptrace: what the kernel refuses the
-- daemon reaches a reader refused the same way as the kernel's errno, never
-- as an empty file or ENOENT; cmdline, which Linux shows everyone, is shown
-- from the kernel's own file; fd/ is listed as the kernel lists it.  The
-- daemon and the reader are confined alike (`wrap`), so the kernel refuses
-- the reader what it refuses the daemon.
-- status as the kernel and the mount show it, but for SigQ, which counts
-- the signals queued for the uid anywhere on the machine: it moves between
-- two reads however close.
local function status_apart_from_sigq(kpath, mpath)
  local function strip(text) return text and (text:gsub("\nSigQ:\t[^\n]*", "")) end
  for _ = 1, 3 do
    local k, m = strip(fsx.read(kpath)), strip(fsx.read(mpath))
    if k == m then return nil end
    sh.sleep(0.2)
  end
  return ("read status: kernel %q, proclua %q"):format(fsx.read(kpath) or "nil", fsx.read(mpath) or "nil")
end

local function compare_confined(wrap, what)
  local F = fixture()
  local command = { table.unpack(wrap) }
  command[#command + 1] = testenv.bin()
  command[#command + 1] = "-f"
  local m = mnt.start({ command = command })
  local victim = procs.spawn({ "perl", "-e", perl_sleeper(), "--", "an", "argument" },
                             { stdout = F.work .. "/confined.out", name = "confined" })
  local ok, err = pcall(function()
    victim:wait_output("^ready")
    victim:stop_and_wait() -- its files hold still
    local pid = tostring(victim.pid)
    local problems = {}
    -- (a difference is looked at again, a moment later: status's SigQ counts
    -- the signals queued for the uid anywhere on the machine)
    local function compare(op, rels)
      local kr, differ
      for attempt = 1, 3 do
        local kp, mp = {}, {}
        for _, rel in ipairs(rels) do
          kp[#kp + 1] = "/proc/" .. pid .. "/" .. rel
          mp[#mp + 1] = m:path(pid .. "/" .. rel)
        end
        kr = probe.run({ op, table.unpack(kp) }, { wrap = wrap })
        local mr = probe.run({ op, table.unpack(mp) }, { wrap = wrap })
        differ = {}
        for i, rel in ipairs(rels) do
          if kr[i] ~= mr[i] then
            differ[#differ + 1] = ("%s %s: kernel %s, proclua %s"):format(op, rel, kr[i], mr[i])
          end
        end
        if #differ == 0 then break end
        sh.sleep(0.2)
      end
      for _, d in ipairs(differ) do problems[#problems + 1] = d end
      return kr
    end
    compare("read", { "cmdline", "environ", "maps", "auxv", "mem", "stat",
                      "statm", "io", "limits", "wchan", "mounts", "mountinfo", "cgroup",
                      "oom_score", "uid_map", "comm" })
    problems[#problems + 1] = status_apart_from_sigq("/proc/" .. pid .. "/status", m:path(pid .. "/status"))
    local kr = compare("readlink", { "exe", "cwd", "root", "ns/net", "ns/user", "ns/pid", "fd/0" })
    lu.assertStrContains(kr[1], "EACCES", false, "the kernel refuses exe to this reader")
    compare("list", { "fd", "fdinfo", "task" })
    fail_if_any(problems, what)
  end)
  victim:reap()
  m:stop()
  if not ok then error(err, 0) end
end

-- A daemon without CAP_SYS_PTRACE, a root task holding it.
function TestHostDiff:test_a_task_the_daemon_may_not_ptrace()
  compare_confined({ "setpriv", "--bounding-set", "-sys_ptrace", "--inh-caps", "-sys_ptrace", "--" },
                   "a task the daemon may not ptrace")
end

-- A daemon in a Landlock domain: the kernel refuses it ptrace access to
-- every process outside its domain, capabilities or not (mem, the links),
-- and with it the caller's ns/user, so the daemon cannot know in which user
-- namespace a caller holds its capabilities.  It fails closed: a reader
-- gets what Linux shows without a check exactly as the kernel shows it, and
-- never more than the kernel gives it where Linux checks (EACCES where the
-- daemon cannot decide).  A domain may not mount: the helper mounts, the
-- daemon serves /dev/fd/N.
function TestHostDiff:test_a_task_outside_the_daemons_landlock_domain()
  local ll = testenv.helper("landlocked")
  local probe_ll = sh.run({ ll, "true" })
  if probe_ll.code == 2 then lu.skip("no Landlock in this kernel: " .. probe_ll.err) end
  local F = fixture()
  local m = mnt.start({ command = { ll, "--fuse", testenv.bin(), "-f" } })
  local victim = procs.spawn({ "perl", "-e", perl_sleeper(), "--", "an", "argument" },
                             { stdout = F.work .. "/landlock.out", name = "landlock-victim" })
  local ok, err = pcall(function()
    victim:wait_output("^ready")
    victim:stop_and_wait()
    local pid = tostring(victim.pid)
    local problems = {}
    -- (a difference is looked at again, a moment later: status's SigQ counts
    -- the signals queued for the uid anywhere on the machine)
    local function compare(op, rels, unchecked)
      for attempt = 1, 3 do
        local kp, mp = {}, {}
        for _, rel in ipairs(rels) do
          kp[#kp + 1] = "/proc/" .. pid .. "/" .. rel
          mp[#mp + 1] = m:path(pid .. "/" .. rel)
        end
        local kr, mr = probe.run({ op, table.unpack(kp) }), probe.run({ op, table.unpack(mp) })
        local differ = {}
        for i, rel in ipairs(rels) do
          local refused = mr[i]:match("^%a+:EACCES$")
          if kr[i] ~= mr[i] and (unchecked or not refused) then
            differ[#differ + 1] = ("%s %s: kernel %s, proclua %s"):format(op, rel, kr[i], mr[i])
          end
        end
        if #differ == 0 then return end
        if attempt == 3 then
          for _, d in ipairs(differ) do problems[#problems + 1] = d end
        end
        sh.sleep(0.2)
      end
    end
    -- no check in Linux: exactly the kernel's
    compare("read", { "cmdline", "statm", "limits", "cgroup", "comm", "oom_score",
                      "uid_map", "mountinfo" }, true)
    problems[#problems + 1] = status_apart_from_sigq("/proc/" .. pid .. "/status", m:path(pid .. "/status"))
    -- checked: the kernel's, or refused
    compare("read", { "environ", "maps", "auxv", "mem", "io" })
    -- stat and wchan mask what the reader may not see: at most what the
    -- kernel shows a reader without ptrace rights over the task
    for _, rel in ipairs { "stat", "wchan" } do
      local ours = probe.read({ m:path(pid .. "/" .. rel) })[1]
      local full = probe.read({ "/proc/" .. pid .. "/" .. rel })[1]
      local masked = probe.read({ "/proc/" .. pid .. "/" .. rel }, { uid = NOBODY })[1]
      if ours ~= full and ours ~= masked then
        problems[#problems + 1] = ("read %s: kernel %s (masked: %s), proclua %s"):format(rel, full, masked, ours)
      end
    end
    compare("readlink", { "exe", "cwd", "root", "ns/net", "fd/0" })
    fail_if_any(problems, "a task outside the daemon's Landlock domain")
  end)
  victim:reap()
  local problems = m:stop()
  if not ok then error(err, 0) end
  lu.assertEquals(problems, {})
end

-- Writes are the kernel's: each file written as root through the mount
-- (on one stopped process) and through the kernel's /proc (on a twin) has
-- the same outcome and leaves the same content; as uid 65534 the same
-- outcome again.  WRITES: what to write, and whether the file reads back
-- what it holds (then the content after is compared too).  host_write_spec
-- has the writers of every kind.
local WRITES = {
  comm = { "hacked", true }, oom_score_adj = { "500", true }, coredump_filter = { "0x0", true },
  uid_map = { "0 0 1", true }, gid_map = { "0 0 1", true }, setgroups = { "deny", true },
  mem = { "x", false }, status = { "x", false }, cmdline = { "x", false }, environ = { "x", false },
  stat = { "x", false }, limits = { "x", false },
  oom_adj = { "5", true }, loginuid = { "1000", true }, timerslack_ns = { "100000", true },
  -- the nice the victims' autogroup (the spec's session's) already has
  autogroup = { "0", false }, sched = { "0", false }, ["attr/current"] = { "x", false },
  -- the victims' namespace for children is the initial one: frozen
  timens_offsets = { "monotonic 5 0", true },
}

function TestHostDiff:test_writes_are_the_kernels()
  local F = fixture()
  local function victim(name)
    local p = procs.spawn({ "perl", "-e", perl_sleeper() }, { stdout = F.work .. "/" .. name .. ".out", name = name })
    p:wait_output("^ready")
    p:stop_and_wait()
    return p
  end
  local victims = {}
  local ok, err = pcall(function()
    victims.kernel = victim("written-by-the-kernel")
    victims.mount = victim("written-through-the-mount")
    local problems = {}
    for _, name in ipairs(sorted_keys(WRITES)) do
      local data, readable = WRITES[name][1], WRITES[name][2]
      local kpath = "/proc/" .. victims.kernel.pid .. "/" .. name
      local real_mpath = "/proc/" .. victims.mount.pid .. "/" .. name
      local mpath = F.mount:path(victims.mount.pid .. "/" .. name)
      local kr, mr = probe.write(kpath, data), probe.write(mpath, data)
      if kr ~= mr then problems[#problems + 1] = ("%s as root: kernel %s, proclua %s"):format(name, kr, mr) end
      if readable and fsx.outcome(kpath) ~= fsx.outcome(real_mpath) then
        problems[#problems + 1] = ("%s after: kernel %q, proclua %q"):format(name, fsx.outcome(kpath),
          fsx.outcome(real_mpath))
      end
      kr = probe.write(kpath, data, { uid = NOBODY })
      mr = probe.write(mpath, data, { uid = NOBODY })
      if kr ~= mr then
        problems[#problems + 1] = ("%s as uid %d: kernel %s, proclua %s"):format(name, NOBODY, kr, mr)
      end
    end
    fail_if_any(problems, "writes")
  end)
  for _, p in pairs(victims) do p:reap() end
  if not ok then error(err, 0) end
end

suite.run()
