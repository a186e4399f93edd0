//go:build !race && !js

package e2e

const raceEnabled = false
