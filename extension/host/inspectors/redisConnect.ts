/**
 * "Use Redis…": where Redis is comes from `dsInspector.redis.url`; a password never lives in
 * settings. When Redis asks for one (NOAUTH) or refuses it (WRONGPASS), the user is asked, and a
 * password that worked is kept in VS Code's SecretStorage per user, host and port. The engine
 * records only host, port and database, so no password reaches the log, the timeline or an
 * exported session.
 */
import * as vscode from 'vscode';
import { describeRedisUrl, parseRedisUrl, withRedisPassword, type RedisTarget } from '../../engines/idempotency/redisUrl';
import type { IdempotencyIntent } from '../../protocol/idempotency';
import type { InspectorSession } from '../session';
import { setting } from './prompts';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Runs an intent and also hands back the message the user was shown if it failed. */
export async function runReportingError(s: InspectorSession, intent: IdempotencyIntent, label: string): Promise<{ ok: boolean; error?: string }> {
  let error: string | undefined;
  const sub = s.on({ error: (m) => { error = m; } });
  try {
    const ok = await s.run(intent, label);
    return ok || error === undefined ? { ok } : { ok, error };
  } finally {
    sub.dispose();
  }
}

/** Why Redis turned the login down, read from its own error codes. */
function authProblem(message: string): 'needed' | 'refused' | undefined {
  if (/\bNOAUTH\b/.test(message)) return 'needed';
  if (/\bWRONGPASS\b|invalid password/i.test(message)) return 'refused';
  return undefined;
}

function validUrl(text: string): string | undefined {
  try {
    parseRedisUrl(text.trim());
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const secretKey = (t: RedisTarget): string => `dsInspector.redis.password/${t.username ?? ''}@${t.host}:${t.port}`;

export class RedisConnector {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** Moves the session's lab onto Redis; false when it did not (the user has been told why). */
  async use(s: InspectorSession, given?: string): Promise<boolean> {
    const url = given ?? (await this.askUrl());
    if (url === undefined) return false;
    const problem = validUrl(url);
    if (problem) {
      void vscode.window.showErrorMessage(`Use Redis: ${problem}`);
      return false;
    }
    const target = parseRedisUrl(url);
    const where = describeRedisUrl(url);
    const key = secretKey(target);
    let password = target.password ?? (await this.secrets.get(key));
    // A user name without a password means the server wants a login: ask before the first try.
    if (password === undefined && target.username !== undefined) {
      password = await askPassword(where, 'needed');
      if (password === undefined) return false;
    }
    for (;;) {
      const attempt = password === undefined ? url : withRedisPassword(url, password);
      const { ok, error } = await runReportingError(s, { type: 'useRedis', url: attempt }, `use Redis at ${where}`);
      if (ok) {
        if (password !== undefined && password !== (await this.secrets.get(key))) await this.secrets.store(key, password);
        return true;
      }
      const auth = error === undefined ? undefined : authProblem(error);
      // Unreachable or refused for another reason: the error is shown and the lab keeps its store.
      if (!auth) return false;
      if (auth === 'refused') await this.secrets.delete(key);
      password = await askPassword(where, auth);
      if (password === undefined) return false;
    }
  }

  /** The URL to connect to, starting from the setting (without any password it wrongly holds). */
  private async askUrl(): Promise<string | undefined> {
    let initial = setting('redis', 'url', DEFAULT_REDIS_URL, (v): v is string => typeof v === 'string' && v.trim() !== '').trim();
    if (validUrl(initial) === undefined && parseRedisUrl(initial).password !== undefined) {
      const target = parseRedisUrl(initial);
      await this.secrets.store(secretKey(target), target.password!);
      initial = withoutPassword(initial);
      void vscode.window.showWarningMessage(
        'The setting dsInspector.redis.url holds a password in plain text. DS Inspector now keeps it in VS Code\'s secret storage; remove it from the setting.',
      );
    }
    const text = await vscode.window.showInputBox({
      title: 'Use Redis',
      prompt: 'Where Redis is: redis://HOST:PORT[/DB] (or redis://USER@HOST:PORT). A password is asked for when Redis needs one, and kept in secret storage.',
      value: initial,
      ignoreFocusOut: true,
      validateInput: validUrl,
    });
    return text?.trim() || undefined;
  }
}

function withoutPassword(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

function askPassword(where: string, why: 'needed' | 'refused'): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: `Password for Redis at ${where}`,
    prompt: `${why === 'needed' ? `Redis at ${where} needs a password.` : `Redis at ${where} refused the user name or password; enter it again.`} It is kept in VS Code's secret storage, never in settings, the log or exported sessions.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.length === 0 ? 'Enter the password, or press Escape to stay on the current store.' : v.length > 128 ? 'At most 128 characters.' : undefined),
  });
}
