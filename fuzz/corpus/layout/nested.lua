local p = require "proclua"
local d = p.stub("leaf", "0444", "x")
for i = 1, 10 do d = p.dir("d" .. i, "0555", { d, p.file("uptime", "0444", "uptime") }) end
return p.layout { root = { d, p.link("self", "self") }, task = { p.file("stat", "0444", "stat", { only = "tgid" }),
  p.dir("task", "0555", "task", { only = "tgid" }), p.dir("fd", "0500", "fd"), p.dir("fdinfo", "0500", "fdinfo"),
  p.link("exe", "exe"), p.file("maps", "0444", "maps") } }
