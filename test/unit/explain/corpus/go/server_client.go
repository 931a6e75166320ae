// expect: http-keepalive side=both clientIdleTimeoutMs=120000 serverKeepAliveTimeoutMs=60000 maxIdle=32 risks=client-idle-outlives-server
package gateway

func newStack(h http.Handler) (*http.Server, *http.Client) {
	srv := &http.Server{
		Addr:        ":8080",
		Handler:     h,
		IdleTimeout: 60 * time.Second,
	}
	cl := &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost: 32,
		IdleConnTimeout:     2 * time.Minute,
	}}
	return srv, cl
}
