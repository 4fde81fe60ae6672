-- A LuaUnit spec of one's own layouts, through p.tree: the tree a mount
-- would serve, answered in-process.  No mount, no root, no FUSE: a world
-- declares the tasks, so every expected byte can be written out.
--
-- Copy it beside your layout and change the paths and the checks.  Run it
-- with the stock interpreter:
--
--   lua5.4 examples/specs/layouts_spec.lua                  # proclua installed
--   LUA_CPATH='build/?.so;;' lua5.4 examples/specs/layouts_spec.lua   # a build tree
--
-- It checks the two example layouts: no-environ.lua (every environ an empty
-- stub) and container.lua (nothing that names the host).
local lu = require "luaunit"
local p = require "proclua"

-- The layouts, found from where this file is.
local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
local function layout(name) return here .. "/../layouts/" .. name end

-- An init and a service run by uid 1000 with a secret in its environment.
local function world()
  return p.world { tasks = {
    { pid = 1, argv = { "/sbin/init" } },
    { pid = 20, ppid = 1, uid = 1000, gid = 1000, argv = { "api", "--port", "8080" },
      env = { "HOME=/srv", "DB_PASSWORD=hunter2" } },
  } }
end

-- Readers: the service's owner, and someone else.  A reader is a table
-- { uid, gid, groups, caps, pid }; left out, it is root with every capability.
local OWNER = { uid = 1000 }
local OTHER = { uid = 1001 }

TestNoEnviron = {}

-- The stock layout shows the owner the secret: this is what the layout hides.
function TestNoEnviron.test_the_stock_layout_shows_the_secret()
  local t = p.tree { world = world() }                     -- no layout: the stock one
  lu.assertEquals(t:read("/20/environ", OWNER), "HOME=/srv\0DB_PASSWORD=hunter2\0")
end

function TestNoEnviron.test_environ_is_empty_for_everyone_who_may_read_it()
  local t = p.tree { layout = layout("no-environ.lua"), world = world() }
  lu.assertEquals(t:read("/20/environ"), "")
  lu.assertEquals(t:read("/20/environ", OWNER), "")
  lu.assertEquals(t:read("/20/task/20/environ", OWNER), "")
  -- the stub keeps environ's mode and owner: others still may not open it
  local st = t:stat("/20/environ")
  lu.assertEquals({ ("%o"):format(st.mode), st.uid }, { "100400", 1000 })
  lu.assertEquals({ t:read("/20/environ", OTHER) }, { nil, "EACCES" })
end

function TestNoEnviron.test_the_rest_is_the_stock_layout()
  local t = p.tree { layout = layout("no-environ.lua"), world = world() }
  local stock = p.tree { world = world() }
  lu.assertEquals(t:read("/20/cmdline", OTHER), "api\0--port\0008080\0")
  lu.assertEquals(t:list("/20"), stock:list("/20"))
  lu.assertEquals(t:read("/20/status"), stock:read("/20/status"))
end

TestContainer = {}

function TestContainer.test_its_own_hostname_and_cgroup()
  local t = p.tree { layout = layout("container.lua"), world = world() }
  lu.assertEquals(t:read("/sys/kernel/hostname"), "container\n")
  lu.assertEquals(t:read("/20/cgroup"), "0::/\n")
end

function TestContainer.test_nothing_that_names_the_host()
  local t = p.tree { layout = layout("container.lua"), world = world() }
  for _, name in ipairs { "version", "cmdline", "filesystems", "mounts", "partitions",
                          "sys/fs", "20/mounts", "20/mountinfo", "20/ns/net" } do
    lu.assertEquals({ t:read("/" .. name) }, { nil, "ENOENT" }, name)
  end
  lu.assertEquals(t:list("/sys"), { "kernel" })
  -- what tools read is still there
  lu.assertStrContains(t:read("/20/stat"), "20 (api) S 1 ")
  lu.assertEquals(t:readlink("/self", { uid = 1000, pid = 20 }), "20")
end

os.exit(lu.LuaUnit.run())
