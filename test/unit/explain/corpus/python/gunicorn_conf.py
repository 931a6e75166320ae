# expect: http-keepalive side=server library=gunicorn serverKeepAliveTimeoutMs=2000 risks=
bind = "0.0.0.0:8000"
workers = 4
worker_class = "gthread"
keepalive = 2
timeout = 30
