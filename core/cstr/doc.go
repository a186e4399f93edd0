// Package cstr holds the C string helpers Redis's semantics are built on —
// util.c's string2ll and stringmatchlen, libc's strtoll, sds.c's
// sdssplitargs and sdscatrepr — written once, because their quirks decide
// which arguments are accepted and how values are printed. It is a leaf:
// every other core package may use it.
package cstr
