// expect: hash-table implementation="go map" capacity=1000 risks=
package index

func build(ids []string) map[string]int {
	m := make(map[string]int, 1000)
	for i, id := range ids {
		m[id] = i
	}
	return m
}
