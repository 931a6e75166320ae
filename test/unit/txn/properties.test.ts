import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { faultVocabulary, flowParticipants, formatFault, parseFault, startRun, stepLabel } from '../../../extension/engines/txn';
import type { Fault } from '../../../extension/engines/txn';
import type { ProtocolName } from '../../../extension/protocol/txn';
import { PROTOCOL_NAMES } from '../../../extension/protocol/txn';
import { finish } from './run';

/** Any fault the protocol accepts, placed anywhere in a short run. */
function faultArb(protocol: ProtocolName, participants: number): fc.Arbitrary<Fault> {
  const vocab = faultVocabulary(protocol, flowParticipants(participants));
  const node = fc.constantFrom(...vocab.nodes);
  const type = fc.constantFrom(...vocab.messageTypes);
  const nth = fc.integer({ min: 1, max: 3 });
  const msg = fc.oneof(
    fc.record({ by: fc.constant('id' as const), id: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ by: fc.constant('match' as const), type, nth }),
    fc.record({ by: fc.constant('match' as const), type, to: node, nth }),
  );
  const kinds: fc.Arbitrary<Fault>[] = [
    fc.record({ kind: fc.constant('crash' as const), node, when: fc.oneof(
      fc.record({ at: fc.constant('step' as const), step: fc.integer({ min: 0, max: 80 }) }),
      fc.record({ at: fc.constantFrom('recv' as const, 'send' as const), type, nth }),
      fc.record({ at: fc.constant('milestone' as const), name: fc.constantFrom(...vocab.milestones) }),
    ), downMs: fc.integer({ min: 1, max: 3000 }) }),
    fc.record({ kind: fc.constantFrom('lose' as const, 'dup' as const, 'reorder' as const), msg }),
    fc.record({ kind: fc.constant('delay' as const), msg, ms: fc.integer({ min: 1, max: 1500 }) }),
  ];
  if (!vocab.refusalUnsupported) kinds.push(fc.record({ kind: fc.constantFrom('no' as const, 'fail' as const), node: fc.constantFrom(...vocab.participants) }));
  return fc.oneof(...kinds);
}

function scenario(protocol: ProtocolName) {
  return fc.integer({ min: 2, max: 5 }).chain((participants) =>
    fc.record({ participants: fc.constant(participants), faults: fc.array(faultArb(protocol, participants), { maxLength: 4 }), seed: fc.integer({ min: 0, max: 1000 }) }));
}

for (const protocol of PROTOCOL_NAMES) {
  test(`${protocol}: under random fault schedules every invariant holds once the run settles`, () => {
    fc.assert(
      fc.property(scenario(protocol), ({ participants, faults, seed }) => {
        const r = finish(startRun({ protocol, participants, faults: faults.map(formatFault), seed }));
        assert.equal(r.sim.stuck, false, 'the run settles');
        assert.deepEqual(r.violated, [], `violated: ${r.violated.join(', ')}\n${r.labels.join('\n')}`);
        for (const node of Object.values(r.sim.nodes)) assert.ok(node.up, `${node.id} recovered`);
      }),
      { numRuns: 120 },
    );
  });

  test(`${protocol}: a run injected with faults midway replays step for step from its recorded fault list`, () => {
    fc.assert(
      fc.property(scenario(protocol), fc.integer({ min: 0, max: 60 }), fc.array(faultArb(protocol, 5), { minLength: 1, maxLength: 2 }), ({ participants, faults, seed }, at, injected) => {
        const spec = { protocol, participants, faults: faults.map(formatFault), seed };
        const live = startRun(spec);
        const before: string[] = [];
        for (let i = 0; i < at && !live.quiescent; i++) before.push(stepLabel(live.step()));
        const vocab = faultVocabulary(protocol, live.setup.flow);
        for (const f of injected) {
          // Names valid for 5 participants may not exist in a smaller run: those are refused, as the UI would.
          try { live.inject(parseFault(formatFault(f), vocab)); } catch { /* refused */ }
        }
        const a = finish(live);
        const b = finish(startRun({ ...spec, faults: live.faultTexts() }));
        // A replayed fault hits its message when sent, so the send's label names it; the steps are the same.
        const plain = (labels: string[]): string[] => labels.map((l) => l.replace(/ \[(lose|dup|delay|reorder)(, \w+)*\]$/, ''));
        assert.deepEqual(plain(b.labels), plain([...before, ...a.labels]), 'same steps');
        assert.equal(b.sim.steps, live.steps);
        assert.deepEqual(b.sim.state.nodes, live.state.nodes);
      }),
      { numRuns: 80 },
    );
  });
}

test('fault specs: parse(format(f)) is f for every fault', () => {
  fc.assert(
    fc.property(fc.constantFrom(...PROTOCOL_NAMES).chain((p) => faultArb(p, 5)), fc.integer({ min: 0, max: 50 }), (f, from) => {
      const armed: Fault = from > 0 ? { ...f, from } : f;
      assert.deepEqual(parseFault(formatFault(armed)), JSON.parse(JSON.stringify(armed)));
    }),
  );
});
