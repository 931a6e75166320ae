/**
 * What each protocol's runs are made of — its nodes in lane order, the messages it sends, the
 * milestones a crash can be placed after — apart from the logic that drives them. The host checks
 * fault text against this as the user types it, without loading the simulation.
 */
import type { ParticipantId, ProtocolName } from '../../../protocol/txn';
import type { FaultVocabulary } from '../faults';
import type { LaneSpec } from '../nodeLogic';
import { participantLanes } from '../nodeLogic';
import { participantSpec } from '../participants';

export const COORDINATOR = 'coordinator';
export const ORCHESTRATOR = 'orchestrator';
export const BROKER = 'broker';
/** The outbox's source service: the order commits locally together with its outgoing event. */
export const OUTBOX_SOURCE: ParticipantId = 'order';

export interface ProtocolShape {
  readonly name: ProtocolName;
  readonly title: string;
  /** Every node in lane order (participants included). */
  lanes(flow: readonly ParticipantId[]): LaneSpec[];
  /** The node the client's order request goes to. */
  initiator(flow: readonly ParticipantId[]): string;
  readonly messageTypes: readonly string[];
  readonly milestones: readonly string[];
  /** Set when participants cannot refuse in this protocol (why, for the fault's error message). */
  readonly refusalUnsupported?: string;
}

export const PROTOCOL_SHAPES: Readonly<Record<ProtocolName, ProtocolShape>> = {
  '2pc': {
    name: '2pc',
    title: 'Two-phase commit',
    lanes: (flow) => [{ id: COORDINATOR, role: 'coordinator', label: 'Coordinator' }, ...participantLanes(flow)],
    initiator: () => COORDINATOR,
    messageTypes: ['prepare', 'vote', 'commit', 'abort', 'ack', 'query'],
    milestones: ['votes', 'decision', 'ended', 'prepared', 'committed', 'aborted'],
  },
  tcc: {
    name: 'tcc',
    title: 'TCC (try–confirm–cancel)',
    lanes: (flow) => [{ id: COORDINATOR, role: 'coordinator', label: 'TCC coordinator' }, ...participantLanes(flow)],
    initiator: () => COORDINATOR,
    messageTypes: ['try', 'try-ok', 'try-failed', 'confirm', 'cancel', 'ack'],
    milestones: ['tries', 'decision', 'ended', 'tried', 'try-failed', 'confirmed', 'cancelled'],
  },
  saga: {
    name: 'saga',
    title: 'Saga (orchestrated)',
    lanes: (flow) => [{ id: ORCHESTRATOR, role: 'orchestrator', label: 'Saga orchestrator' }, ...participantLanes(flow)],
    initiator: () => ORCHESTRATOR,
    messageTypes: ['do', 'done', 'failed', 'undo', 'undone'],
    milestones: ['compensating', 'ended', 'done', 'undone'],
  },
  outbox: {
    name: 'outbox',
    title: 'Transactional outbox',
    lanes: (flow) => [
      { id: OUTBOX_SOURCE, role: 'source', label: `${participantSpec(OUTBOX_SOURCE).label} + outbox relay` },
      { id: BROKER, role: 'broker', label: 'Message broker' },
      ...participantLanes(flow.slice(1)),
    ],
    initiator: () => OUTBOX_SOURCE,
    messageTypes: ['publish', 'publish-ack', 'event', 'event-ack'],
    milestones: ['local-commit', 'published', 'stored', 'applied'],
    refusalUnsupported: 'consumers of an outbox event cannot refuse it (the order is already committed); use 2pc, tcc or saga to see a refusal undo the order',
  },
};

/** What a fault may name in a run of this protocol over this flow. */
export function faultVocabulary(protocol: ProtocolName, flow: readonly ParticipantId[]): FaultVocabulary {
  const shape = PROTOCOL_SHAPES[protocol];
  return {
    nodes: shape.lanes(flow).map((l) => l.id),
    participants: flow,
    messageTypes: shape.messageTypes,
    milestones: shape.milestones,
    ...(shape.refusalUnsupported ? { refusalUnsupported: shape.refusalUnsupported } : {}),
  };
}
