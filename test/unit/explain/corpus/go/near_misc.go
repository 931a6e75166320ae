// expect: none
package misc

func evenOdd(i int) string {
	if i%2 == 0 {
		return "even"
	}
	return "odd"
}

func bucketSecond() int64 {
	return time.Now().Unix() % 60
}
