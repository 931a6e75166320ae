// expect: http-keepalive side=client library="go net/http" keepAlive=true clientIdleTimeoutMs=90000 maxSockets=null maxIdle=null risks=go-idle-per-host-default,check-server-idle-timeout
package client

import (
	"net/http"
	"time"
)

var Client = &http.Client{
	Timeout: 10 * time.Second,
	Transport: &http.Transport{
		MaxIdleConns:    100,
		IdleConnTimeout: 90 * time.Second,
	},
}
