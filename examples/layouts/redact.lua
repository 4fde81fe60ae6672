-- Secrets out of cmdline and environ: the default layout (scripts/proc.lua)
-- with cmdline showing `--password=***` for every `--password=...`
-- argument, and environ without the variables named below.  Each wrapper
-- reads the builtin through task.argv / task.environ, which answer as the
-- reader would be answered (cmdline is everyone's, environ only for those
-- Linux lets read it), so the wrapper serves exactly whom the builtin
-- serves; check = "ptrace_read" makes environ's own check at the open, as
-- the builtin's does.
--
--   proclua --layout examples/layouts/redact.lua MNT
--   proclua-run --layout examples/layouts/redact.lua -- ps -eo pid,args
local p = require "proclua"
local stock = require "proc" -- the default layout

local SECRET_VARS = { AWS_SECRET_ACCESS_KEY = true, DATABASE_URL = true, GITHUB_TOKEN = true }

-- A list of strings as the kernel joins them: each ended by a NUL.
local function joined(list)
  return #list > 0 and table.concat(list, "\0") .. "\0" or ""
end

local function cmdline(task)
  local argv = task.argv
  if not argv then return nil, "ESRCH" end
  for i, arg in ipairs(argv) do
    argv[i] = arg:gsub("^(%-%-password=).*", "%1***")
  end
  return joined(argv)
end

local function environ(task)
  local env = task.environ
  if not env then return nil, "EACCES" end
  local kept = {}
  for _, var in ipairs(env) do
    if not SECRET_VARS[var:match("^[^=]*")] then kept[#kept + 1] = var end
  end
  return joined(kept)
end

return p.layout {
  root = stock.root,
  task = p.edit(stock.task, {
    cmdline = p.file("cmdline", "0444", cmdline),
    environ = p.file("environ", "0400", environ, { check = "ptrace_read" }),
  }),
}
