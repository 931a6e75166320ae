/**
 * `modulo`: bucket = hash(key) mod B, the sharding everyone writes first. Changing B remaps almost
 * every key (a key stays only if hash mod B = hash mod B'), which is what the inspector shows
 * against the consistent schemes. A failed server's keys go to the next live bucket (linear
 * failover), and come back on recovery since B did not change.
 */
import { SlotScheme } from './slots';

export class ModuloScheme extends SlotScheme {
  readonly name = 'modulo' as const;

  owner(hash: number): number {
    return this.slots.count === 0 ? -1 : this.slots.liveAt(hash % this.slots.count);
  }

  preference(hash: number, count: number): number[] {
    const out: number[] = [];
    if (this.slots.count > 0) this.slots.collectFrom(hash % this.slots.count, Math.min(count, this.servers.length), out);
    return out;
  }
}
