# Turns schema.sql into a C array so that the binaries carry the one true schema.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT} "/* Generated from schema.sql by embed.cmake: do not edit. */\n"
  "#include \"archive.h\"\n"
  "const char archive_schema_sql[] = {${bytes} 0x00};\n")
