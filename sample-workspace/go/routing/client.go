package routing

import (
	"net"
	"net/http"
	"time"
)

// NewInventoryClient reuses connections to the inventory service. IdleConnTimeout is shorter than
// the server's keep-alive timeout (60 s behind the load balancer), so the client never reuses a
// socket the server is about to close.
func NewInventoryClient() *http.Client {
	transport := &http.Transport{
		DialContext: (&net.Dialer{
			Timeout:   2 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		MaxIdleConns:          200,
		MaxIdleConnsPerHost:   32,
		MaxConnsPerHost:       64,
		IdleConnTimeout:       55 * time.Second,
		ResponseHeaderTimeout: 3 * time.Second,
	}
	return &http.Client{Transport: transport, Timeout: 5 * time.Second}
}
