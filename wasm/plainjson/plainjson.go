// Package plainjson writes plain Go data (structs with json tags, maps,
// slices, strings, numbers, booleans) as JSON, byte for byte as
// encoding/json's Marshal does, for the playground's bindings to hand values
// to JavaScript. It exists to keep encoding/json (its decoder, its
// reflection-driven caches and its base64 and unicode tables), about 100 KB
// of brotli, out of main.wasm; the playground only ever encodes.
package plainjson

import (
	"encoding"
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Marshal returns v as JSON, as encoding/json's Marshal would. Types with a
// MarshalJSON or MarshalText method are written through it; channels,
// functions and complex numbers, NaN and infinities are errors.
func Marshal(v any) ([]byte, error) {
	return appendValue(nil, reflect.ValueOf(v))
}

// marshalerJSON is encoding/json's Marshaler, by its method.
type marshalerJSON interface {
	MarshalJSON() ([]byte, error)
}

var (
	marshalerJSONType = reflect.TypeFor[marshalerJSON]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

func appendValue(b []byte, v reflect.Value) ([]byte, error) {
	if !v.IsValid() {
		return append(b, "null"...), nil
	}
	t := v.Type()
	if t.Implements(marshalerJSONType) || t.Implements(textMarshalerType) {
		if (t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface) && v.IsNil() {
			return append(b, "null"...), nil
		}
		if m, ok := v.Interface().(marshalerJSON); ok {
			out, err := m.MarshalJSON()
			if err != nil {
				return nil, fmt.Errorf("plainjson: %s: %w", t, err)
			}
			return append(b, out...), nil
		}
		text, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return nil, fmt.Errorf("plainjson: %s: %w", t, err)
		}
		return appendString(b, string(text)), nil
	}
	switch v.Kind() {
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(b, v.Uint(), 10), nil
	case reflect.Float32:
		return appendFloat(b, v.Float(), 32)
	case reflect.Float64:
		return appendFloat(b, v.Float(), 64)
	case reflect.String:
		return appendString(b, v.String()), nil
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return appendValue(b, v.Elem())
	case reflect.Struct:
		return appendStruct(b, v)
	case reflect.Map:
		return appendMap(b, v)
	case reflect.Slice:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		if t.Elem().Kind() == reflect.Uint8 && !t.Elem().Implements(marshalerJSONType) && !t.Elem().Implements(textMarshalerType) {
			b = append(b, '"')
			b = base64.StdEncoding.AppendEncode(b, v.Bytes())
			return append(b, '"'), nil
		}
		return appendArray(b, v)
	case reflect.Array:
		return appendArray(b, v)
	}
	return nil, fmt.Errorf("plainjson: unsupported type: %s", t)
}

// appendFloat is encoding/json's float format: the shortest decimal that
// reads back, in exponent form only for very small and very large values.
func appendFloat(b []byte, f float64, bits int) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("plainjson: unsupported value: %s", strconv.FormatFloat(f, 'g', -1, bits))
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		// e-09 to e-9, as JavaScript writes it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

// appendString quotes s as encoding/json does, HTML characters (< > &)
// and U+2028/U+2029 escaped, invalid UTF-8 as U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendArray(b []byte, v reflect.Value) ([]byte, error) {
	b = append(b, '[')
	for i := range v.Len() {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendValue(b, v.Index(i)); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// appendMap writes a map with string or integer keys, sorted as
// encoding/json sorts them (by their text).
func appendMap(b []byte, v reflect.Value) ([]byte, error) {
	if v.IsNil() {
		return append(b, "null"...), nil
	}
	keys := make([]string, 0, v.Len())
	vals := make([]reflect.Value, 0, v.Len())
	for it := v.MapRange(); it.Next(); {
		k := it.Key()
		switch k.Kind() {
		case reflect.String:
			keys = append(keys, k.String())
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			keys = append(keys, strconv.FormatInt(k.Int(), 10))
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			keys = append(keys, strconv.FormatUint(k.Uint(), 10))
		default:
			return nil, fmt.Errorf("plainjson: unsupported map key type: %s", k.Type())
		}
		vals = append(vals, it.Value())
	}
	// Sorting indexes (not key-value pairs) reuses the int instance of
	// slices' sort that the binary already has.
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return strings.Compare(keys[x], keys[y]) })
	b = append(b, '{')
	for i, x := range order {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, keys[x])
		b = append(b, ':')
		var err error
		if b, err = appendValue(b, vals[x]); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// field is one struct field as JSON names it: its index path (through
// embedded structs), its quoted name with the colon, and omitempty.
type field struct {
	index     []int
	name      string
	omitEmpty bool
}

// fieldsCache holds each struct type's fields (reflect.Type to []field).
var fieldsCache sync.Map

func appendStruct(b []byte, v reflect.Value) ([]byte, error) {
	b = append(b, '{')
	first := true
	for _, f := range fieldsOf(v.Type()) {
		fv, ok := fieldByIndex(v, f.index)
		if !ok || f.omitEmpty && isEmpty(fv) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.name...)
		var err error
		if b, err = appendValue(b, fv); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// fieldByIndex is v.FieldByIndex, false through a nil embedded pointer.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldsCache.Load(t); ok {
		return fs.([]field)
	}
	fs := collectFields(t, nil)
	fieldsCache.Store(t, fs)
	return fs
}

// collectFields lists t's JSON fields in order, an untagged embedded
// struct's fields in its place (encoding/json's rules for name conflicts
// between embedded structs are not needed by the playground's types: a
// name seen twice keeps its first field).
func collectFields(t reflect.Type, index []int) []field {
	var fs []field
	seen := map[string]bool{}
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		at := append(slices.Clone(index), i)
		if sf.Anonymous && name == "" {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for _, f := range collectFields(ft, at) {
					if !seen[f.name] {
						seen[f.name] = true
						fs = append(fs, f)
					}
				}
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		quoted := string(appendString(nil, name)) + ":"
		if seen[quoted] {
			continue
		}
		seen[quoted] = true
		fs = append(fs, field{index: at, name: quoted, omitEmpty: hasOpt(opts, "omitempty")})
	}
	return fs
}

func hasOpt(opts, name string) bool {
	for o := range strings.SplitSeq(opts, ",") {
		if o == name {
			return true
		}
	}
	return false
}

// isEmpty is omitempty's test.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}
