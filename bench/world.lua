-- bench/world.lua: the benchmark's generated world of N tasks (N from the
-- environment, default 1000): an init (pid 1, the world's self) and N-1
-- workers, its children, each with its own argv, comm, times and RSS.
-- Everything else takes the defaults of a freshly exec'd process (README.md,
-- "Model worlds").  bench/run mounts it with N=1000, 10000 and 100000:
--     N=10000 build/proclua -f --world bench/world.lua --layout bench/layout.lua MNT
local p = require "proclua"
local n = tonumber(os.getenv("N") or "1000")
local tasks = { { pid = 1, argv = { "/sbin/init" } } }
for i = 2, n do
  tasks[i] = { pid = i, ppid = 1, argv = { "/usr/bin/worker", "--id", tostring(i) }, comm = "worker",
               starttime = i, utime = i % 97, rss_anon = 100 + i % 50 }
end
return p.world { self = 1, machine = { cpus = 2 }, tasks = tasks }
