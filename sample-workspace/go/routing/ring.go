// Package routing places cache keys on nodes with a consistent-hash ring.
package routing

import (
	"fmt"
	"hash/crc32"
	"sort"
	"sync"
)

// Ring maps keys to nodes; each node owns vnodes points so load evens out.
type Ring struct {
	mu     sync.RWMutex
	vnodes int
	points []uint32
	owner  map[uint32]string
}

func NewRing(vnodes int, nodes ...string) *Ring {
	r := &Ring{vnodes: vnodes, owner: make(map[uint32]string)}
	for _, n := range nodes {
		r.Add(n)
	}
	return r
}

// Add places the node's virtual points; only keys between a new point and its predecessor move.
func (r *Ring) Add(node string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := 0; i < r.vnodes; i++ {
		p := crc32.ChecksumIEEE([]byte(fmt.Sprintf("%s#%d", node, i)))
		r.owner[p] = node
		r.points = append(r.points, p)
	}
	sort.Slice(r.points, func(a, b int) bool { return r.points[a] < r.points[b] })
}

// Get walks clockwise from the key's hash to the first point.
func (r *Ring) Get(key string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if len(r.points) == 0 {
		return ""
	}
	h := crc32.ChecksumIEEE([]byte(key))
	i := sort.Search(len(r.points), func(i int) bool { return r.points[i] >= h })
	if i == len(r.points) {
		i = 0
	}
	return r.owner[r.points[i]]
}

// LegacyShard is how keys were placed before the ring: almost every key moves when len(nodes) changes.
func LegacyShard(key string, nodes []string) string {
	return nodes[crc32.ChecksumIEEE([]byte(key))%uint32(len(nodes))]
}
