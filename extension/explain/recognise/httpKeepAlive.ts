/**
 * HTTP keep-alive settings on both ends: Node's `http.Agent`, agentkeepalive and undici on the
 * client, `server.keepAliveTimeout` on the server; Go's `http.Transport` and `http.Server`; OkHttp's
 * and Apache HttpClient's pools, Tomcat and Jetty idle timeouts; requests/urllib3, aiohttp and httpx
 * pools, uvicorn's and gunicorn's keep-alive. A client and a server in the same selection are
 * reported together, because the danger lies between them.
 * Risks: `keepalive-disabled`, `client-idle-outlives-server`, `check-server-idle-timeout`,
 * `go-idle-per-host-default`, `server-keepalive-below-proxy`.
 */
import type { FindingOf, HttpKeepAliveParams, Risk, Settings } from '../finding';
import type { Call, Facts } from '../syntax/facts';
import { evalBool, evalDurationMs, evalNumber } from '../syntax/evaluate';
import { dotted, type Expr, lastName, type RecordEntry, type Span } from '../syntax/tree';
import { cover, finding, type Recogniser } from './common';

type Field = 'keepAlive' | 'noKeepAlive' | 'clientIdle' | 'serverIdle' | 'maxSockets' | 'maxIdle' | 'other';
/** Option name → what it sets, and the unit of a bare number (ms per unit). */
type OptionTable = Record<string, [Field, number]>;

const NODE_AGENT: OptionTable = { keepAlive: ['keepAlive', 1], timeout: ['clientIdle', 1], maxSockets: ['maxSockets', 1], maxFreeSockets: ['maxIdle', 1], keepAliveMsecs: ['other', 1], maxTotalSockets: ['other', 1], scheduling: ['other', 1] };
const AGENTKEEPALIVE: OptionTable = { ...NODE_AGENT, freeSocketTimeout: ['clientIdle', 1], timeout: ['other', 1] };
const UNDICI: OptionTable = { keepAliveTimeout: ['clientIdle', 1], keepAliveMaxTimeout: ['other', 1], keepAliveTimeoutThreshold: ['other', 1], connections: ['maxSockets', 1], pipelining: ['other', 1] };
const NODE_SERVER: OptionTable = { keepAliveTimeout: ['serverIdle', 1], headersTimeout: ['other', 1], requestTimeout: ['other', 1], keepAlive: ['keepAlive', 1] };
const GO_TRANSPORT: OptionTable = { MaxIdleConns: ['other', 1], MaxIdleConnsPerHost: ['maxIdle', 1], MaxConnsPerHost: ['maxSockets', 1], IdleConnTimeout: ['clientIdle', 1e-6], DisableKeepAlives: ['noKeepAlive', 1] };
const GO_SERVER: OptionTable = { IdleTimeout: ['serverIdle', 1e-6], ReadTimeout: ['other', 1e-6], WriteTimeout: ['other', 1e-6], ReadHeaderTimeout: ['other', 1e-6] };
const PY_ADAPTER: OptionTable = { pool_connections: ['other', 1], pool_maxsize: ['maxSockets', 1], pool_block: ['other', 1], max_retries: ['other', 1] };
const PY_URLLIB3: OptionTable = { num_pools: ['other', 1], maxsize: ['maxSockets', 1], block: ['other', 1] };
const PY_AIOHTTP: OptionTable = { limit: ['other', 1], limit_per_host: ['maxSockets', 1], keepalive_timeout: ['clientIdle', 1000], force_close: ['noKeepAlive', 1] };
const PY_HTTPX: OptionTable = { max_connections: ['maxSockets', 1], max_keepalive_connections: ['maxIdle', 1], keepalive_expiry: ['clientIdle', 1000] };
const JAVA_APACHE: Record<string, Field> = { setMaxTotal: 'other', setDefaultMaxPerRoute: 'maxSockets', setMaxPerRoute: 'maxSockets', setValidateAfterInactivity: 'other', setConnectionTimeToLive: 'other' };

interface Side {
  span: Span;
  side: 'client' | 'server';
  library: string;
  keepAlive: boolean | null;
  clientIdle: number | null;
  serverIdle: number | null;
  maxSockets: number | null;
  maxIdle: number | null;
  settings: Settings;
  /** Library-specific risks decided while reading it. */
  risks: Risk[];
  /** How long the library keeps idle client sockets when not told, in ms; null = until the server closes them. */
  defaultClientIdle: number | null;
}

export const httpKeepAlive: Recogniser = {
  concept: 'http-keepalive',
  recognise(facts) {
    const sides: Side[] = [];
    for (const c of facts.calls) {
      const s = fromCall(facts, c);
      if (s) sides.push(s);
    }
    for (const r of facts.records) {
      const s = goStruct(facts, r);
      if (s && !sides.some((x) => x.span.start <= s.span.start && s.span.end <= x.span.end)) sides.push(s);
    }
    sides.push(...fromAssignments(facts));
    sides.push(...gunicorn(facts));
    // requests.Session() next to the HTTPAdapter that configures it is one client, not two.
    for (let i = sides.length - 1; i >= 0; i--) {
      const s = sides[i]!;
      if (Object.keys(s.settings).length === 0 && sides.some((o) => o !== s && o.library === s.library && o.side === s.side)) sides.splice(i, 1);
    }
    const clients = sides.filter((s) => s.side === 'client');
    const servers = sides.filter((s) => s.side === 'server');
    if (clients.length === 1 && servers.length === 1) return [report(facts, [clients[0]!, servers[0]!])];
    return sides.map((s) => report(facts, [s]));
  },
};

function blank(span: Span, side: Side['side'], library: string, defaultClientIdle: number | null = null): Side {
  return { span, side, library, keepAlive: null, clientIdle: null, serverIdle: null, maxSockets: null, maxIdle: null, settings: {}, risks: [], defaultClientIdle };
}

function apply(facts: Facts, s: Side, table: OptionTable, entries: { key?: string; value: Expr }[]): number {
  let applied = 0;
  for (const e of entries) {
    if (!e.key || !(e.key in table)) continue;
    const [field, unit] = table[e.key]!;
    applied++;
    setField(facts, s, e.key, field, e.value, unit);
  }
  return applied;
}

function setField(facts: Facts, s: Side, key: string, field: Field, value: Expr, unit: number): void {
  const isBool = field === 'keepAlive' || field === 'noKeepAlive';
  const v = isBool ? evalBool(value, facts.scope) : field === 'clientIdle' || field === 'serverIdle' ? evalDurationMs(value, facts.scope, unit) : evalNumber(value, facts.scope);
  s.settings[key] = v ?? facts.excerpt(value.span, 40);
  if (v === null) return;
  switch (field) {
    case 'keepAlive': s.keepAlive = v as boolean; break;
    case 'noKeepAlive': s.keepAlive = !(v as boolean); break;
    case 'clientIdle': s.clientIdle = v as number; break;
    case 'serverIdle': s.serverIdle = v as number; break;
    case 'maxSockets': s.maxSockets = v as number; break;
    case 'maxIdle': s.maxIdle = v as number; break;
    case 'other': break;
  }
}

const kwargs = (c: Call): RecordEntry[] => c.args.filter((a) => a.name !== undefined).map((a) => ({ key: a.name, value: a.value }));

function fromCall(facts: Facts, c: Call): Side | null {
  const name = lastName(c.callee) ?? '';
  const path = dotted(c.callee) ?? name;
  const lang = facts.lang;
  if (lang === 'typescript' || lang === 'javascript') {
    const options = c.args.find((a) => a.value.k === 'record')?.value as Extract<Expr, { k: 'record' }> | undefined;
    if (c.isNew && /^(Agent|HttpAgent|HttpsAgent)$/.test(name) && options) {
      const keys = new Set(options.entries.map((e) => e.key));
      if (keys.has('keepAliveTimeout') || keys.has('connections') || keys.has('pipelining')) {
        const s = blank(c.span, 'client', 'undici', 4000);
        s.keepAlive = true;
        return apply(facts, s, UNDICI, options.entries) > 0 ? s : null;
      }
      const agentkeepalive = keys.has('freeSocketTimeout') || /^Http(s)?Agent$/.test(name) && !path.startsWith('http');
      const s = blank(c.span, 'client', agentkeepalive ? 'agentkeepalive' : 'node:http Agent', agentkeepalive ? 4000 : null);
      if (agentkeepalive) s.keepAlive = true;
      return apply(facts, s, agentkeepalive ? AGENTKEEPALIVE : NODE_AGENT, options.entries) > 0 ? s : null;
    }
    if (c.isNew && /^(Pool|Client)$/.test(name) && c.args.length === 2 && options && c.args[0]!.value.k !== 'record') {
      const s = blank(c.span, 'client', 'undici', 4000);
      s.keepAlive = true;
      return apply(facts, s, UNDICI, options.entries) > 0 ? s : null;
    }
    if (/^create(Secure)?Server$/.test(name) && options) {
      const s = blank(c.span, 'server', 'node:http server');
      return apply(facts, s, NODE_SERVER, options.entries) > 0 ? s : null;
    }
    return null;
  }
  if (lang === 'python') {
    if (name === 'HTTPAdapter') { const s = blank(c.span, 'client', 'requests'); s.keepAlive = true; apply(facts, s, PY_ADAPTER, kwargs(c)); return s; }
    if (path === 'requests.Session' || path === 'Session' && facts.names.has('requests')) { const s = blank(c.span, 'client', 'requests'); s.keepAlive = true; return s; }
    if (/^(PoolManager|HTTPConnectionPool|HTTPSConnectionPool)$/.test(name)) { const s = blank(c.span, 'client', 'urllib3'); s.keepAlive = true; apply(facts, s, PY_URLLIB3, kwargs(c)); return s; }
    if (name === 'TCPConnector') { const s = blank(c.span, 'client', 'aiohttp', 15_000); s.keepAlive = true; apply(facts, s, PY_AIOHTTP, kwargs(c)); return s; }
    if (name === 'Limits' && /httpx/.test(path)) { const s = blank(c.span, 'client', 'httpx', 5000); s.keepAlive = true; apply(facts, s, PY_HTTPX, kwargs(c)); return s; }
    if (path === 'uvicorn.run' || name === 'Config' && /uvicorn/.test(path)) {
      const v = c.args.find((a) => a.name === 'timeout_keep_alive');
      if (!v) return null;
      const s = blank(c.span, 'server', 'uvicorn');
      setField(facts, s, 'timeout_keep_alive', 'serverIdle', v.value, 1000);
      return s;
    }
    return null;
  }
  if (lang === 'java') {
    if (c.isNew && name === 'ConnectionPool' && c.args.length === 3) {
      const s = blank(c.span, 'client', 'okhttp');
      s.keepAlive = true;
      setField(facts, s, 'maxIdleConnections', 'maxIdle', c.args[0]!.value, 1);
      const unit = evalDurationMs(c.args[2]!.value, facts.scope);
      setField(facts, s, 'keepAliveDuration', 'clientIdle', c.args[1]!.value, unit ?? 1);
      return s;
    }
    if (name === 'evictIdleConnections' && c.args.length >= 1) {
      const s = blank(c.span, 'client', 'apache httpclient');
      s.keepAlive = true;
      const unit = c.args[1] ? evalDurationMs(c.args[1].value, facts.scope) : 1;
      setField(facts, s, 'evictIdleConnections', 'clientIdle', c.args[0]!.value, unit ?? 1);
      return s;
    }
    if (name === 'setKeepAliveTimeout' && c.args.length === 1) {
      const s = blank(c.span, 'server', 'tomcat');
      setField(facts, s, 'keepAliveTimeout', 'serverIdle', c.args[0]!.value, 1);
      return s;
    }
    if (name === 'setProperty' && c.args[0]?.value.k === 'str' && c.args[1]) {
      const key = (c.args[0].value as { value: string }).value;
      if (key === 'jdk.httpclient.keepalive.timeout') {
        const s = blank(c.span, 'client', 'java.net.http.HttpClient');
        s.keepAlive = true;
        setField(facts, s, key, 'clientIdle', c.args[1].value, 1000);
        return s;
      }
      if (key === 'keepAliveTimeout') {
        const s = blank(c.span, 'server', 'tomcat');
        setField(facts, s, key, 'serverIdle', c.args[1].value, 1);
        return s;
      }
    }
    return null;
  }
  if (lang === 'go' && name === 'SetKeepAlivesEnabled' && c.args.length === 1) {
    const s = blank(c.span, 'server', 'go net/http');
    const v = evalBool(c.args[0]!.value, facts.scope);
    s.settings.SetKeepAlivesEnabled = v ?? facts.text(c.args[0]!.value.span);
    s.keepAlive = v;
    return s;
  }
  return null;
}

function goStruct(facts: Facts, r: Extract<Expr, { k: 'record' }>): Side | null {
  if (facts.lang !== 'go' || !r.type) return null;
  const type = dotted(r.type) ?? '';
  if (type === 'http.Transport') {
    const s = blank(r.span, 'client', 'go net/http');
    s.keepAlive = true;
    if (apply(facts, s, GO_TRANSPORT, r.entries) === 0) return null;
    if (!('MaxIdleConnsPerHost' in s.settings) && s.keepAlive)
      s.risks.push({
        id: 'go-idle-per-host-default',
        severity: 'warning',
        message: 'MaxIdleConnsPerHost is not set, so at most 2 idle connections per host are kept (DefaultMaxIdleConnsPerHost): with more concurrent requests to one host, connections are closed and reopened constantly and TIME_WAIT sockets pile up.',
      });
    return s;
  }
  if (type === 'http.Server') {
    const s = blank(r.span, 'server', 'go net/http');
    return apply(facts, s, GO_SERVER, r.entries) > 0 ? s : null;
  }
  return null;
}

/** `server.keepAliveTimeout = 65000`, `t.IdleConnTimeout = 30 * time.Second`, Apache setters: grouped by object. */
function fromAssignments(facts: Facts): Side[] {
  const groups = new Map<string, Side>();
  const at = (key: string, span: Span, side: Side['side'], library: string): Side => {
    let s = groups.get(key);
    if (!s) { s = blank(span, side, library); groups.set(key, s); }
    s.span = cover([s.span, span]);
    return s;
  };
  for (const a of facts.assigns) {
    if (a.op !== '=' || a.target.k !== 'member') continue;
    const owner = dotted(a.target.object) ?? '?';
    const field = a.target.name;
    if ((facts.lang === 'typescript' || facts.lang === 'javascript') && field in NODE_SERVER && field !== 'keepAlive') {
      const s = at(`${owner}#server`, a.span, 'server', 'node:http server');
      setField(facts, s, field, NODE_SERVER[field]![0], a.value, 1);
    } else if (facts.lang === 'go' && field in GO_TRANSPORT) {
      const s = at(`${owner}#transport`, a.span, 'client', 'go net/http');
      s.keepAlive ??= true;
      setField(facts, s, field, GO_TRANSPORT[field]![0], a.value, GO_TRANSPORT[field]![1]);
    } else if (facts.lang === 'go' && field in GO_SERVER && field === 'IdleTimeout') {
      const s = at(`${owner}#server`, a.span, 'server', 'go net/http');
      setField(facts, s, field, 'serverIdle', a.value, 1e-6);
    }
  }
  // setMaxTotal and friends also configure DBCP's BasicDataSource: only an HTTP connection manager makes them HTTP.
  if (facts.lang === 'java' && facts.hasName(/ConnectionManager|HttpClient/)) {
    for (const c of facts.calls) {
      const name = lastName(c.callee) ?? '';
      if (!(name in JAVA_APACHE) || c.callee.k !== 'member' || c.args.length === 0) continue;
      const s = at(`${dotted(c.callee.object) ?? '?'}#apache`, c.span, 'client', 'apache httpclient');
      s.keepAlive = true;
      setField(facts, s, name.replace(/^set/, '').replace(/^./, (x) => x.toLowerCase()), JAVA_APACHE[name]!, c.args[c.args.length - 1]!.value, 1);
    }
  }
  return [...groups.values()];
}

/** gunicorn.conf.py: `keepalive = 2` among other gunicorn settings (alone, it could be any variable). */
function gunicorn(facts: Facts): Side[] {
  if (facts.lang !== 'python') return [];
  const top = facts.unit.exprs.filter((e): e is Extract<Expr, { k: 'assign' }> => e.k === 'assign' && e.target.k === 'name');
  const names = new Set(top.map((a) => (a.target as { name: string }).name));
  const keepalive = top.find((a) => (a.target as { name: string }).name === 'keepalive');
  if (!keepalive || !(names.has('workers') || names.has('bind') || names.has('worker_class'))) return [];
  const s = blank(keepalive.span, 'server', 'gunicorn');
  setField(facts, s, 'keepalive', 'serverIdle', keepalive.value, 1000);
  return [s];
}

function report(facts: Facts, sides: Side[]): FindingOf<'http-keepalive'> {
  const client = sides.find((s) => s.side === 'client');
  const server = sides.find((s) => s.side === 'server');
  const first = sides[0]!;
  const params: HttpKeepAliveParams = {
    side: client && server ? 'both' : first.side,
    library: sides.map((s) => s.library).join(' + '),
    keepAlive: client?.keepAlive ?? server?.keepAlive ?? null,
    clientIdleTimeoutMs: client?.clientIdle ?? null,
    serverKeepAliveTimeoutMs: server?.serverIdle ?? null,
    maxSockets: client?.maxSockets ?? null,
    maxIdle: client?.maxIdle ?? null,
    settings: Object.assign({}, ...sides.map((s) => s.settings)),
  };
  const risks: Risk[] = sides.flatMap((s) => s.risks);
  if (sides.some((s) => s.keepAlive === false))
    risks.push({
      id: 'keepalive-disabled',
      severity: 'warning',
      message: 'Keep-alive is off: every request pays a new TCP (and TLS) handshake and leaves a socket in TIME_WAIT.',
    });
  const clientIdle = client ? client.clientIdle ?? client.defaultClientIdle : null;
  const fmt = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);
  if (client && client.keepAlive !== false && server?.serverIdle != null) {
    if (clientIdle === null || clientIdle >= server.serverIdle)
      risks.push({
        id: 'client-idle-outlives-server',
        severity: 'error',
        message: `The client keeps idle sockets ${clientIdle === null ? 'until the server closes them' : `for ${fmt(clientIdle)}`}, but the server closes idle connections after ${fmt(server.serverIdle)}: a request sent on a socket the server is just closing fails with ECONNRESET ("socket hang up"). Keep the client's idle timeout below the server's.`,
      });
  } else if (client && client.keepAlive !== false && !server && (clientIdle === null || clientIdle >= 5000)) {
    risks.push({
      id: 'check-server-idle-timeout',
      severity: 'info',
      message: `Idle sockets are kept ${clientIdle === null ? 'until the server closes them' : `for ${fmt(clientIdle)}${client.clientIdle === null ? ' (the default)' : ''}`}: this must stay below the server's keep-alive timeout (Node's default is 5 s, nginx 75 s), or requests will race the server's close and fail with ECONNRESET.`,
    });
  }
  if (server?.serverIdle != null && server.library === 'node:http server' && server.serverIdle <= 60_000)
    risks.push({
      id: 'server-keepalive-below-proxy',
      severity: 'info',
      message: `Behind a load balancer that keeps idle upstream connections longer than ${fmt(server.serverIdle)} (AWS ALB: 60 s), this server closes first and the balancer answers 502. Set keepAliveTimeout above the balancer's idle timeout.`,
    });
  const confidence = first.library === 'requests' && !('pool_maxsize' in params.settings) && sides.length === 1 ? 0.6 : 0.9;
  return finding(facts, 'http-keepalive', cover(sides.map((s) => s.span)), confidence, params, risks);
}
