// expect: ordered-consumption routing=shared workers=8 framework=goroutines risks=order-lost-shared-queue
package consumer

const numWorkers = 8

func Run(msgs <-chan Message) {
	for i := 0; i < numWorkers; i++ {
		go func() {
			for msg := range msgs {
				apply(msg)
			}
		}()
	}
}
