local p = require "proclua"
return p.world { tasks = {} }
