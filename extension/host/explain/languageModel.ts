/**
 * Phrasing by a language model, when VS Code offers one (`vscode.lm`): it rewrites the measured
 * explanation in plain words and may add no number of its own (numberGuard.ts). Everything here is
 * optional: without the API, without a model, when the user declines consent, on cancellation or
 * on any error, it logs why and returns nothing, and the deterministic explanation is complete.
 */
import * as vscode from 'vscode';
import { log } from '../log';
import { inventedNumbers } from './numberGuard';

export interface PhraseInput {
  /** The deterministic explanation as text: title, summary, risks, measured numbers with methods. */
  text: string;
  /** The selected code that matched. */
  evidence: string;
}

export interface Phrased {
  model: string;
  text: string;
}

const MAX_CHARS = 1500;

const INSTRUCTIONS = [
  'You explain a piece of backend code to the engineer who selected it, using measurements a tool made.',
  'Rewrite the explanation below as one short paragraph (at most 120 words) of plain prose for that engineer: what the code does, the main risk, and what to do about it.',
  'Use only numbers that appear in the explanation or the code, exactly as written. Do not add, round, estimate or compute any other number.',
  'No headings, no lists, no code.',
].join(' ');

/** Set once the user declined: asking again in this window would only show the dialog again. */
let declined = false;

export function languageModelEnabled(): boolean {
  return vscode.workspace.getConfiguration('dsInspector.explain').get<boolean>('useLanguageModel', true) && !declined;
}

export async function phrase(input: PhraseInput, token: vscode.CancellationToken): Promise<Phrased | undefined> {
  // Absent in hosts without the language model API (older VS Code, some forks).
  const lm = (vscode as { lm?: typeof vscode.lm }).lm;
  if (!lm?.selectChatModels || !languageModelEnabled()) return undefined;
  try {
    const [model] = await lm.selectChatModels();
    if (!model || token.isCancellationRequested) return undefined;
    const messages = [vscode.LanguageModelChatMessage.User(`${INSTRUCTIONS}\n\nExplanation:\n${input.text}\n\nCode:\n${input.evidence}`)];
    const response = await model.sendRequest(messages, { justification: 'DS Inspector phrases the explanation of your selection from the numbers its engines measured.' }, token);
    let text = '';
    for await (const part of response.text) {
      text += part;
      if (text.length > MAX_CHARS) break;
    }
    text = text.trim();
    if (!text || token.isCancellationRequested) return undefined;
    const invented = inventedNumbers(text, [input.text, input.evidence]);
    if (invented.length > 0) {
      log().info(`Explain: ${model.name}'s phrasing used numbers that were not measured (${invented.join(', ')}); showing the measured explanation only.`);
      return undefined;
    }
    return { model: model.name, text: text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text };
  } catch (e) {
    if (typeof vscode.LanguageModelError === 'function' && e instanceof vscode.LanguageModelError && e.code === vscode.LanguageModelError.NoPermissions.name) {
      declined = true;
      log().info('Explain: the language model was not allowed; explanations stay as measured.');
    } else if (e instanceof vscode.CancellationError || token.isCancellationRequested) {
      log().debug('Explain: phrasing cancelled.');
    } else {
      log().warn(`Explain: the language model could not phrase the explanation: ${e instanceof Error ? e.message : String(e)}`);
    }
    return undefined;
  }
}
