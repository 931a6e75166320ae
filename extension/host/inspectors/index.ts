/** Every inspector the host offers, in the order they appear in menus. */
import type { InspectorDefinition } from './definition';
import { hashTableInspector } from './hashtable';
import { idempotencyInspector } from './idempotency';
import { keepAliveInspector } from './keepalive';
import { poolInspector } from './pool';
import { ringInspector } from './ring';
import { txnInspector } from './txn';

export const INSPECTORS: readonly InspectorDefinition[] = [hashTableInspector, ringInspector, keepAliveInspector, poolInspector, idempotencyInspector, txnInspector];
