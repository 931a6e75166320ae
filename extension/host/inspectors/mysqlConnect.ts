/**
 * "Use MySQL / MariaDB…": where the server is comes from the `dsInspector.mysql.*` settings; the
 * password never does. It is read from VS Code's SecretStorage (one per user, host and port),
 * asked for when there is none, and asked for again after the server refused the login. The host
 * adds it to the `useMysql` intent itself: the webview can only ask for this command by name, and
 * the engine records the target without the password, so it reaches no log, timeline or export.
 */
import * as vscode from 'vscode';
import { checkSettings, describeTarget, isRefusedLogin, type MysqlSettings } from '../../engines/pool/mysqlSettings';
import type { InspectorSession } from '../session';
import { setting } from './prompts';

export const DEFAULT_MYSQL: MysqlSettings = { host: '127.0.0.1', port: 3306, user: 'root', database: 'information_schema' };

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isPort = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65_535;

/** Where to connect: the settings, or the defaults for those unset. */
export function mysqlFromSettings(): MysqlSettings {
  return {
    host: setting('mysql', 'host', DEFAULT_MYSQL.host, isText).trim(),
    port: setting('mysql', 'port', DEFAULT_MYSQL.port, isPort),
    user: setting('mysql', 'user', DEFAULT_MYSQL.user, isText),
    database: setting('mysql', 'database', DEFAULT_MYSQL.database, isText),
  };
}

const secretKey = (s: MysqlSettings): string => `dsInspector.mysql.password/${s.user}@${s.host}:${s.port}`;

/** Runs the intent; on failure, also the message the user was shown (to tell a refused login apart). */
async function attempt(s: InspectorSession, settings: MysqlSettings, password: string): Promise<{ ok: boolean; error?: string }> {
  let error: string | undefined;
  const sub = s.on({ error: (m) => { error = m; } });
  try {
    const ok = await s.run({ type: 'useMysql', ...settings, password }, `use ${describeTarget(settings)}`);
    return error === undefined ? { ok } : { ok, error };
  } finally {
    sub.dispose();
  }
}

function askPassword(s: MysqlSettings, refused: boolean): Thenable<string | undefined> {
  const who = `"${s.user}" at ${s.host}:${s.port}`;
  return vscode.window.showInputBox({
    title: `MySQL password for ${s.user}@${s.host}:${s.port}`,
    prompt: `${refused ? `The server refused the login for ${who}: enter the password again.` : `The password of ${who}; leave it empty if the account has none.`} It is kept in VS Code's secret storage, never in settings, the log or exported sessions.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.length > 1_000 ? 'At most 1,000 characters.' : undefined),
  });
}

export class MysqlConnector {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /**
   * Moves the session's pool onto the server (`given` overrides the settings, e.g. from a test).
   * False when it did not; the user has been told why and the pool stays where it was.
   */
  async use(s: InspectorSession, given: Partial<MysqlSettings> & { password?: string } = {}): Promise<boolean> {
    const { password: givenPassword, ...where } = given;
    const settings: MysqlSettings = { ...mysqlFromSettings(), ...where };
    try {
      checkSettings(settings);
    } catch (e) {
      const open = 'Open Settings';
      void vscode.window.showErrorMessage(`Use MySQL / MariaDB: ${(e as Error).message}`, open).then((pick) => {
        if (pick === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'dsInspector.mysql');
      });
      return false;
    }
    const key = secretKey(settings);
    let password = givenPassword ?? (await this.secrets.get(key)) ?? (await askPassword(settings, false));
    for (;;) {
      if (password === undefined) return false;
      const { ok, error } = await attempt(s, settings, password);
      if (ok) {
        if (password !== (await this.secrets.get(key))) await this.secrets.store(key, password);
        return true;
      }
      // Unreachable, no such database, busy server: the message said what to do; asking again would not help.
      if (error === undefined || !isRefusedLogin(error)) return false;
      await this.secrets.delete(key);
      password = await askPassword(settings, true);
    }
  }
}
