// expect: ordered-consumption routing=per-key workers=null key="[]byte(msg.Key)" risks=resize-moves-keys,hot-key
package consumer

type Router struct {
	queues []chan Message
}

func (r *Router) Dispatch(msg Message) {
	idx := crc32.ChecksumIEEE([]byte(msg.Key)) % uint32(len(r.queues))
	r.queues[idx] <- msg
}
