# expect: http-keepalive
connector = aiohttp.TCPConnector(limit=100, limit_per_host=20, keepalive_timeout=30)
session = aiohttp.ClientSession(connector=connector)
