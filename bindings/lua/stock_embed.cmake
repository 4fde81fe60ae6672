# cmake -DIN=scripts/proc.lua -DOUT=stock_lua.c -P stock_embed.cmake
# The stock layout's text as a C array, for bindings/lua/stock.c.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" digits)
math(EXPR len "${digits} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REPEAT "0x..," 16 line) # CMake's regular expressions have no {16}
string(REGEX REPLACE "(${line})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}.tmp"
  "/* Made by bindings/lua/stock_embed.cmake from scripts/proc.lua: do not edit. */\n"
  "#include <stddef.h>\n"
  "const char plua_stock_source[] = {\n${bytes}0x00\n};\n"
  "const size_t plua_stock_len = ${len};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
