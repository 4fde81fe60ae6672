-- Running a LuaUnit spec file with cleanups that always run.
--
-- LuaUnit 3.4 crashes when setupSuite/setupClass fail (it reports them on a
-- test node that does not exist yet), which would skip every teardown.  So
-- specs set fixtures up lazily inside their tests (suite.once), register a
-- cleanup for everything they create (suite.defer), and end with
-- suite.run(), which runs LuaUnit, then every cleanup in reverse order, each
-- under pcall, and exits non-zero if a test or a cleanup failed.
local M = {}

local cleanups = {}

-- Register fn to run at the end, after all tests, even when they fail.
function M.defer(what, fn)
  cleanups[#cleanups + 1] = { what = what, fn = fn }
end

-- Run the cleanups now (latest first); true when all succeeded.
function M.cleanup()
  local ok_all = true
  while #cleanups > 0 do
    local c = table.remove(cleanups)
    local ok, err = pcall(c.fn)
    if ok and type(err) == "table" and #err > 0 then  -- a list of problems
      ok, err = false, table.concat(err, "; ")
    end
    if not ok then
      ok_all = false
      io.stderr:write("cleanup failed (", c.what, "): ", tostring(err), "\n")
    end
  end
  return ok_all
end

-- A fixture built on first use.  setup() runs at most once; if it fails,
-- every later call fails with the same message instead of retrying.
function M.once(setup)
  local value, failure
  return function()
    if failure then error(failure, 0) end
    if value == nil then
      local ok, v = xpcall(setup, debug.traceback)
      if not ok then
        failure = "fixture setup failed: " .. tostring(v)
        error(failure, 0)
      end
      value = v
    end
    return value
  end
end

-- Run the tests of this file, clean up, and exit.
function M.run()
  local lu = require "luaunit"
  local ok, failures = pcall(function() return lu.LuaUnit.run() end)
  if not ok then io.stderr:write("LuaUnit failed: ", tostring(failures), "\n") end
  -- the number of failures, not an exit status: 256 of them must not exit 0
  local rc = (ok and failures == 0) and 0 or 1
  if not M.cleanup() and rc == 0 then rc = 1 end
  os.exit(rc, true)
end

return M
