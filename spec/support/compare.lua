-- Comparing proclua's bytes with the kernel's.
local fsx = require "fsx"
local sh = require "sh"

local M = {}

local function show(s)
  if #s > 200 then s = s:sub(1, 200) .. "..." end
  return (s:gsub("[%z\1-\31\127-\255]", function(c)
    if c == "\t" then return "\\t" end
    return ("\\x%02x"):format(c:byte())
  end))
end
M.show = show

-- Where two outcomes first differ, for a failure message.
function M.describe(kernel, ours)
  if kernel == ours then return "identical" end
  if kernel:match("^<error ") or ours:match("^<error ") then
    return ("kernel: %s\n    proclua: %s"):format(show(kernel), show(ours))
  end
  local kl, ol = fsx.lines(kernel), fsx.lines(ours)
  local binary = kernel:find("[%z\1-\8\14-\31]") or ours:find("[%z\1-\8\14-\31]")
  if not binary then
    for i = 1, math.max(#kl, #ol) do
      if kl[i] ~= ol[i] then
        return ("line %d (of %d / %d):\n    kernel:  %s\n    proclua: %s"):format(
          i, #kl, #ol, kl[i] and show(kl[i]) or "<none>", ol[i] and show(ol[i]) or "<none>")
      end
    end
  end
  for i = 1, math.max(#kernel, #ours) do
    if kernel:byte(i) ~= ours:byte(i) then
      return ("byte %d (of %d / %d):\n    kernel:  %s\n    proclua: %s"):format(
        i - 1, #kernel, #ours, show(kernel:sub(i, i + 40)), show(ours:sub(i, i + 40)))
    end
  end
  return "differ"
end

-- Text and numbers: { "nr_free_pages ", 5591635, "\nnr_..." ... }
local function tokens(text)
  local t = {}
  for word, num in text:gmatch("(%D*)(%d*)") do
    if word ~= "" then t[#t + 1] = word end
    if num ~= "" then t[#t + 1] = tonumber(num) or num end
  end
  return t
end

-- Whether ours lies between the kernel's k1 and k2: the same text, each
-- number equal to one of the kernel's or between them.
function M.between(k1, ours, k2)
  local a, o, b = tokens(k1), tokens(ours), tokens(k2)
  if #a ~= #o or #b ~= #o then return false end
  for i = 1, #o do
    if type(o[i]) == "number" and type(a[i]) == "number" and type(b[i]) == "number" then
      if o[i] < math.min(a[i], b[i]) or o[i] > math.max(a[i], b[i]) then return false end
    elseif o[i] ~= a[i] or o[i] ~= b[i] then
      return false
    end
  end
  return true
end

-- Compare what reading `ours` gives with what reading `kernel` gives.
--
-- The kernel is read just before and just after ours, in this process (no
-- child process starts in between), and our bytes must equal one of the
-- two.  Some files show machine-wide state that any other process can move
-- at any moment: the Pss of a shared library page in smaps changes while
-- some short-lived process maps it, SigQ in status counts the user's
-- queued signals, mountinfo lists other mounts.  Such a race can fall
-- between the reads, so a comparison that fails is repeated (up to `tries`
-- times, a moment apart); a formatting difference fails every time.
-- `read` defaults to fsx.outcome (whole file, errors as "<error ...>").
-- With `counters`, ours may also lie between the two kernel reads: the same
-- text, each number one of the kernel's two or between them (a counter that
-- moved while ours was made: vmstat, net/dev, fs/file-nr).
function M.stable(kernel_path, our_path, opts)
  opts = opts or {}
  local read = opts.read or fsx.outcome
  local k1, ours
  for attempt = 1, opts.tries or 5 do
    if attempt > 1 then sh.sleep(0.05 * attempt) end
    k1 = read(kernel_path)
    ours = read(our_path)
    local k2 = read(kernel_path)
    if ours == k1 or ours == k2 or (opts.counters and M.between(k1, ours, k2)) then return true end
  end
  return false, M.describe(k1, ours), k1, ours
end

return M
