local p = require "proclua"
return p.world { machine = { hostname = "inside-the-world" },
                 tasks = { { pid = 1, argv = { "/sbin/init" } },
                           { pid = 7, ppid = 1, argv = { "/usr/bin/app", "--serve" } } } }
