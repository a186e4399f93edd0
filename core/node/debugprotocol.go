package node

// debugProtocol is DEBUG PROTOCOL <type>: one reply of each RESP type, as
// Redis's debug.c writes them (the scripting tests convert them in Lua).
func debugProtocol(c *client, name string) {
	w := &c.out
	switch name {
	case "string":
		w.BulkString("Hello World")
	case "integer":
		w.Int(12345)
	case "double":
		w.Double(3.141)
	case "bignum":
		const big = "1234567999999999999999999999999999999"
		if w.Proto >= 3 {
			w.Raw([]byte("(" + big + "\r\n"))
		} else {
			w.BulkString(big)
		}
	case "null":
		w.Null()
	case "array", "set", "map":
		switch name {
		case "array":
			w.ArrayLen(3)
		case "set":
			w.SetLen(3)
		default:
			w.MapLen(3)
		}
		for j := range 3 {
			w.Int(int64(j))
			if name == "map" {
				w.Bool(j == 1)
			}
		}
	case "attrib":
		if w.Proto >= 3 {
			w.Raw([]byte("|1\r\n"))
			w.BulkString("key-popularity")
			w.ArrayLen(2)
			w.BulkString("key:123")
			w.Int(90)
		}
		w.BulkString("Some real reply following the attribute")
	case "push":
		if w.Proto < 3 {
			w.Error("ERR RESP2 is not supported by this command")
			return
		}
		w.PushLen(2)
		w.BulkString("server-cpu-usage")
		w.Int(42)
		w.BulkString("Some real reply following the push reply")
	case "true":
		w.Bool(true)
	case "false":
		w.Bool(false)
	case "verbatim":
		w.Verbatim("txt", "This is a verbatim\nstring")
	default:
		w.Error("ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false")
	}
}
