/** The protocols by name. */
import type { ProtocolName } from '../../../protocol/txn';
import type { ProtocolLogic } from '../nodeLogic';
import { outbox } from './outbox';
import { saga } from './saga';
import { tcc } from './tcc';
import { twoPhaseCommit } from './twoPhaseCommit';

const LOGIC: Record<ProtocolName, ProtocolLogic> = { '2pc': twoPhaseCommit, tcc, saga, outbox };

export function protocolLogic(name: ProtocolName): ProtocolLogic {
  return LOGIC[name];
}
