// Run by determinism.test.ts in a separate Node process: prints, for every scheme, the owner of
// each generated key, so the test can compare placements across processes.
import { Router, generateKeys } from '../../../extension/engines/ring';
import { SCHEME_NAMES } from '../../../extension/protocol/ring';

const [servers, count] = [process.argv[2]!.split(','), Number(process.argv[3])];
const out: Record<string, (string | undefined)[]> = {};
for (const scheme of SCHEME_NAMES) {
  const r = Router.build(scheme, servers);
  const owners: (string | undefined)[] = [];
  generateKeys(1234, count, (k) => { owners.push(r.owner(k)); });
  out[scheme] = owners;
}
process.stdout.write(JSON.stringify(out));
