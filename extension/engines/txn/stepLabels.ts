/** Words for steps and messages: the scrubber's labels, the arrows' captions, counterexample schedules. */
import type { Message } from './state';
import type { StepInfo } from './state';

/** "vote no (insufficient balance)", "do step 1", "event evt-… @2". */
export function messageLabel(m: Pick<Message, 'type' | 'body'>): string {
  const b = m.body;
  let text = m.type;
  if (m.type === 'vote') text = `vote ${b.ok ? 'yes' : 'no'}`;
  else if (b.index !== undefined) text += ` step ${b.index}`;
  else if (b.offset !== undefined) text += ` @${b.offset}`;
  if (b.reason) text += ` (${b.reason})`;
  return text;
}

function describe(info: StepInfo): string {
  switch (info.kind) {
    case 'start':
      return info.dropped ? `the order request is lost: ${info.node} is down` : `client → ${info.node}: place order`;
    case 'deliver':
      return `${info.node} ← ${info.msg.from}: ${messageLabel(info.msg)} #${info.msg.id}`;
    case 'lost':
      return info.reason === 'fault'
        ? `#${info.msg.id} ${messageLabel(info.msg)} ${info.msg.from} → ${info.node} is lost`
        : `#${info.msg.id} ${messageLabel(info.msg)} dropped: ${info.node} is down`;
    case 'timer':
      return `${info.node}: timer ${info.name}`;
    case 'send': {
      const fault = info.fault ? ` [${info.fault}]` : '';
      return `${info.node} → ${info.msg.to}: ${messageLabel(info.msg)} #${info.msg.id}${fault}`;
    }
    case 'log':
      return `${info.node}: log ${info.record.kind}${info.record.value !== undefined ? ` ${info.record.value}` : ''}`;
    case 'commit':
      return `${info.node}: local commit — ${info.what}`;
    case 'lock':
      return `${info.node}: ${info.lockKind === 'lock' ? 'lock' : 'reserve'} ${info.resource}`;
    case 'unlock':
      return `${info.node}: release ${info.resource}`;
    case 'crash':
      if (info.alreadyDown) return `${info.node} crash (already down)`;
      return `✕ ${info.node} crashes for ${info.downMs} ms${info.locksLost.length ? `, its locks go: ${info.locksLost.join(', ')}` : ''}`;
    case 'recover':
      return `↺ ${info.node} recovers`;
  }
}

/** One line for the scrubber, with why the node acted when it said so. */
export function stepLabel(info: StepInfo): string {
  const text = describe(info);
  return info.note && info.kind !== 'crash' ? `${text} — ${info.note}` : text;
}
