/**
 * The protocols and faults the Transactions inspector offers by name, shared by the palette
 * commands and the panel: each protocol in a few words, and faults that tell its story. A fault
 * preset is a list of fault SPECs (grammar in extension/engines/txn/faults.ts) with what the run
 * shows; test/unit/txn/presets.test.ts runs every one and checks that it shows it.
 */
import type { ProtocolName } from './txn';

export interface ProtocolInfo {
  /** "2PC", for buttons and tables. */
  short: string;
  title: string;
  /** How it gets every service to agree, one sentence. */
  how: string;
  /** What to watch for, the story's moral. */
  lesson: string;
}

export const PROTOCOL_INFO: Readonly<Record<ProtocolName, ProtocolInfo>> = {
  '2pc': {
    short: '2PC', title: 'Two-phase commit',
    how: 'Participants lock and vote; the coordinator logs the decision, then everyone commits or aborts.',
    lesson: 'Atomic, but it blocks: a participant that voted yes may not decide alone, so it holds its locks until the coordinator answers.',
  },
  tcc: {
    short: 'TCC', title: 'TCC (try–confirm–cancel)',
    how: 'Try reserves (freezes) what each service needs; confirm or cancel, idempotent and retried, finishes it.',
    lesson: 'Commits locally and converges; an empty cancel and a refused late try keep a lost or delayed try from freezing money for good.',
  },
  saga: {
    short: 'Saga', title: 'Saga (orchestrated)',
    how: 'Each step commits locally; when one fails, the completed steps are undone by compensations in reverse order.',
    lesson: 'No locks and no blocking, but other readers see the steps in between; compensations must be idempotent.',
  },
  outbox: {
    short: 'Outbox', title: 'Transactional outbox',
    how: 'The order and its event are written in one local transaction; a relay publishes with retries and consumers deduplicate.',
    lesson: 'Eventually consistent: at-least-once delivery plus deduplication is effectively once.',
  },
};

export interface FaultPreset {
  /** Stable name, for arguments and tests. */
  id: string;
  title: string;
  faults: readonly string[];
  /** What the run shows, one or two sentences. */
  shows: string;
  /** The faults name services that take part only from this many participants on. */
  minParticipants: number;
}

export const FAULT_PRESETS: Readonly<Record<ProtocolName, readonly FaultPreset[]>> = {
  '2pc': [
    {
      id: 'coordinator-after-votes', title: 'Coordinator crashes after the votes', faults: ['crash:coordinator@after-votes'], minParticipants: 2,
      shows: 'Everyone voted yes and holds its lock in doubt: blocked until the coordinator recovers, finds no decision in its log and aborts (presumed abort).',
    },
    {
      id: 'insufficient-balance', title: 'Payment: insufficient balance', faults: ['fail:payment'], minParticipants: 2,
      shows: 'Payment votes no; the coordinator aborts everywhere and every lock is released.',
    },
    {
      id: 'commit-lost', title: 'Commit to payment lost', faults: ['lose:commit->payment'], minParticipants: 2,
      shows: "Payment stays prepared, holding its lock, until the coordinator's ack timer fires and it sends commit again.",
    },
    {
      id: 'participant-after-prepared', title: 'Payment crashes after preparing', faults: ['crash:payment@after-prepared'], minParticipants: 2,
      shows: 'Its vote never arrives, so the coordinator times out and aborts; payment recovers prepared and learns the decision.',
    },
  ],
  tcc: [
    {
      id: 'coupon-used', title: 'Coupon already used', faults: ['fail:coupon'], minParticipants: 3,
      shows: 'The coupon try fails; the other tries are cancelled and what they froze is given back.',
    },
    {
      id: 'late-try', title: 'A try arrives late', faults: ['delay:try->payment:400'], minParticipants: 2,
      shows: 'The coordinator gives up and cancels: payment records an empty cancel, then refuses the late try (suspension prevention).',
    },
    {
      id: 'coordinator-after-tries', title: 'Coordinator crashes after the tries', faults: ['crash:coordinator@after-tries'], minParticipants: 2,
      shows: 'The reservations stay frozen until it recovers and, with no decision logged, cancels them.',
    },
  ],
  saga: [
    {
      id: 'out-of-stock', title: 'Inventory out of stock', faults: ['fail:inventory'], minParticipants: 5,
      shows: 'The last step fails: points, coupon, payment and order are compensated in reverse order and the money comes back.',
    },
    {
      id: 'compensation-twice', title: 'Refund delivered twice', faults: ['fail:coupon', 'dup:undo->payment'], minParticipants: 3,
      shows: 'The coupon fails and the refund to payment arrives twice; an idempotent compensation refunds once.',
    },
    {
      id: 'orchestrator-mid-saga', title: 'Orchestrator crashes mid-saga', faults: ['crash:orchestrator@recv:done#2'], minParticipants: 2,
      shows: 'It recovers from its log and carries on from the step it had reached.',
    },
  ],
  outbox: [
    {
      id: 'broker-after-stored', title: 'Broker crashes after storing the event', faults: ['crash:broker@after-stored'], minParticipants: 2,
      shows: 'The relay never got its ack and publishes again, so the event is stored twice; consumers skip the copy by its dedup key.',
    },
    {
      id: 'event-twice', title: 'Event delivered twice', faults: ['dup:event->payment'], minParticipants: 2,
      shows: "Payment's consumer finds the event's dedup key already set and skips the copy.",
    },
    {
      id: 'source-after-commit', title: 'Order service crashes after its local commit', faults: ['crash:order@after-local-commit'], minParticipants: 2,
      shows: 'The order and its event were committed together; after recovery the relay publishes it and every consumer applies it once.',
    },
  ],
};
