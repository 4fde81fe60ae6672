-- uid_map/gid_map text, in-process: the read format ("%10u %10u %10u\n")
-- and the write rules of Linux's map_write (kernel/user_namespace.c).
local lu = require "luaunit"
local p = require "proclua"
local suite = require "suite"

local EINVAL = 22

local function rejects(text, why)
  local ok, _, errno = p.idmap_parse(text)
  lu.assertNil(ok, why)
  lu.assertEquals(errno, EINVAL, why)
end

TestIdmap = {}

function TestIdmap.test_format_is_three_right_aligned_columns()
  lu.assertEquals(p.idmap_format { { 0, 1000, 1 }, { 1, 100000, 65536 } },
    "         0       1000          1\n         1     100000      65536\n")
  lu.assertEquals(p.idmap_format {}, "")
end

function TestIdmap.test_parse_accepts_what_linux_accepts()
  lu.assertEquals(p.idmap_parse("0 1000 1\n"), { { 0, 1000, 1 } })
  lu.assertEquals(p.idmap_parse("0 1000 1"), { { 0, 1000, 1 } })            -- no final newline
  lu.assertEquals(p.idmap_parse("  0   1000\t1\n"), { { 0, 1000, 1 } })       -- any spaces
  lu.assertEquals(p.idmap_parse("0 0 1\n\0garbage"), { { 0, 0, 1 } })         -- a NUL ends input
  lu.assertEquals(p.idmap_parse("5 0 1\n0 1 5\n"), { { 5, 0, 1 }, { 0, 1, 5 } })
  lu.assertEquals(#p.idmap_parse(string.rep("", 0) .. (function()
    local t = {}
    for i = 0, 339 do t[#t + 1] = ("%d %d 1\n"):format(i, i) end
    return table.concat(t)
  end)()), 340)
end

function TestIdmap.test_parse_rejects_what_linux_rejects()
  rejects("", "zero lines")
  rejects("0 0 0\n", "count 0")
  rejects("0 0 1 junk\n", "trailing junk")
  rejects("-1 0 1\n", "a sign")
  rejects("4294967295 0 1\n", "first is -1")
  rejects("0 4294967295 1\n", "lower is -1")
  rejects("4294967290 0 10\n", "a range that wraps")
  rejects("0 0 10\n5 100 1\n", "overlapping upper ranges")
  rejects("0 0 10\n100 5 1\n", "overlapping lower ranges")
  rejects("0 0 1\n\n", "an empty line")
  local t = {}
  for i = 0, 340 do t[#t + 1] = ("%d %d 1\n"):format(i, i) end
  rejects(table.concat(t), "341 lines")
end

suite.run()
