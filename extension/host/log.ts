/**
 * The extension's LogOutputChannel and the one way user-visible failures are reported: logged
 * with detail, shown with what failed, why, and what to do.
 */
import * as vscode from 'vscode';
import { UserError } from '../engines/core/model';
import { SessionFileError } from '../engines/core/sessionFile';

let channel: vscode.LogOutputChannel | undefined;

export function initLog(context: vscode.ExtensionContext): vscode.LogOutputChannel {
  channel = vscode.window.createOutputChannel('DS Inspector', { log: true });
  context.subscriptions.push(channel);
  return channel;
}

export function log(): vscode.LogOutputChannel {
  if (!channel) throw new Error('DS Inspector log used before activation');
  return channel;
}

/** The message to show a user for an error: ours are written for users, others get context. */
export function userMessage(what: string, e: unknown): string {
  if (e instanceof UserError || e instanceof SessionFileError) return `${what}: ${e.message}`;
  const detail = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return `${what}: ${detail}. See the "DS Inspector" output for details.`;
}

/** Logs an error and shows it to the user; never throws. */
export function reportError(what: string, e: unknown): string {
  const message = userMessage(what, e);
  const isUser = e instanceof UserError || e instanceof SessionFileError;
  if (isUser) log().warn(message);
  else log().error(`${what}:`, e instanceof Error ? (e.stack ?? e.message) : String(e));
  const showLog = 'Show Log';
  void vscode.window.showErrorMessage(message, ...(isUser ? [] : [showLog])).then((pick) => {
    if (pick === showLog) log().show(true);
  });
  return message;
}
