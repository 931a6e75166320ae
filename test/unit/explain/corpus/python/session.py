# expect: http-keepalive side=client library=requests keepAlive=true maxSockets=50 risks=check-server-idle-timeout
import requests
from requests.adapters import HTTPAdapter

session = requests.Session()
adapter = HTTPAdapter(pool_connections=4, pool_maxsize=50, max_retries=3)
session.mount("https://", adapter)
