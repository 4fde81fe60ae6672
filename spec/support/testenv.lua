-- Where things are, as CTest tells the specs through the environment
-- (spec/CMakeLists.txt sets these variables).
local M = {}

local function need(name)
  local v = os.getenv(name)
  if v == nil or v == "" then
    error(name .. " is not set: run the specs through CTest (ctest --test-dir build)", 0)
  end
  return v
end

-- build/proclua
function M.bin() return need("PROCLUA_BIN") end

-- the source tree (scripts/proc.lua is the default layout)
function M.src() return need("PROCLUA_SRC") end

function M.default_layout() return M.src() .. "/scripts/proc.lua" end

-- build/proclua-run: the script that runs a command with a mount as /proc
-- (CMake copies it beside the program, where it finds the program)
function M.run_script() return (M.bin():gsub("[^/]*$", "")) .. "proclua-run" end

-- a helper program built from spec/helpers/<name>.c
-- The words that run a Lua script with the interpreter running this spec,
-- with the sanitizer runtime it needs under a sanitizer build (sh.run keeps
-- LD_PRELOAD from other commands).
function M.lua(script)
  local argv = {}
  local preload = os.getenv("PROCLUA_SPEC_PRELOAD")
  if preload then argv = { "env", "LD_PRELOAD=" .. preload } end
  argv[#argv + 1] = arg and arg[-1] or "lua5.4"
  argv[#argv + 1] = script
  return argv
end

function M.helper(name) return need("PROCLUA_HELPERS") .. "/" .. name end

return M
