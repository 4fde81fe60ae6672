-- Writes to the host's tasks through a proclua mount are the kernel's:
-- carried out on the real file, with the caller's credentials and user
-- namespace, never the daemon's.
--
-- One script of writes (spec/host_write.sh's text below) runs twice, in a
-- private mount namespace: once with the kernel's /proc, once with the
-- mount bound over /proc, each time against fresh targets this spec starts
-- (a root process, a process of user 40001, one of 40001 in a user
-- namespace of its own with no maps yet), stopped.  Every line it prints
-- (a write's count or errno, a value read back, `id` in a user namespace
-- whose maps the tools wrote through /proc) must be the same.  After the
-- proclua run the spec reads the kernel's /proc itself: the values written
-- through the mount are the kernel's.
--
-- Callers: root; user 40001 (owner of its targets); 65534 (nobody, owner
-- of nothing here); each of them inside user namespaces made by unshare,
-- mapped or not yet.  Ids need no account: setpriv takes numbers.
--
-- One difference is by design and checked on its own (TestComm): a
-- process renaming its own thread group through comm.  Linux renames only
-- for a writer of the task's own group, which the daemon's helper process
-- never is, and root has no way to rename another process (short of
-- ptrace): proclua answers EOPNOTSUPP, not a pretended success.
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local procs = require "procs"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"

local USER, NOBODY = 40001, 65534

-- Run with P (the probe helper), M (selfmem), S (nswrite), A, U, N, Z (a
-- zombie), T (two threads) and W (T's second thread): target pids.
-- `line LABEL CMD...` prints "LABEL => " and CMD's output on one line ('|' for
-- newlines), target pids in paths replaced by their names (a bare number
-- may be a value written: 500 is a pid as often as not).
local SCRIPT = [=[
set -u
export P M S A U N Z T W
as() { u=$1; shift; setpriv --reuid=$u --regid=$u --clear-groups -- "$@"; }
line() {
  label=$1; shift
  out=$("$@" 2>&1 | sed -e "s#/$A\b#/<A>#g" -e "s#/$U\b#/<U>#g" -e "s#/$N\b#/<N>#g" \
                       -e "s#/$Z\b#/<Z>#g" -e "s#/$T\b#/<T>#g" -e "s#/$W\b#/<W>#g" \
                       -e 's/^\(sh\|bash\): [^:]*: //' | tr '\n' '|')
  printf '%s => %s\n' "$label" "$out"
}
w() { "$P" write "$1" "$2"; }
ids='id; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups'

# user namespaces: the maps unshare writes through /proc/self
line "user: unshare -U -r" as 40001 unshare -U -r sh -c "$ids"
line "root: unshare --map-user=0" unshare --map-user=0 sh -c "$ids"
line "root: unshare -U -r" unshare -U -r sh -c "$ids"
line "user: unmapped in its namespace, writes its oom_score_adj" \
  as 40001 unshare -U sh -c 'id -u; "$P" write /proc/self/oom_score_adj 7; cat /proc/self/oom_score_adj'
line "user: uid_map twice" as 40001 "$S" uid_map "0 40001 1" uid_map "0 40001 1" -- cat /proc/self/uid_map
line "user: gid_map while setgroups is allowed" as 40001 "$S" gid_map "0 40001 1"
line "user: setgroups deny, gid_map, setgroups again" \
  as 40001 "$S" setgroups deny gid_map "0 40001 1" setgroups deny setgroups allow \
  -- cat /proc/self/setgroups /proc/self/gid_map
line "user: setgroups junk" as 40001 "$S" setgroups junk
line "root: gid_map, then setgroups deny, in its namespace" "$S" gid_map "0 0 1" setgroups deny -- cat /proc/self/setgroups
line "root: a range of ids" "$S" uid_map "0 100000 65536"
line "user: a range it does not hold" as 40001 "$S" uid_map "0 100000 10"
line "user: malformed map" as 40001 "$S" uid_map "0 x 1"
line "user: two lines" as 40001 "$S" uid_map "0 40001 1
1 40002 1"
line "root: overlapping lines" "$S" uid_map "0 0 10
5 100 10"
line "user: a second write at offset 10" \
  as 40001 "$S" uid_map "0 40001 1" +uid_map "1 40002 1" -- cat /proc/self/uid_map
line "user: -r, then its own oom_score_adj, setgroups denied there" \
  as 40001 unshare -U -r "$P" write /proc/self/oom_score_adj 150
line "nobody: N's uid_map" as 65534 "$P" write /proc/$N/uid_map "0 40001 1"
line "user: N's uid_map from outside" as 40001 "$P" write /proc/$N/uid_map "0 40001 1"
line "user: N's uid_map again" as 40001 "$P" write /proc/$N/uid_map "0 40001 1"
line "root: N's gid_map" w /proc/$N/gid_map "0 40001 1"
line "root: N's setgroups after its gid_map" w /proc/$N/setgroups deny
line "user: N's setgroups" as 40001 "$P" write /proc/$N/setgroups allow

# oom_score_adj
line "root: 500" w /proc/$A/oom_score_adj 500
line "root: -100" w /proc/$A/oom_score_adj -100
line "root: 1001" w /proc/$A/oom_score_adj 1001
line "root: -1001" w /proc/$A/oom_score_adj -1001
line "root: abc" w /proc/$A/oom_score_adj abc
line "root: 5x" w /proc/$A/oom_score_adj 5x
line "root: ' 12 \n'" w /proc/$A/oom_score_adj " 12
"
line "root: 0x10" w /proc/$A/oom_score_adj 0x10
line "root: A's value" cat /proc/$A/oom_score_adj
line "root: task/A 42" w /proc/$A/task/$A/oom_score_adj 42
line "user: 300" as 40001 "$P" write /proc/$U/oom_score_adj 300
line "user: down to 100" as 40001 "$P" write /proc/$U/oom_score_adj 100
line "user: below its minimum" as 40001 "$P" write /proc/$U/oom_score_adj -1
line "user: U's value" cat /proc/$U/oom_score_adj
line "nobody: U's oom_score_adj" as 65534 "$P" write /proc/$U/oom_score_adj 5
line "user in a namespace of its own: U's" as 40001 unshare -U -r "$P" write /proc/$U/oom_score_adj 200
line "user in a namespace of its own: its own" \
  as 40001 unshare -U -r sh -c '"$P" write /proc/self/oom_score_adj 250; cat /proc/self/oom_score_adj'
line "root in a namespace of its own: A's" unshare -U -r "$P" write /proc/$A/oom_score_adj 5
line "root without CAP_SYS_RESOURCE: A to -500" setpriv --bounding-set=-sys_resource -- "$P" write /proc/$A/oom_score_adj -500
line "root without CAP_DAC_OVERRIDE: U's" setpriv --bounding-set=-dac_override -- "$P" write /proc/$U/oom_score_adj 10
line "user, no_new_privs: its own" as 40001 setpriv --no-new-privs -- sh -c '"$P" write /proc/self/oom_score_adj 50'
line "bash: echo > its own" bash -c 'echo 500 > /proc/self/oom_score_adj && cat /proc/self/oom_score_adj'
line "user bash: echo > its own" as 40001 bash -c 'echo 600 > /proc/self/oom_score_adj && cat /proc/self/oom_score_adj'
line "user bash: echo > A's" as 40001 bash -c "echo 600 > /proc/$A/oom_score_adj"

# coredump_filter
line "root: 0x33" w /proc/$A/coredump_filter 0x33
line "root: junk" w /proc/$A/coredump_filter junk
line "root: 99999999999" w /proc/$A/coredump_filter 99999999999
line "user: its own, 7" as 40001 "$P" write /proc/$U/coredump_filter 7
line "nobody: U's coredump_filter" as 65534 "$P" write /proc/$U/coredump_filter 7

# comm of another process
line "root: A's comm" w /proc/$A/comm renamed
line "root: A's task comm" w /proc/$A/task/$A/comm renamed
line "nobody: U's comm" as 65534 "$P" write /proc/$U/comm renamed
line "root: A's comm after" cat /proc/$A/comm

# a zombie; a thread of another group
for f in oom_score_adj coredump_filter comm mem uid_map setgroups; do
  line "root: Z's $f" w /proc/$Z/$f 1
done
line "root: W's oom_score_adj" w /proc/$T/task/$W/oom_score_adj 77
line "root: T's oom_score_adj after" cat /proc/$T/oom_score_adj
line "root: W's comm" w /proc/$T/task/$W/comm renamed
line "root: W's comm after" cat /proc/$T/task/$W/comm
line "root: W's coredump_filter (none in task/)" w /proc/$T/task/$W/coredump_filter 1

# mem
line "root: its own mem" "$M"
line "user: its own mem" as 40001 "$M"
line "user in a namespace of its own: its own mem" as 40001 unshare -U -r "$M"
line "user: its own mem by pid" as 40001 sh -c 'exec "$M" /proc/$$/mem'
line "nobody: A's mem" as 65534 "$P" write /proc/$A/mem x
line "user: A's mem" as 40001 "$P" write /proc/$A/mem x
line "user: U's mem" as 40001 "$P" write /proc/$U/mem x
]=]

local fixture = suite.once(function()
  local F = {}
  F.work = fsx.mktemp_dir("proclua-hostwrite")
  suite.defer("remove " .. F.work, function() assert(fsx.remove_tree(F.work)) end)
  assert(sh.ok("chmod 755 " .. F.work))
  F.script = F.work .. "/host_write.sh"
  fsx.write(F.script, SCRIPT)
  F.mount = mnt.start { options = "allow_other" }
  suite.defer("unmount " .. F.mount.dir, function() return F.mount:stop() end)
  return F
end)

local function as_user(uid, argv)
  local out = { "setpriv", "--reuid=" .. uid, "--regid=" .. uid, "--clear-groups", "--" }
  for _, w in ipairs(argv) do out[#out + 1] = w end
  return out
end

local function comm_of(pid) return (fsx.read("/proc/" .. pid .. "/comm") or "") end

-- Fresh targets for one run, stopped once they are what they should be.
local function start_targets()
  local T = {
    A = procs.spawn({ "sleep", "1000" }, { name = "root's" }),
    U = procs.spawn(as_user(USER, { "sleep", "1000" }), { name = "user's" }),
    N = procs.spawn(as_user(USER, { "unshare", "-U", "sleep", "1000" }), { name = "in a userns" }),
    Zp = procs.spawn({ "sh", "-c", "sleep 0 & exec sleep 1000" }, { name = "a zombie's parent" }),
    T = procs.spawn({ testenv.helper("threads"), fixture().work }, { name = "threads",
      stdout = fixture().work .. "/threads" .. os.time() .. math.random(1e6) .. ".out" }),
  }
  suite.defer("reap the targets", function()
    for _, p in pairs(T) do if type(p) == "table" then p:reap() end end
  end)
  for _, p in pairs(T) do
    if p ~= T.T then
      procs.wait_for(function() return comm_of(p.pid) == "sleep\n" end, 30, p.name .. " target")
    end
  end
  T.worker = math.tointeger(tonumber(T.T:wait_output("^ready (%d+)")))
  T.Z = procs.wait_for(function()
    for _, c in ipairs(procs.children(T.Zp.pid)) do
      if procs.state(c) == "Z" then return c end
    end
  end, 30, "the zombie")
  for _, p in pairs(T) do
    if type(p) == "table" then p:stop_and_wait() end
  end
  return T
end

-- The script's lines, run with /proc the kernel's or the mount.
local function run(T, on_mount)
  local F = fixture()
  local inner = "stat -f -c %T /proc && exec sh " .. sh.quote(F.script)
  if on_mount then inner = "mount --bind " .. sh.quote(F.mount:path()) .. " /proc && " .. inner end
  local r = sh.run({ "unshare", "-m", "--propagation", "private", "env",
                     "P=" .. testenv.helper("probe"), "M=" .. testenv.helper("selfmem"),
                     "S=" .. testenv.helper("nswrite"),
                     "A=" .. T.A.pid, "U=" .. T.U.pid, "N=" .. T.N.pid, "Z=" .. T.Z,
                     "T=" .. T.T.pid, "W=" .. T.worker,
                     "sh", "-c", inner }, { timeout = 300 })
  lu.assertEquals(r.code, 0, r.err)
  local fstype, out = r.out:match("^(%S+)\n(.*)$")
  lu.assertEquals(fstype, on_mount and "fuseblk" or "proc", "what /proc was")
  local lines = {}
  for l in out:gmatch("[^\n]+") do lines[#lines + 1] = l end
  return lines, out
end

local function by_label(lines)
  local out = {}
  for _, l in ipairs(lines) do
    local label, rest = l:match("^(.-) => (.*)$")
    out[label] = rest
  end
  return out
end

local function kernel_value(pid, file)
  return fsx.read(("/proc/%d/%s"):format(pid, file))
end

local results = suite.once(function()
  local R = {}
  R.kernel_targets = start_targets()
  R.kernel, R.kernel_text = run(R.kernel_targets, false)
  R.mount_targets = start_targets()
  R.mount, R.mount_text = run(R.mount_targets, true)
  -- HW_DUMP=1 in the environment: both runs' lines on stderr (ctest -V)
  if os.getenv("HW_DUMP") then io.stderr:write(R.kernel_text, "---\n", R.mount_text) end
  -- what the kernel holds after each run, read here, from the real /proc
  R.held = {}
  for run, T in pairs { kernel = R.kernel_targets, mount = R.mount_targets } do
    local h = {}
    for name, p in pairs(T) do
      if type(p) == "number" then p = { pid = p } end
      h[name] = {}
      for _, file in ipairs { "oom_score_adj", "coredump_filter", "comm", "uid_map", "gid_map",
                              "setgroups" } do
        h[name][file] = kernel_value(p.pid, file)
      end
    end
    R.held[run] = h
  end
  for _, T in ipairs { R.kernel_targets, R.mount_targets } do
    for _, p in pairs(T) do if type(p) == "table" then p:reap() end end
  end
  return R
end)

TestHostWrite = {}

-- The same lines, one by one (a difference names its label).
function TestHostWrite.test_same_outcomes_as_the_kernel()
  local R = results()
  local k, m = by_label(R.kernel), by_label(R.mount)
  lu.assertEquals(#R.mount, #R.kernel, "line counts differ:\n" .. R.kernel_text .. "---\n" .. R.mount_text)
  local diffs = {}
  for _, l in ipairs(R.kernel) do
    local label = l:match("^(.-) => ")
    if k[label] ~= m[label] then
      diffs[#diffs + 1] = ("%s\n  kernel:  %s\n  proclua: %s"):format(label, k[label], tostring(m[label]))
    end
  end
  lu.assertEquals(#diffs, 0, "\n" .. table.concat(diffs, "\n"))
end

-- The script did what it says: a run where everything failed alike would
-- also be "the same".  These are the kernel's answers (its run).
function TestHostWrite.test_the_script_exercises_the_kernel()
  local k = by_label(results().kernel)
  lu.assertEquals(k["user: unshare -U -r"],
    "uid=0(root) gid=0(root) groups=0(root)|         0      40001          1|"
    .. "         0      40001          1|deny|")
  lu.assertStrContains(k["root: unshare --map-user=0"], "         0          0          1|allow|")
  lu.assertEquals(k["user: uid_map twice"], "OK 9|write:EPERM|         0      40001          1|")
  lu.assertEquals(k["user: gid_map while setgroups is allowed"], "write:EPERM|")
  lu.assertEquals(k["user: setgroups deny, gid_map, setgroups again"],
    "OK 4|OK 9|write:EPERM|write:EPERM|deny|         0      40001          1|")
  -- root of a namespace of its own holds no CAP_SETGID over the parent
  lu.assertEquals(k["root: gid_map, then setgroups deny, in its namespace"], "write:EPERM|OK 4|deny|")
  lu.assertEquals(k["user: malformed map"], "write:EINVAL|")
  lu.assertEquals(k["user: a second write at offset 10"], "OK 9|write:EINVAL|         0      40001          1|")
  lu.assertEquals(k["user: N's uid_map again"], "write:EPERM|")
  lu.assertEquals(k["root: N's setgroups after its gid_map"], "write:EPERM|")
  lu.assertEquals(k["nobody: N's uid_map"], "open:EACCES|")
  lu.assertEquals(k["user: N's uid_map from outside"], "OK 9|")
  lu.assertEquals(k["root: 500"], "OK 3|")
  lu.assertEquals(k["root: 1001"], "write:EINVAL|")
  lu.assertEquals(k["root: abc"], "write:EINVAL|")
  lu.assertEquals(k["user: 300"], "OK 3|")
  lu.assertEquals(k["user: down to 100"], "OK 3|")
  lu.assertEquals(k["user: below its minimum"], "write:EACCES|")
  lu.assertEquals(k["nobody: U's oom_score_adj"], "open:EACCES|")
  lu.assertEquals(k["nobody: U's coredump_filter"], "open:EACCES|")
  lu.assertEquals(k["user in a namespace of its own: U's"], "OK 3|")
  lu.assertEquals(k["root without CAP_SYS_RESOURCE: A to -500"], "write:EACCES|")
  lu.assertEquals(k["root without CAP_DAC_OVERRIDE: U's"], "open:EACCES|")
  lu.assertEquals(k["user, no_new_privs: its own"], "OK 2|")
  lu.assertEquals(k["bash: echo > its own"], "500|")
  lu.assertEquals(k["user bash: echo > its own"], "600|")
  lu.assertStrContains(k["user bash: echo > A's"], "Permission denied")
  lu.assertEquals(k["root: 0x33"], "OK 4|")
  lu.assertEquals(k["root: junk"], "write:EINVAL|")
  lu.assertEquals(k["root: 99999999999"], "write:ERANGE|")
  lu.assertEquals(k["root: A's comm"], "write:EINVAL|")
  lu.assertEquals(k["root: A's comm after"], "sleep|")
  for _, who in ipairs { "root: its own mem", "user: its own mem",
                         "user in a namespace of its own: its own mem", "user: its own mem by pid" } do
    lu.assertEquals(k[who], "open:OK|write:OK 1|unmapped:EIO|buffer:Jello|", who)
  end
  lu.assertEquals(k["nobody: A's mem"], "open:EACCES|")
  lu.assertEquals(k["user: A's mem"], "open:EACCES|")
end

-- What the writes through the mount left in the kernel, read from the real
-- /proc: the same as the kernel's own run left.
function TestHostWrite.test_the_kernel_holds_what_was_written()
  local R = results()
  lu.assertEquals(R.held.mount, R.held.kernel)
  lu.assertEquals(R.held.mount.U.coredump_filter, "00000007\n")
  lu.assertEquals(R.held.mount.N.uid_map, "         0      40001          1\n")
  lu.assertEquals(R.held.mount.N.gid_map, "         0      40001          1\n")
  lu.assertEquals(R.held.mount.U.oom_score_adj, "200\n")
end

TestComm = {}

-- A process renaming itself: the kernel does it; proclua cannot and says so.
function TestComm.test_own_comm_is_refused_not_pretended()
  local F = fixture()
  local cmd = '"$P" write /proc/self/comm renamed; "$P" write /proc/thread-self/comm renamed; cat /proc/self/comm'
  local function run_on(on_mount)
    local inner = "exec sh -c " .. sh.quote(cmd)
    if on_mount then inner = "mount --bind " .. sh.quote(F.mount:path()) .. " /proc && " .. inner end
    local r = sh.run({ "unshare", "-m", "--propagation", "private", "env", "P=" .. testenv.helper("probe"),
                       "sh", "-c", inner })
    lu.assertEquals(r.code, 0, r.err)
    return r.out
  end
  -- the probe renames itself, then cat shows its own name
  lu.assertEquals(run_on(false), "OK 7\nOK 7\ncat\n")
  lu.assertEquals(run_on(true), "write:EOPNOTSUPP\nwrite:EOPNOTSUPP\ncat\n")
end

TestStuck = {}

-- A write into a page that never faults in (a mapping of a FUSE file whose
-- server never answers) waits as long as the page does.  Writes to one
-- file take turns in the kernel, so writers of 8 processes' mem files:
-- they hold up only their own uid's share of the daemon (two of its
-- threads, not one each), and root's reads and writes through the mount
-- are answered.
function TestStuck.test_stuck_mem_writes_hold_up_only_their_caller()
  local F = fixture()
  local dir = F.work .. "/stuck"
  assert(sh.ok("mkdir -p " .. dir))
  local stuck = procs.spawn({ testenv.helper("stuckfs"), "-f", dir }, { stdout = F.work .. "/stuckfs.out", name = "stuckfs" })
  local mappers, writers, root_target = {}, {}, nil
  local ok, err = pcall(function()
    stuck:wait_output("^ready")
    for i = 1, 8 do -- all mapped before the first fault takes stuckfs's thread
      mappers[i] = procs.spawn(as_user(USER, { testenv.helper("mapper"), dir .. "/f" }),
        { stdout = ("%s/mapper-%d.out"):format(F.work, i), name = "mapper" })
      mappers[i]:wait_output("^ready")
    end
    for i, m in ipairs(mappers) do
      local addr = tonumber(m:wait_output("^ready 0x(%x+)"), 16)
      local mem = ("%s/%d/mem"):format(F.mount.dir, m.pid)
      writers[i] = procs.spawn(as_user(USER, { "sh", "-c", ("printf x | dd of=%s bs=1 seek=%d conv=notrunc status=none")
        :format(sh.quote(mem), addr) }), { name = "stuck-writer" })
    end
    sh.run({ "sleep", "1" })
    for _, w in ipairs(writers) do lu.assertTrue(w:alive(), "a writer of the stuck page finished") end
    -- the daemon's threads waiting on the page (uninterruptibly: D)
    local waiting = 0
    for _, tid in ipairs(procs.tids(F.mount.proc.pid)) do
      if procs.state(F.mount.proc.pid, tid) == "D" then waiting = waiting + 1 end
    end
    lu.assertTrue(waiting <= 2, waiting .. " of the daemon's threads wait on the stuck page")
    root_target = procs.spawn({ "sleep", "1000" }, { name = "root's" })
    procs.wait_for(function() return comm_of(root_target.pid) == "sleep\n" end, 30, "root's target")
    local r = sh.run({ testenv.helper("probe"), "write",
                       F.mount:path(root_target.pid .. "/oom_score_adj"), "300" }, { timeout = 20 })
    lu.assertEquals(r.out, "OK 3\n")
    lu.assertEquals(fsx.read("/proc/" .. root_target.pid .. "/oom_score_adj"), "300\n")
    r = sh.run({ testenv.helper("probe"), "read", F.mount:path(mappers[1].pid .. "/status") }, { timeout = 20 })
    lu.assertStrMatches(r.out, "OK .*")
  end)
  stuck:signal("TERM") -- its death lets the stuck faults fail
  stuck:wait_exit(30)
  stuck:reap()
  if fsx.is_mounted(dir) then sh.run({ "fusermount3", "-u", "-z", dir }, { timeout = 60 }) end
  for _, w in ipairs(writers) do w:wait_exit(30); w:reap() end
  for _, m in ipairs(mappers) do m:reap() end
  if root_target then root_target:reap() end
  if not ok then error(err, 0) end
end

suite.run()
