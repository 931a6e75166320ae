// expect: hash-ring library=groupcache scheme=ring servers=["peer-a","peer-b","peer-c","peer-d"] vnodes=50 hash=crc32 risks=few-vnodes
package peers

import "github.com/golang/groupcache/consistenthash"

func newPeers() *consistenthash.Map {
	m := consistenthash.New(50, nil)
	m.Add("peer-a", "peer-b", "peer-c", "peer-d")
	return m
}
