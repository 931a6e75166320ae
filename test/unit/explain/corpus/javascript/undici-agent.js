// expect: http-keepalive side=client library=undici keepAlive=true clientIdleTimeoutMs=10000 maxSockets=32 risks=check-server-idle-timeout
const { Agent, setGlobalDispatcher } = require('undici');

setGlobalDispatcher(new Agent({
  connections: 32,
  keepAliveTimeout: 10_000,
  keepAliveMaxTimeout: 60_000,
}));
