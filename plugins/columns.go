package plugins

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"unsafe"
)

// Columns cross the process boundary as packed little-endian arrays in
// protobuf bytes fields. On a little-endian machine a column of float64s
// is its own encoding, so a batch of 50,000 contacts costs a few copies of
// memory rather than half a million fields to encode and decode.

// littleEndian is set when the machine stores numbers as the wire does.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// floatBytes returns v as packed little-endian bytes, sharing v's memory
// where it can: the result must not outlive a change to v.
func floatBytes(v []float64) []byte {
	if littleEndian {
		return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), 8*len(v))
	}
	out := make([]byte, 0, 8*len(v))
	for _, x := range v {
		out = binary.LittleEndian.AppendUint64(out, math.Float64bits(x))
	}
	return out
}

// pairBytes returns pairs of float64s as packed bytes, as floatBytes does.
func pairBytes(v [][2]float64) []byte {
	if littleEndian {
		return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), 16*len(v))
	}
	out := make([]byte, 0, 16*len(v))
	for _, x := range v {
		out = binary.LittleEndian.AppendUint64(out, math.Float64bits(x[0]))
		out = binary.LittleEndian.AppendUint64(out, math.Float64bits(x[1]))
	}
	return out
}

// intBytes returns v as packed little-endian int64s.
func intBytes(v []int) []byte {
	if littleEndian && strconv.IntSize == 64 {
		return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), 8*len(v))
	}
	out := make([]byte, 0, 8*len(v))
	for _, x := range v {
		out = binary.LittleEndian.AppendUint64(out, uint64(x))
	}
	return out
}

// flagBytes returns one byte per element of v: 1 for true.
func flagBytes(v []bool) []byte {
	out := make([]byte, len(v))
	for j, x := range v {
		if x {
			out[j] = 1
		}
	}
	return out
}

// aligned reports whether b may be seen as 8-byte words.
func aligned(b []byte) bool {
	return uintptr(unsafe.Pointer(unsafe.SliceData(b)))%8 == 0
}

// viewFloats returns column name, n float64s packed in b, sharing b's
// memory where it can.
func viewFloats(b []byte, n int, name string) ([]float64, error) {
	if len(b) != 8*n {
		return nil, fmt.Errorf("column %s holds %d bytes for %d contacts; want 8 per contact (float64)", name, len(b), n)
	}
	if n == 0 {
		return []float64{}, nil
	}
	if littleEndian && aligned(b) {
		return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(b))), n), nil
	}
	out := make([]float64, n)
	for j := range out {
		out[j] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*j:]))
	}
	return out, nil
}

// viewPairs returns column name, n pairs of float64s packed in b, as
// viewFloats does.
func viewPairs(b []byte, n int, name string) ([][2]float64, error) {
	if len(b) != 16*n {
		return nil, fmt.Errorf("column %s holds %d bytes for %d contacts; want 16 per contact (two float64)", name, len(b), n)
	}
	if n == 0 {
		return [][2]float64{}, nil
	}
	if littleEndian && aligned(b) {
		return unsafe.Slice((*[2]float64)(unsafe.Pointer(unsafe.SliceData(b))), n), nil
	}
	out := make([][2]float64, n)
	for j := range out {
		out[j] = [2]float64{
			math.Float64frombits(binary.LittleEndian.Uint64(b[16*j:])),
			math.Float64frombits(binary.LittleEndian.Uint64(b[16*j+8:])),
		}
	}
	return out, nil
}

// readInts decodes column name of n int64s.
func readInts(b []byte, n int, name string) ([]int, error) {
	if len(b) != 8*n {
		return nil, fmt.Errorf("column %s holds %d bytes for %d contacts; want 8 per contact (int64)", name, len(b), n)
	}
	out := make([]int, n)
	for j := range out {
		out[j] = int(int64(binary.LittleEndian.Uint64(b[8*j:])))
	}
	return out, nil
}

// copyFloats decodes column name of n float64s into dst, which has room
// for n. An empty column is allowed when optional is set and reads as
// zeros.
func copyFloats(dst []float64, b []byte, n int, name string, optional bool) error {
	if optional && len(b) == 0 {
		clear(dst[:n])
		return nil
	}
	v, err := viewFloats(b, n, name)
	if err != nil {
		return err
	}
	copy(dst, v)
	return nil
}

// copyFlags decodes a column of one byte per contact, 0 or 1, into dst.
func copyFlags(dst []bool, b []byte, n int, name string, optional bool) error {
	if optional && len(b) == 0 {
		clear(dst[:n])
		return nil
	}
	if len(b) != n {
		return fmt.Errorf("column %s holds %d bytes for %d contacts; want 1 per contact (0 or 1)", name, len(b), n)
	}
	for j, x := range b {
		if x > 1 {
			return fmt.Errorf("column %s: contact %d holds %d; allowed 0 or 1", name, j, x)
		}
		dst[j] = x == 1
	}
	return nil
}
