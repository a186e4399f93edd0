package lua

// openLibs loads the libraries Redis adds to Lua (cjson, bit, struct,
// cmsgpack): none yet.
func openLibs(v *vm) {}
