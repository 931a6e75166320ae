/**
 * Explain Selection in the host: runs an explanation (recognise, then measure each finding at
 * once, then the keep-alive experiments on real sockets in the background, then an optional
 * phrasing by a language model), keeps the view's state, and does what the view asks: reveal a
 * finding's code, open its inspector preloaded, or use a measured hash function in a new hash
 * table or ring. A newer explanation supersedes an older one still running: the older one's late
 * results are dropped.
 */
import * as vscode from 'vscode';
import type { ModelOptions } from '../../engines/core/model';
import { UserError } from '../../engines/core/model';
import type { SelectedHashSource } from '../../engines/hashing/selectedHashSource';
import type { Finding } from '../../explain/finding';
import { CONCEPT_INFO, type ExplainRequest, type ExplainState, type FindingView } from '../../protocol/explain';
import type { InspectorKind } from '../../protocol';
import { log, userMessage } from '../log';
import type { InspectorSession } from '../session';
import type { SessionManager } from '../sessionManager';
import type { ExplainClient } from './explainClient';
import { ExplainPanel } from './explainPanel';
import type { ExplanationWithPlan, OpenPlan } from './explainService';
import { explanationView, findingView, INSPECTOR_TITLES, initialState, offerOf, sourceLabel } from './explainState';
import { phrase } from './languageModel';

/** The code to explain: the editor's selection, or what a command was given. */
export interface SelectionInput {
  uri: vscode.Uri;
  text: string;
  languageId: string;
  range: vscode.Range;
}

/** Concepts whose explanation runs experiments on real sockets (seconds), after the quick one. */
const REAL_TIME: ReadonlySet<Finding['concept']> = new Set(['http-keepalive']);

export class ExplainController implements vscode.Disposable {
  private readonly panel: ExplainPanel;
  private state: ExplainState | undefined;
  private input: SelectionInput | undefined;
  private plans: (OpenPlan | null)[] = [];
  private hash: { source: SelectedHashSource; targets: Record<'hashtable' | 'ring', OpenPlan> } | undefined;
  private run = 0;
  private cancel: vscode.CancellationTokenSource | undefined;

  constructor(extensionUri: vscode.Uri, private readonly client: ExplainClient, private readonly manager: SessionManager) {
    this.panel = new ExplainPanel(extensionUri, (r) => void this.handle(r), () => this.stop());
  }

  /** Explains a selection in the view; resolves with the view's state once the engines have measured it. */
  async explain(input: SelectionInput, language: string): Promise<ExplainState> {
    const run = this.begin(input, initialState('explain', sourceLabel(input.uri.path, language, input.range), 'Reading the selection…'));
    try {
      const { findings } = await this.client.request('recognise', { text: input.text, languageId: language, origin: { line: input.range.start.line, character: input.range.start.character } });
      if (run !== this.run) return this.state!;
      if (findings.length === 0) return this.set({ status: 'done', progress: null, nothingFound: true });
      this.plans = findings.map(() => null);
      this.set({ findings: findings.map(findingView), progress: 'Measuring with the engines…' });
      const background = await Promise.all(findings.map((f, i) => this.measure(run, f, i)));
      if (run !== this.run) return this.state!;
      this.set({ status: 'done', progress: null });
      void Promise.all(background.map((b) => b.background)).then(() => this.phraseAll(run, findings));
      return this.state!;
    } catch (e) {
      return this.failed(run, 'Explain Selection failed', e);
    }
  }

  /** Measures a selected hash function in the sandbox and shows its report beside FNV-1a and Murmur3. */
  async measureHash(input: SelectionInput, language: string): Promise<ExplainState> {
    const run = this.begin(input, initialState('hash', sourceLabel(input.uri.path, language, input.range), 'Running the function in its sandbox on 31,400 keys…'));
    try {
      const m = await this.client.request('measureHash', { text: input.text, languageId: language });
      if (run !== this.run) return this.state!;
      this.hash = { source: m.source, targets: m.targets };
      return this.set({
        status: 'done',
        progress: null,
        hash: { name: m.report.name, selected: m.report.selected, references: m.report.references, verdict: m.report.verdict, targets: [offerOf(m.targets.hashtable, this.available()), offerOf(m.targets.ring, this.available())] },
      });
    } catch (e) {
      return this.failed(run, 'Use Selection as Hash Function failed', e);
    }
  }

  /** Opens a new hash table or ring hashing with the measured selection. Only in a trusted workspace. */
  async useHash(target: 'hashtable' | 'ring'): Promise<string | undefined> {
    if (!this.hash) throw new UserError('No hash function has been measured yet. Select a function and run "DS Inspector: Use Selection as Hash Function" first.');
    if (!vscode.workspace.isTrusted) throw new UserError(UNTRUSTED);
    return (await this.openPlan(this.hash.targets[target], { runSelectedCode: true }))?.id;
  }

  /** Opens the inspector prepared for finding `i`. */
  async open(i: number): Promise<string | undefined> {
    const plan = this.plans[i];
    if (!plan) throw new UserError('This finding has no inspector to open (or it is still being measured).');
    return (await this.openPlan(plan))?.id;
  }

  dispose(): void {
    this.stop();
    this.panel.dispose();
  }

  private async handle(r: Exclude<ExplainRequest, { type: 'ready' }>): Promise<void> {
    try {
      switch (r.type) {
        case 'reveal': return await this.reveal(r.finding);
        case 'open': await this.open(r.finding); return;
        case 'useHash': await this.useHash(r.target); return;
      }
    } catch (e) {
      const message = userMessage(r.type === 'reveal' ? 'Could not show the code' : 'Could not open the inspector', e);
      log().warn(message);
      void vscode.window.showErrorMessage(message);
      if (this.state) this.set({ error: message });
    }
  }

  private async reveal(i: number): Promise<void> {
    const f = this.state?.findings[i];
    if (!f || !this.input) return;
    const range = new vscode.Range(f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character);
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.input!.uri.toString());
    const editor = await vscode.window.showTextDocument(this.input.uri, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One, selection: range, preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async openPlan(plan: OpenPlan, options?: ModelOptions): Promise<InspectorSession | undefined> {
    if (!this.available().has(plan.kind))
      throw new UserError(`The ${INSPECTOR_TITLES[plan.kind]} inspector is not part of this build yet, so it cannot be opened. The explanation's numbers still stand.`);
    const session = await this.manager.create(plan.kind, plan.config, options);
    this.manager.showPanel(session);
    log().info(`Explain: ${plan.title}`);
    for (const intent of plan.intents) if (!(await session.run(intent, words(intent.type)))) break;
    return session;
  }

  /** Explains a finding at once; resolves with the experiments on real sockets still running in the background, if any. */
  private async measure(run: number, f: Finding, i: number): Promise<{ background: Promise<void> }> {
    const quick = await this.explainOne(run, f, i, false);
    if (!quick || !REAL_TIME.has(f.concept)) return { background: Promise.resolve() };
    this.setFinding(i, { realTime: 'running' });
    // Real sockets take seconds: the quick explanation stays up meanwhile.
    const background = this.explainOne(run, f, i, true).then((done) => {
      if (run === this.run) this.setFinding(i, { realTime: done ? 'done' : 'failed' });
    });
    return { background };
  }

  private async explainOne(run: number, f: Finding, i: number, realTime: boolean): Promise<ExplanationWithPlan | undefined> {
    try {
      const e = await this.client.request('explain', { finding: f, realTime });
      if (run !== this.run) return undefined;
      this.plans[i] = e.open;
      this.setFinding(i, { explanation: explanationView(e, this.available()) });
      return e;
    } catch (err) {
      const message = userMessage(`Measuring ${CONCEPT_INFO[f.concept].label.toLowerCase()}${realTime ? ' on real sockets' : ''} failed`, err);
      log().warn(message);
      if (run === this.run && !realTime) this.setFinding(i, { failure: message });
      return undefined;
    }
  }

  /** One finding at a time, after the numbers are in: the model gets only what was measured. */
  private async phraseAll(run: number, findings: readonly Finding[]): Promise<void> {
    const token = this.cancel!.token;
    for (const [i, f] of findings.entries()) {
      const e = this.state?.findings[i]?.explanation;
      if (run !== this.run || token.isCancellationRequested || !e) continue;
      const text = [e.title, e.summary, ...e.measurements.map((m) => `${m.label}: ${m.display} (${m.method})`), ...f.risks.map((r) => `Risk: ${r.message}`)].join('\n');
      const phrased = await phrase({ text, evidence: f.evidence }, token);
      if (phrased && run === this.run) this.setFinding(i, { phrasing: phrased });
    }
  }

  private begin(input: SelectionInput, state: ExplainState): number {
    this.stop();
    this.cancel = new vscode.CancellationTokenSource();
    this.input = input;
    this.plans = [];
    this.hash = undefined;
    this.state = state;
    this.panel.show();
    this.panel.update(state);
    return ++this.run;
  }

  private stop(): void {
    this.cancel?.cancel();
    this.cancel?.dispose();
    this.cancel = undefined;
    this.run++;
  }

  private failed(run: number, what: string, e: unknown): ExplainState {
    const message = userMessage(what, e);
    if (e instanceof UserError) log().warn(message);
    else log().error(`${what}:`, e instanceof Error ? (e.stack ?? e.message) : String(e));
    if (run !== this.run) return this.state!;
    return this.set({ status: 'failed', progress: null, error: message });
  }

  private set(change: Partial<ExplainState>): ExplainState {
    this.state = { ...this.state!, ...change };
    this.panel.update(this.state);
    return this.state;
  }

  private setFinding(i: number, change: Partial<FindingView>): void {
    const findings = this.state!.findings.map((f, j) => (j === i ? { ...f, ...change } : f));
    this.set({ findings });
  }

  /** The inspectors this build has. */
  private available(): ReadonlySet<InspectorKind> {
    return new Set(this.manager.allDefinitions.map((d) => d.kind));
  }
}

export const UNTRUSTED =
  '"Use Selection as Hash Function" runs the selected code, and this workspace is not trusted, so DS Inspector will not run code from it. ' +
  'If you trust the folder, choose "Manage Workspace Trust" (or run "Workspaces: Manage Workspace Trust") and trust it, then run the command again.';

/** "insertKeys" → "insert keys": the busy label of an operation the explanation dispatches. */
function words(type: string): string {
  return type.replace(/([A-Z])/g, ' $1').toLowerCase();
}
