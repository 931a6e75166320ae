// expect: none
func shardLabel(i, total int) string {
	return fmt.Sprintf("%d/%d", i%total+1, total)
}
