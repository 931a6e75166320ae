// expect: hash-function name=djb2 known=djb2 form=string-loop multiplier=33 initial=5381 risks=weak-polynomial
package hashing

func djb2(s string) uint32 {
	var h uint32 = 5381
	for i := 0; i < len(s); i++ {
		h = h*33 + uint32(s[i])
	}
	return h
}
