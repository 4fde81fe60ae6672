local p = require "proclua"
return p.world { tasks = { { pid = 1 } },
  machine = { pressure = false, sysctl = { ["vm.swappiness"] = 10, ["fs.file-max"] = 9223372036854775807 } } }
