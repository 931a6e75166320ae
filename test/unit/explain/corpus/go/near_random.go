// expect: none
package lb

func pick(servers []string) string {
	return servers[rand.Intn(len(servers))]
}

func counts(words []string) map[string]int {
	m := make(map[string]int)
	for _, w := range words {
		m[w]++
	}
	return m
}
