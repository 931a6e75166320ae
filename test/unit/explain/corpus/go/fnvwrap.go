// expect: hash-function name=hashKey known=fnv1a32 form=library-wrapper callable=false risks=
package cache

import "hash/fnv"

func hashKey(key string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(key))
	return h.Sum32()
}
