package node

import "fmt"

// asciiLogo is redisAsciiArt's banner (asciilogo.h of Redis 7.0.15) with
// its fields filled as Redis fills them. It is written raw, without the
// log line prefix, and ends with an empty line.
func asciiLogo(port, pid int) string {
	return fmt.Sprintf(""+
		"                _._                                                  \n"+
		"           _.-``__ ''-._                                             \n"+
		"      _.-``    `.  `_.  ''-._           Redis %s (%s/%d) %s bit\n"+
		"  .-`` .-```.  ```\\/    _.,_ ''-._                                  \n"+
		" (    '      ,       .-`  | `,    )     Running in %s mode\n"+
		" |`-._`-...-` __...-.``-._|'` _.-'|     Port: %d\n"+
		" |    `-._   `._    /     _.-'    |     PID: %d\n"+
		"  `-._    `-._  `-./  _.-'    _.-'                                   \n"+
		" |`-._`-._    `-.__.-'    _.-'_.-'|                                  \n"+
		" |    `-._`-._        _.-'_.-'    |           https://redis.io       \n"+
		"  `-._    `-._`-.__.-'_.-'    _.-'                                   \n"+
		" |`-._`-._    `-.__.-'    _.-'_.-'|                                  \n"+
		" |    `-._`-._        _.-'_.-'    |                                  \n"+
		"  `-._    `-._`-.__.-'_.-'    _.-'                                   \n"+
		"      `-._    `-.__.-'    _.-'                                       \n"+
		"          `-._        _.-'                                           \n"+
		"              `-.__.-'                                               \n",
		Version, "00000000", 0, "64", "standalone", port, pid)
}
