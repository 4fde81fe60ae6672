-- Layouts and worlds that used to crash the daemon or the module (issue
-- 13).  Each must load, or fail with an error naming the script line,
-- never crash or hang.
--
-- Every case runs in a child interpreter of its own: a case that crashes
-- fails its own test instead of ending this file (run under ASan/UBSan,
-- the children inherit LD_PRELOAD and the sanitizers' options).
local lu = require "luaunit"
local fsx = require "fsx"
local mnt = require "mnt"
local sh = require "sh"
local suite = require "suite"
local testenv = require "testenv"


local tmp = suite.once(function()
  local dir = fsx.mktemp_dir("proclua-robust")
  suite.defer("remove " .. dir, function() fsx.remove_tree(dir) end)
  return dir
end)

local function line_of(src, marker)
  local n = 0
  for l in (src .. "\n"):gmatch("(.-)\n") do
    n = n + 1
    if l:find(marker, 1, true) then return n end
  end
  error("marker not found: " .. marker, 2)
end

-- Run `body` (Lua statements; `p` is the module) under pcall in a child
-- interpreter.  Returns "OK <what body returned>" or "ERR <message>", the
-- script's path and its source.
local function run(name, body)
  local src = 'local p = require "proclua"\n'
    .. "local ok, res = pcall(function()\n" .. body .. "\nend)\n"
    .. 'io.write(ok and ("OK " .. tostring(res)) or ("ERR " .. tostring(res)))\n'
  local path = tmp() .. "/" .. name .. ".lua"
  fsx.write(path, src)
  local r = sh.run(testenv.lua(path), { timeout = 60 })
  lu.assertFalse(r.timed_out, name .. ": the child hung")
  lu.assertEquals(r.code, 0, name .. ": the child did not exit normally; stderr:\n" .. r.err)
  return r.out, path, src
end

-- The body must fail with `msg`, reported at the line containing `marker`.
local function expect_error(name, body, marker, msg)
  local out, path, src = run(name, body)
  lu.assertStrContains(out, "ERR ", false, name .. ": expected an error, got " .. out)
  lu.assertStrContains(out, msg, false, name)
  if marker then
    local where = ("%s:%d:"):format(path, line_of(src, marker))
    lu.assertEquals(out:sub(5, 4 + #where), where, name .. ": the message starts with the line")
  end
end

local function expect_ok(name, body)
  local out = run(name, body)
  lu.assertEquals(out:sub(1, 3), "OK ", name .. ": " .. out)
  return out:sub(4)
end

-- ------------------------------------------------------------------------
-- 1. Nesting: compile.c counted directories recursively without growing
-- the Lua stack (18 levels: "double free or corruption"), and a directory
-- inside itself recursed until the C stack ran out.

TestNesting = {}

local NESTED = [[
  local d = p.file("leaf", "0444", "status")
  for i = 1, %d do d = p.dir("d" .. i, "0555", { d }) end -- the p.dir line
  local t = p.compile(p.layout { task = { d } })
  local chain = {}
  for _, e in ipairs(t) do chain[#chain + 1] = e.name .. "<" .. e.parent end
  return #t .. " " .. chain[#chain]
]]

function TestNesting.test_64_levels_compile()
  for _, n in ipairs { 18, 25, 64 } do
    -- n directories and the leaf, each the child of the one before
    lu.assertEquals(expect_ok("nested" .. n, NESTED:format(n)),
                    ("%d leaf<%d"):format(n + 1, n - 1), n .. " levels")
  end
end

function TestNesting.test_deeper_is_an_error_at_the_declaring_line()
  expect_error("nested65", NESTED:format(65), "the p.dir line",
               "'d1': directories nest deeper than 64")
  expect_error("nested1000", NESTED:format(1000), "the p.dir line",
               "directories nest deeper than 64")
end

function TestNesting.test_a_directory_inside_itself()
  expect_error("self", [[
    local kids = {}
    local d = p.dir("d", "0555", kids) -- declared here
    kids[1] = d
    return p.compile(p.layout { task = { d } })
  ]], "declared here", "directory 'd' contains itself")
  -- through another directory, and at the root
  expect_error("cycle", [[
    local kids = {}
    local a = p.dir("a", "0555", kids) -- a
    kids[1] = p.dir("b", "0555", { a })
    return p.compile(p.layout { root = { a } })
  ]], "-- a", "directory 'a' contains itself")
  -- the same directory twice side by side is no cycle
  lu.assertEquals(expect_ok("shared", [[
    local inner = p.dir("inner", "0555", { p.stub("s", "0444", "x") })
    local t = p.compile(p.layout { root = { p.dir("a", "0555", { inner }),
                                            p.dir("b", "0555", { inner }) } })
    return #t
  ]]), "6")
end

-- The daemon reports it as a layout error, naming the file and line.
function TestNesting.test_check_reports_it()
  local path = tmp() .. "/deep_layout.lua"
  local src = table.concat({
    'local p = require "proclua"',
    'local d = p.stub("leaf", "0444", "x\\n")',
    'for i = 1, 100 do d = p.dir("d" .. i, "0555", { d }) end',
    'local base = require "proc"',
    'local root = { d }',
    'for _, e in ipairs(base.root) do root[#root + 1] = e end',
    'return p.layout { root = root, task = base.task }',
  }, "\n") .. "\n"
  fsx.write(path, src)
  local r = sh.run({ testenv.bin(), "--check", "--layout", path }, { timeout = 60 })
  lu.assertEquals(r.code, 1, "stderr: " .. r.err)
  lu.assertStrContains(r.err, ("proclua: layout error: %s:3: 'd36': directories nest deeper than 64")
                       :format(path))
end

-- ------------------------------------------------------------------------
-- 2. Zero-length memory: pl_aspace_write of no bytes looked for the range
-- holding them and indexed past the ranges.

TestMemory = {}

function TestMemory.test_empty_mem_writes_map_nothing()
  -- no other range: the write indexed an empty array
  lu.assertEquals(expect_ok("mem0", [[
    local w = p.world { tasks = { { pid = 1, mem = { { addr = 4096, bytes = "" } } } } }
    local bytes, _, errno = w:read_mem(1, 4096, 1)
    return tostring(bytes) .. " " .. tostring(errno)
  ]]), "nil 14")
  -- below, above and inside argv's range
  lu.assertEquals(expect_ok("mem0_around", [[
    local w = p.world { tasks = { { pid = 1, argv = { "abc" }, mem = {
      { addr = 4096, bytes = "" }, { addr = 1 << 47, bytes = "" },
      { at = "arg_start", offset = 1, bytes = "" } } } } }
    return (w:format("cmdline", 1):gsub("%z", "|"))
  ]]), "abc|")
end

-- argv and env are placed one string at a time into the range mapped for
-- them, and each placement copied the whole range (100,000 strings took
-- three minutes); so did each piece of mem given in address order.
function TestMemory.test_many_strings_and_pieces_load_at_once()
  lu.assertEquals(expect_ok("argv_200k", [[
    local argv, mem, total = {}, {}, 0
    for i = 1, 200000 do argv[i] = "a" .. i; total = total + #argv[i] + 1 end
    for i = 1, 100000 do mem[i] = { addr = 0x10000 + 16 * (i - 1), bytes = ("%016x"):format(i) } end
    local w = p.world { tasks = { { pid = 1, argv = argv, mem = mem } } }
    return (#w:format("cmdline", 1) == total) and w:read_mem(1, 0x10000 + 16 * 99999, 16)
  ]]), ("%016x"):format(100000))
end

function TestMemory.test_empty_unmap_punches_nothing()
  lu.assertEquals(expect_ok("unmap0", [[
    local w = p.world { tasks = { { pid = 1, argv = { "abc" },
      unmap = { { at = "arg_start", offset = 1, len = 0 } } } } }
    return (w:format("cmdline", 1):gsub("%z", "|"))
  ]]), "abc|")
end

-- ------------------------------------------------------------------------
-- 3. Region names: maps.c's intern compared a NUL-led name with the
-- previous one, "" for an unnamed region, and read past it.

TestRegionNames = {}

-- A Lua literal for s on one line (%q breaks lines at "\n"), so the
-- statement it is in reports one line.
local function lit(s)
  return (("%q"):format(s):gsub("\\\n", "\\n"))
end

local PAD = (" "):rep(34) -- names start at column 73 after this prefix
local function region(i, name)
  return ("%08x-%08x r--p 00000000 00:00 0"):format(0x400000 + i * 4096, 0x401000 + i * 4096)
    .. (name and (PAD .. name) or " ")
end

function TestRegionNames.test_a_nul_in_a_name_is_refused()
  expect_error("nul_name", ([[
    return p.world { tasks = { { pid = 1, maps = %s } } } -- the world
  ]]):format(lit(region(0) .. "\n" .. region(1, "\0x") .. "\n")), "-- the world",
               "world task 1: maps is not text the kernel would print")
  expect_error("nul_inside", ([[
    return p.world { tasks = { { pid = 1, maps = %s } } } -- the world
  ]]):format(lit(region(0, "/lib/a") .. "\n" .. region(1, "/lib/a\0b") .. "\n")), "-- the world",
               "world task 1: maps is not text the kernel would print")
  expect_error("nul_vmflags", [[
    local text = p.world { tasks = { { pid = 1 } } }:format("smaps", 1)
    text = text:gsub("VmFlags: ", "VmFlags: \0")
    return p.world { tasks = { { pid = 1, smaps = text } } } -- the world
  ]], "-- the world", "world task 1: smaps is not text the kernel would print")
end

-- Consecutive names share storage when equal; prefixes of each other are
-- not equal.
function TestRegionNames.test_names_read_back()
  local text = table.concat({ region(0), region(1, "/lib/a"), region(2, "/lib/a"),
                              region(3, "/lib/ab"), region(4, "/lib/a"), region(5),
                              region(6, "[stack]") }, "\n") .. "\n"
  lu.assertEquals(expect_ok("names", ([[
    return p.world { tasks = { { pid = 1, maps = %s } } }:format("maps", 1)
  ]]):format(lit(text))), text)
end

-- ------------------------------------------------------------------------
-- 4. A declaration is a table: a script can change it after p.file made
-- it.  compile.c indexed the builtin table with gen, copied name with
-- strcmp, and trusted kind.

TestTampered = {}

-- `change` is applied to the declaration `decl` made on the marked line,
-- after p.layout checked it.
local function tampered(name, decl, change, msg)
  expect_error(name, ([[
    local x = %s -- declared
    local l = p.layout { task = { p.file("status", "0444", "status"), x } }
    %s
    return p.compile(l)
  ]]):format(decl, change), "-- declared", msg)
end

function TestTampered.test_every_field_is_checked_at_compile()
  local file = 'p.file("x", "0444", "status")'
  tampered("gen_big", file, "x.gen = 100000", "'x': field 'gen' is not a file generator's id")
  tampered("gen_neg", file, "x.gen = -1", "'x': field 'gen' is not a file generator's id")
  tampered("gen_str", file, 'x.gen = "1"', "'x': field 'gen' is not a file generator's id")
  tampered("gen_link", 'p.link("x", "exe")', 'x.gen = p.file("y", "0444", "status").gen',
           "'x': field 'gen' is not a link generator's id")
  tampered("gen_file", file, 'x.gen = p.link("y", "exe").gen',
           "'x': field 'gen' is not a file generator's id")
  tampered("name_nil", file, "x.name = nil", "a declaration's name must be a string")
  tampered("name_slash", file, 'x.name = "a/b"', "name must not contain '/' or NUL")
  tampered("name_long", file, 'x.name = ("n"):rep(256)', "name must have 1 to 255 bytes")
  tampered("name_dot", file, 'x.name = ".."', "name must not be '.' or '..'")
  tampered("kind_99", file, "x.kind = 99", "'x': field 'kind' is not a kind of entry")
  tampered("kind_neg", file, "x.kind = -1", "'x': field 'kind' is not a kind of entry")
  tampered("mode", file, "x.mode = 4096", "'x': field 'mode' must be an integer from 0 to 0777")
  tampered("only", file, "x.only = 3", "'x': field 'only' must be")
  tampered("content", 'p.stub("x", "0444", "hi")', "x.content = nil",
           "'x': field 'content' must be a string")
  tampered("target", 'p.symlink("x", "t")', 'x.content = ""',
           "'x': a symlink's target must have 1 to 4095 bytes")
  tampered("fn", 'p.file("x", "0444", function() return "" end)', "x.fn = 5",
           "'x': field 'fn' must be a function")
  tampered("children", 'p.dir("x", "0555", {})', "x.children = 5",
           "'x': field 'children' must be a list of declarations")
  tampered("kind_dir", file, "x.kind = 0", "'x': field 'children' must be a list")
end

-- A metatable given an __index runs no code while fields are read.
function TestTampered.test_an_index_on_the_declaration_metatable()
  lu.assertEquals(expect_ok("mt_index", [[
    local x = p.file("x", "0444", "status")
    getmetatable(x).__index = function() error("ran script code") end
    return #p.compile(p.layout { task = { x } })
  ]]), "1")
end

-- Without a line of its own (where = nil), the error names p.layout's.
function TestTampered.test_no_where_names_the_layout_line()
  expect_error("no_where", [[
    local x = p.file("x", "0444", "status")
    local l = p.layout { task = { x } } -- the layout
    x.where = nil
    x.gen = -1
    return p.compile(l)
  ]], "-- the layout", "'x': field 'gen' is not a file generator's id")
  expect_error("not_a_decl", [[
    local l = p.layout { task = { p.file("x", "0444", "status") } } -- the layout
    l.task[2] = 5
    return p.compile(l)
  ]], "-- the layout", "task entry #2 is not a declaration")
end

-- p.layout and p.dir compare names: a nil name went to strcmp.
function TestTampered.test_p_layout_checks_too()
  expect_error("layout_name_nil", [[
    local x = p.file("x", "0444", "status") -- declared
    x.name = nil
    return p.layout { task = { p.file("y", "0444", "stat"), x } }
  ]], "-- declared", "a declaration's name must be a string")
  expect_error("dir_name_nil", [[
    local x = p.file("x", "0444", "status") -- declared
    x.name = nil
    return p.dir("d", "0555", { p.file("y", "0444", "stat"), x })
  ]], "-- declared", "a declaration's name must be a string")
end

function TestTampered.test_check_reports_it()
  local path = tmp() .. "/tampered_layout.lua"
  fsx.write(path, table.concat({
    'local p = require "proclua"',
    'local base = require "proc"',
    'local x = p.file("x", "0444", "status")',
    'x.gen = 100000',
    'local task = { x }',
    'for _, e in ipairs(base.task) do task[#task + 1] = e end',
    'return p.layout { root = base.root, task = task }',
  }, "\n") .. "\n")
  local r = sh.run({ testenv.bin(), "--check", "--layout", path }, { timeout = 60 })
  lu.assertEquals(r.code, 1, "stderr: " .. r.err)
  lu.assertStrContains(r.err, ("proclua: layout error: %s:3: 'x': field 'gen' is not a file generator's id")
                       :format(path))
end

-- A list whose __len answers more at each call: counting sized the array,
-- filling it must not run past it.
function TestTampered.test_a_list_that_grows_while_compiled()
  expect_error("growing", [[
    local n = 0
    local list = setmetatable({}, {
      __len = function() n = n + 1; return n end,
      __index = function(_, i) return p.stub("s" .. i, "0444", "x") end })
    return p.compile(p.layout { root = list }) -- compiled here
  ]], "compiled here", "the layout changed while it was compiled")
end

-- ------------------------------------------------------------------------
-- 5. List lengths: set_groups allocated luaL_len's answer (a __len may say
-- 2^40) and filled it; other lists looped as long.

-- World fields of the wrong kind are errors at the p.world line, not
-- dropped or left to fail every later read.
TestWorldFields = {}

local function bad_task(name, field, msg)
  expect_error(name, ([[
    return p.world { tasks = { { pid = 1, %s } } } -- the world
  ]]):format(field), "-- the world", msg)
end

function TestWorldFields.test_fields_of_the_wrong_kind()
  bad_task("argv_string", 'argv = "x"', "world task 1: field 'argv' must be a table (got a string)")
  bad_task("threads_string", 'threads = "x"', "world task 1: field 'threads' must be a table (got a string)")
  bad_task("zombie_yes", 'zombie = "yes"', "world task 1: field 'zombie' must be true or false (got a string)")
  bad_task("env_number", 'env = 3', "world task 1: field 'env' must be a table (got a number)")
  -- a letter no Linux has printed (W, K and x are older kernels': see saved_tree_spec)
  bad_task("state_q", 'state = "Q"', "world task 1: field 'state' must be one state letter")
end

local function bad_machine(name, field, msg)
  expect_error(name, ([[
    return p.world { tasks = { { pid = 1 } }, machine = { %s } } -- the world
  ]]):format(field), "-- the world", msg)
end

function TestWorldFields.test_machine_numbers_in_range()
  local secs = "world machine: uptime must be a number of seconds from 0 to 1e12"
  bad_machine("uptime_nan", "uptime = 0/0", secs)
  bad_machine("uptime_inf", "uptime = 1/0", secs)
  bad_machine("uptime_huge", "uptime = 1e300", secs)
  bad_machine("uptime_neg", "uptime = -1", secs)
  bad_machine("load_nan", "loadavg = { 0/0, 1, 2 }", "world machine: loadavg[1] must be a number from 0 to 1e9")
  bad_machine("load_huge", "loadavg = { 1, 1e300, 2 }", "world machine: loadavg[2] must be a number from 0 to 1e9")
  bad_machine("load_two", "loadavg = { 1, 2 }", "world machine: loadavg must be three numbers or the kernel's text")
  bad_machine("cpus_2_32", "cpus = 2^32 + 1", "world machine: cpus must be an integer from 1 to 4096")
  bad_machine("cpus_int_2_32", "cpus = 4294967297", "world machine: cpus must be an integer from 1 to 4096")
  bad_machine("pid_max_0", "pid_max = 0", "world machine: pid_max must be an integer from 301 to 4194304")
  bad_machine("last_pid_neg", "last_pid = -3", "world machine: last_pid must be an integer from 0 to 4194303")
  bad_machine("running_neg", "running = -1", "world machine: running must be an integer from 0 to 4294967295")
  bad_machine("free_over_total", "mem_total_kb = 100, mem_free_kb = 200",
              "world machine: mem_free_kb must be an integer from 0 to 100")
end

function TestWorldFields.test_machine_text_the_kernel_would_print()
  bad_machine("meminfo_bad", 'meminfo = "bad"', "world machine: meminfo is not text the kernel would print")
  bad_machine("meminfo_no_newline", 'meminfo = "MemTotal: 5 kB"',
              "world machine: meminfo is not text the kernel would print")
  bad_machine("meminfo_no_total", 'meminfo = "MemFree: 5 kB\\n"',
              "world machine: meminfo is not text the kernel would print")
  expect_ok("meminfo_ok", [[
    return p.world { tasks = { { pid = 1 } }, machine = { meminfo = "MemTotal: 5 kB\n" } } and "fine"
  ]])
end

-- uptime and loadavg as text: the kernel's digits, one line, nothing after.
-- strtoull took a sign, blanks and overflow (-1.00 became 184467440737095515.16
-- s) and ignored what followed the line.
function TestWorldFields.test_uptime_and_loadavg_text()
  local uptime = "world machine: uptime is not text the kernel would print"
  bad_machine("uptime_text_neg", 'uptime = "-1.00 2.00\\n"', uptime)
  bad_machine("uptime_text_blank", 'uptime = " 1.00 2.00\\n"', uptime)
  bad_machine("uptime_text_huge", 'uptime = "999999999999999999999.00 1.00\\n"', uptime)
  bad_machine("uptime_text_after", 'uptime = "1.00 2.00\\nmore"', uptime)
  local loadavg = "world machine: loadavg is not text the kernel would print"
  bad_machine("loadavg_text_sign", 'loadavg = "0.00 0.01 0.05 +1/99 42\\n"', loadavg)
  bad_machine("loadavg_text_after", 'loadavg = "0.00 0.01 0.05 1/99 42\\n\\n"', loadavg)
  bad_machine("loadavg_text_huge", 'loadavg = "0.00 0.01 0.05 1/4294967296 42\\n"', loadavg)
  -- (the last pid is the world's own, whatever the text says)
  lu.assertEquals(expect_ok("uptime_text_ok", [[
    local w = p.world { tasks = { { pid = 1 } }, machine = { uptime = "12.34 5.60\n",
                        loadavg = "0.50 0.25 0.10 2/300 -1\n" } }
    return w:format("uptime") .. w:format("loadavg"):match("^.* ")
  ]]), "12.34 5.60\n0.50 0.25 0.10 2/300 ")
end

-- The kernel prints no NUL in these files; a record keeps C strings, so
-- one would cut a name or path short and the file would show less than
-- the world gave (cpuinfo's key padding then no longer what it printed).
function TestWorldFields.test_text_with_a_nul()
  bad_machine("cpuinfo_nul", 'cpuinfo = "processor\\0\\0\\0\\0\\0\\0\\0: 0\\n"',
              "world machine: cpuinfo is not text the kernel would print")
  bad_machine("filesystems_nul", 'filesystems = "nodev\\tproc\\0x\\n"',
              "world machine: filesystems is not text the kernel would print")
  bad_machine("interrupts_nul", 'interrupts = "           \\n\\0AI:\\n"',
              "world machine: interrupts is not text the kernel would print")
  bad_machine("core_pattern_nul", 'sysctl = { ["kernel.core_pattern"] = "core\\0x\\n" }',
              "world machine: sysctl kernel.core_pattern is not text the kernel would print")
  bad_task("cgroup_nul", 'cgroup = "0::/a\\0b\\n"', "world task 1: cgroup is not text the kernel would print")
  bad_task("mountinfo_nul", 'mountinfo = "1 1 0:1 / / rw shared:1\\0 - rootfs rootfs rw\\n"',
           "world task 1: mountinfo is not text the kernel would print")
end

function TestWorldFields.test_unknown_machine_keys()
  bad_machine("machine_typo", "mem_total = 1", "world machine: unknown field 'mem_total' (did you mean 'mem_total_kb'?)")
  bad_machine("machine_bogus", "bogus = 1", "world machine: unknown field 'bogus'")
end

function TestWorldFields.test_fds_are_distinct_and_in_range()
  bad_task("fd_neg", "fds = { { fd = -1 } }", "world task 1: fd -1 is not 0 .. 1048575")
  bad_task("fd_2_32", "fds = { { fd = 4294967297 } }", "world task 1: fd 4294967297 is not 0 .. 1048575")
  bad_task("fd_twice", "fds = { { fd = 0 }, { fd = 2 }, { fd = 0 } }", "world task 1: fd 0 declared twice")
end

function TestWorldFields.test_parents_form_a_forest()
  bad_task("ppid_self", "ppid = 1", "task 1: following ppid comes back to it (a cycle)")
  expect_error("ppid_cycle", [[
    return p.world { tasks = { { pid = 1, ppid = 3 }, { pid = 2, ppid = 1 }, { pid = 3, ppid = 2 } } } -- the world
  ]], "-- the world", "following ppid comes back to it (a cycle)")
  expect_ok("ppid_outside", [[
    return p.world { tasks = { { pid = 5, ppid = 1 }, { pid = 6, ppid = 5 } } } and "fine"
  ]])
end

function TestWorldFields.test_self_names_a_task()
  expect_error("self_999", [[
    return p.world { self = 999, tasks = { { pid = 1 } } } -- the world
  ]], "-- the world", "p.world: self = 999 names no task of the world")
  expect_ok("self_1", [[
    return p.world { self = 1, tasks = { { pid = 1 } } } and "fine"
  ]])
end

TestListLengths = {}

-- A list of `len` entries (by its __len), each `value`.
local LIE = 'setmetatable({}, { __len = function() return %s end, __index = function() return %s end })'

local function too_long(name, field, len, value, msg)
  expect_error(name, ([[
    return p.world { tasks = { { pid = 1, %s = %s } } } -- the world
  ]]):format(field, LIE:format(len, value)), "-- the world", msg)
end

function TestListLengths.test_lists_are_bounded()
  too_long("groups_2_40", "groups", "2^40", "1",
           "world task 1: groups has 1099511627776 entries; at most 65536")
  too_long("groups_neg", "groups", "-1", "1", "world task 1: groups has -1 entries; at most 65536")
  too_long("auxv_2_40", "auxv", "2^40", "{ 6, 4096 }", "world task 1: auxv has 1099511627776 entries")
  too_long("fds_2_40", "fds", "2^40", "{ fd = 0 }", "world task 1: fds has 1099511627776 entries")
  too_long("nspid_2_32", "nspid", "2^32 + 1", "1", "a pid namespace list has 1 to 32 levels")
  too_long("argv_2_40", "argv", "2^40", '"x"', "world task 1: argv has 1099511627776 entries")
  too_long("env_2_40", "env", "2^40", '"A=1"', "world task 1: env has 1099511627776 entries")
  too_long("mem_2_40", "mem", "2^40", '{ addr = 4096, bytes = "x" }',
           "world task 1: mem has 1099511627776 entries")
  too_long("unmap_2_40", "unmap", "2^40", "{ addr = 4096, len = 1 }",
           "world task 1: unmap has 1099511627776 entries")
  too_long("threads_2_40", "threads", "2^40", "{ tid = 2 }", "threads has 1099511627776 entries")
  expect_error("tasks_2_40", ([[
    return p.world { tasks = %s } -- the world
  ]]):format(LIE:format("2^40", "{ pid = 1 }")), "-- the world", "p.world: tasks has 1099511627776 entries")
end

-- NGROUPS_MAX groups are fine, one more is not.
function TestListLengths.test_groups_up_to_ngroups_max()
  lu.assertEquals(expect_ok("groups_65536", [[
    local g = {}
    for i = 1, 65536 do g[i] = i end
    local status = p.world { tasks = { { pid = 1, groups = g } } }:format("status", 1)
    local line = status:match("Groups:([^\n]*)")
    local n = 0
    for _ in line:gmatch("%d+") do n = n + 1 end
    return n
  ]]), "65536")
  expect_error("groups_65537", [[
    local g = {}
    for i = 1, 65537 do g[i] = i end
    return p.world { tasks = { { pid = 1, groups = g } } } -- the world
  ]], "-- the world", "world task 1: groups has 65537 entries; at most 65536")
end

-- ------------------------------------------------------------------------
-- 7. What UBSan found on these paths: memcpy from a NULL buffer for no
-- bytes (an empty layout's strings; an empty file's snapshot) and NULL + 0
-- (pl_buf_reserve on a buffer with no storage yet; clang's UBSan checks
-- it, GCC's does not).  Without a sanitizer these pass either way; built
-- with -fsanitize=undefined and run with UBSAN_OPTIONS=halt_on_error=1
-- they failed.

TestEmpty = {}

function TestEmpty.test_an_empty_layout()
  lu.assertEquals(expect_ok("empty", "return #p.compile(p.layout {})"), "0")
end

-- The first read of a single-threaded daemon: a Lua file returning ""
-- goes into a worker buffer that never held anything.
function TestEmpty.test_an_empty_file_read_first()
  local layout = tmp() .. "/empty_file_layout.lua"
  fsx.write(layout, 'local p = require "proclua"\n'
    .. 'return p.layout { root = {}, task = { p.file("empty", "0444", function() return "" end) } }\n')
  local m = mnt.start { layout = layout,
                        args = { "-s", "--world", testenv.src() .. "/examples/worlds/minimal.lua" } }
  local ok, err = pcall(function()
    lu.assertEquals(fsx.read(m:path("1/empty")), "")
    lu.assertEquals(fsx.read(m:path("1/empty")), "")
    m:check()
  end)
  local problems = m:stop()
  if not ok then error(err, 0) end
  lu.assertEquals(problems, {})
end

-- ------------------------------------------------------------------------
-- Restricted environment (issue 13, "Lua with bounds"): a layout, world or
-- Lua file run by the daemon may not end it (os.exit: --check "succeeded"),
-- run programs, load C code or use the debug library; each is an error
-- naming the calling line.  PROCLUA_UNRESTRICTED=1 lifts it.

TestRestricted = {}

-- `--check` of a layout whose line 2 is `stmt`, then of the stock layout
-- (line 3 onwards); env: extra environment, "NAME=VALUE" strings.
local function check_with(name, stmt, env)
  local path = tmp() .. "/" .. name .. ".lua"
  fsx.write(path, 'local p = require "proclua"\n' .. stmt .. '\nreturn require "proc"\n')
  local argv = { "env" }
  for _, e in ipairs(env or {}) do argv[#argv + 1] = e end
  for _, a in ipairs { testenv.bin(), "--check", "--layout", path } do argv[#argv + 1] = a end
  return sh.run(argv, { timeout = 60 }), path
end

function TestRestricted.test_os_exit_in_a_layout_fails_check()
  local r, path = check_with("exit0", "os.exit(0)")
  lu.assertEquals(r.code, 1, "stderr: " .. r.err)
  lu.assertStrContains(r.err, ("proclua: layout error: %s:2: os.exit is not available to proclua scripts")
                       :format(path))
end

-- load and loadfile take text chunks only (a crafted binary chunk can crash
-- the VM); text chunks, names and environments work as in Lua.
function TestRestricted.test_binary_chunks_are_refused()
  local r = check_with("bytecode", table.concat({
    'local f, err = load(string.dump(function() return 1 end))',
    'assert(not f and err:match("binary"), tostring(err))',
    'assert(load("return 41 + 1")() == 42)',
    'assert(load("return x", "c", nil, { x = 7 })() == 7)',
  }, "\n"))
  lu.assertEquals(r.code, 0, "stderr: " .. r.err)
end

function TestRestricted.test_each_denied_function_names_the_line()
  for i, c in ipairs {
    { 'os.execute("true")', "os.execute is not available" },
    { 'io.popen("true")', "io.popen is not available" },
    { 'package.loadlib("/lib/libc.so.6", "*")', "package.loadlib is not available" },
    { 'debug.sethook()', "debug.sethook is not available" },
    { 'require "debug".getinfo(1)', "debug.getinfo is not available" },
  } do
    local r, path = check_with("denied" .. i, c[1])
    lu.assertEquals(r.code, 1, c[1] .. ": stderr: " .. r.err)
    lu.assertStrContains(r.err, ("%s:2: %s"):format(path, c[2]))
  end
end

function TestRestricted.test_no_c_modules()
  -- a C searcher would find lpeg.so or any .so on package.cpath
  local r = check_with("cmod", 'package.cpath = "/nonexistent/?.so"\nrequire "nosuchcmodule"')
  lu.assertEquals(r.code, 1, "stderr: " .. r.err)
  lu.assertStrContains(r.err, "module 'nosuchcmodule' not found")
  lu.assertNotStrContains(r.err, "/nonexistent/nosuchcmodule.so")
end

function TestRestricted.test_what_stays_allowed()
  local mod = tmp() .. "/restricted_helper.lua"
  fsx.write(mod, "return { answer = 42 }\n")
  local r = check_with("allowed", table.concat({
    'assert(require "restricted_helper".answer == 42)',
    'assert(io.open("/proc/self/stat")):close()',
    'assert(os.getenv("PATH") and os.time() and os.clock())',
    'assert(require "proclua" == p)',
  }, "; "))
  lu.assertEquals(r.code, 0, "stderr: " .. r.err)
end

function TestRestricted.test_unrestricted_opts_out()
  local r = check_with("exit_unrestricted", "os.exit(7)", { "PROCLUA_UNRESTRICTED=1" })
  lu.assertEquals(r.code, 7, "stderr: " .. r.err)
  r = check_with("debug_unrestricted", "assert(debug.getinfo(1).currentline == 2)",
                 { "PROCLUA_UNRESTRICTED=1" })
  lu.assertEquals(r.code, 0, "stderr: " .. r.err)
end

function TestRestricted.test_a_world_is_restricted_too()
  local world = tmp() .. "/exiting_world.lua"
  fsx.write(world, 'local p = require "proclua"\nos.exit(0)\nreturn p.world { tasks = {} }\n')
  local r = sh.run({ testenv.bin(), "--check", "--world", world }, { timeout = 60 })
  lu.assertEquals(r.code, 1, "stderr: " .. r.err)
  lu.assertStrContains(r.err, ("%s:2: os.exit is not available to proclua scripts"):format(world))
end

-- A Lua file is served by the same state: the read fails (EIO) and is
-- logged; the daemon keeps serving.
function TestRestricted.test_a_lua_file_is_restricted_too()
  local layout = tmp() .. "/popen_file_layout.lua"
  fsx.write(layout, 'local p = require "proclua"\n'
    .. 'return p.layout { root = {}, task = {\n'
    .. '  p.file("popen", "0444", function() return io.popen("echo hi"):read("a") end),\n'
    .. '  p.file("fine", "0444", function(t) return "ok\\n" end) } }\n')
  local m = mnt.start { layout = layout,
                        args = { "--world", testenv.src() .. "/examples/worlds/minimal.lua" } }
  local ok, err = pcall(function()
    local f, rerr = io.open(m:path("1/popen"), "rb")
    local data
    if f then data, rerr = f:read("a"); f:close() end
    lu.assertNil(data, "the read must fail")
    lu.assertStrContains(tostring(rerr), "Input/output error")
    lu.assertEquals(fsx.read(m:path("1/fine")), "ok\n")
    lu.assertStrContains(m:log(), ("proclua: lua file failed: %s:3: io.popen is not available"):format(layout))
    m:check()
  end)
  m:stop()
  if not ok then error(err, 0) end
end

-- ------------------------------------------------------------------------
-- Memory limit (issue 13): the daemon's Lua state is counted by its
-- allocator (256 MiB, PROCLUA_LUA_MEMORY_MB).  A Lua file that allocates
-- without bound fails that read with EIO and a log line; the daemon keeps
-- serving.  A layout or world that does so at load fails to load.

TestMemoryLimit = {}

local HOG = 'local s = "x" while true do s = s .. s end'

function TestMemoryLimit.test_a_layout_that_allocates_without_bound()
  -- the default limit
  local r, path = check_with("hog_layout", HOG)
  lu.assertEquals(r.code, 1, "stderr: " .. r.err)
  lu.assertStrContains(r.err, ("proclua: layout error: %s: Lua memory limit exceeded (256 MiB")
                       :format(path))
  -- a lower one; a table this time
  r, path = check_with("hog_table", "local t = {} for i = 1, math.maxinteger do t[i] = {} end",
                       { "PROCLUA_LUA_MEMORY_MB=16" })
  lu.assertEquals(r.code, 1, "stderr: " .. r.err)
  lu.assertStrContains(r.err, ("%s: Lua memory limit exceeded (16 MiB"):format(path))
  -- enough for the stock layout, and a bad value is refused
  lu.assertEquals(check_with("small_ok", "", { "PROCLUA_LUA_MEMORY_MB=16" }).code, 0)
  r = check_with("bad_mb", "", { "PROCLUA_LUA_MEMORY_MB=lots" })
  lu.assertEquals(r.code, 1, "stderr: " .. r.err)
  lu.assertStrContains(r.err, "PROCLUA_LUA_MEMORY_MB=lots: not a number of MiB")
end

function TestMemoryLimit.test_a_world_that_allocates_without_bound()
  local world = tmp() .. "/hog_world.lua"
  fsx.write(world, 'local p = require "proclua"\n' .. HOG .. '\nreturn p.world { tasks = {} }\n')
  local r = sh.run({ "env", "PROCLUA_LUA_MEMORY_MB=16", testenv.bin(), "--check", "--world", world },
                   { timeout = 60 })
  lu.assertEquals(r.code, 1, "stderr: " .. r.err)
  lu.assertStrContains(r.err, ("%s: Lua memory limit exceeded (16 MiB"):format(world))
end

function TestMemoryLimit.test_a_lua_file_that_allocates_without_bound()
  local layout = tmp() .. "/hog_file_layout.lua"
  fsx.write(layout, 'local p = require "proclua"\n'
    .. 'local kept = {}\n'
    .. 'return p.layout { root = {}, task = {\n'
    .. '  p.file("hog", "0444", function() ' .. HOG .. ' end),\n'
    .. '  p.file("keep", "0444", function() kept[#kept + 1] = {} for i = 1, 1e9 do kept[#kept][i] = i end end),\n'
    .. '  p.file("fine", "0444", function(t) return t.pid .. "\\n" end) } }\n')
  local m = mnt.start { layout = layout,
                        command = { "env", "PROCLUA_LUA_MEMORY_MB=32", testenv.bin(), "-f" },
                        args = { "--world", testenv.src() .. "/examples/worlds/minimal.lua" } }
  local ok, err = pcall(function()
    local function fails(name)
      local f, rerr = io.open(m:path(name), "rb")
      local data
      if f then data, rerr = f:read("a"); f:close() end
      lu.assertNil(data, name .. ": the read must fail")
      lu.assertStrContains(tostring(rerr), "Input/output error")
    end
    for _ = 1, 3 do
      fails("1/hog")
      lu.assertEquals(fsx.read(m:path("1/fine")), "1\n")
    end
    lu.assertStrContains(m:log(), ("proclua: lua file failed: %s:4: Lua memory limit exceeded (32 MiB")
                         :format(layout))
    -- a file that keeps what it built (up to the limit): its read fails,
    -- and files that need little still read
    fails("1/keep")
    lu.assertEquals(fsx.read(m:path("1/fine")), "1\n")
    m:check()
  end)
  m:stop()
  if not ok then error(err, 0) end
end

-- ------------------------------------------------------------------------
-- Strict loaders (issue 13): p.edit of a name the list does not have, and
-- an unknown task field in a world, are errors at the script line, with a
-- "did you mean" when a name is close; the daemon calls a failing world a
-- world error.

TestStrict = {}

local EDIT = [[
  local list = { p.stub("environ", "0400", ""), p.stub("status", "0444", "") }
  return #p.edit(list, %s) -- the edit
]]

function TestStrict.test_edit_of_a_missing_name()
  expect_error("edit_prefix", EDIT:format("{ environment = false }"), "-- the edit",
               "p.edit: the list has no entry named 'environment' (did you mean 'environ'?)")
  expect_error("edit_typo", EDIT:format('{ stauts = p.stub("status", "0444", "") }'), "-- the edit",
               "p.edit: the list has no entry named 'stauts' (did you mean 'status'?)")
  local out = run("edit_far", EDIT:format("{ cmdline = false }"))
  lu.assertStrContains(out, "p.edit: the list has no entry named 'cmdline'")
  lu.assertNotStrContains(out, "did you mean")
  -- names the list has still work
  lu.assertEquals(expect_ok("edit_ok", EDIT:format("{ environ = false }")), "1")
end

function TestStrict.test_unknown_task_field_suggests()
  expect_error("field_typo", [[
    return p.world { tasks = {
      { pid = 1, comn = "x" } } } -- the task
  ]], "p.world", "world task 1: unknown task field 'comn' (did you mean 'comm'?)")
  local out = run("field_far", "return p.world { tasks = { { pid = 1, zzzzzz = 1 } } }")
  lu.assertStrContains(out, "unknown task field 'zzzzzz'")
  lu.assertNotStrContains(out, "did you mean")
end

function TestStrict.test_check_calls_it_a_world_error()
  local world = tmp() .. "/typo_world.lua"
  fsx.write(world, 'local p = require "proclua"\nreturn p.world { tasks = {\n { pid = 1, comn = "x" } } }\n')
  local r = sh.run({ testenv.bin(), "--check", "--world", world }, { timeout = 60 })
  lu.assertEquals(r.code, 1, "stderr: " .. r.err)
  lu.assertStrContains(r.err, ("proclua: world error: %s:2: world task 1: unknown task field 'comn'")
                       :format(world))
  lu.assertNotStrContains(r.err, "layout error")
end

suite.run()
