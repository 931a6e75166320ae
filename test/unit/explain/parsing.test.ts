import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { UserError } from '../../../extension/engines/core/model';
import { LANGUAGES, languageFromId, recognise } from '../../../extension/explain';
import { evalDurationMs, evalNumber, evalTemplate } from '../../../extension/explain/syntax/evaluate';
import { Facts } from '../../../extension/explain/syntax/facts';
import { parseSource } from '../../../extension/explain/syntax/parse';
import { tokenize } from '../../../extension/explain/syntax/tokenizer';

/** Fragments that mean something in some language, so random programs exercise the parsers' paths. */
const PIECES = [
  'hash(key)', ' % ', 'n', '(', ')', '{', '}', '[', ']', ',', ';', '\n', '  ', ':', '=', '"s', "'", '`', '"""', '/*', '*/', '//', '#',
  'def f(x):', 'func (r *R) F(k string) uint32 {', 'class A {', 'new HashMap<>(16, 0.75f)', 'make(map[string]int, 8)', 'for ', 'while ',
  'SET', 'NX', 'redis.set(k, v, "NX", "EX", 60)', '0x811c9dc5', '16777619', 'h ^= c', 'h = h * 31 + c', '->', '=>', 'lambda x: x',
  '@Override', 'return', 'if x {', 'go worker(ch)', '&http.Transport{', 'IdleConnTimeout: 90 * time.Second,', '<-', 'f"{x}"', '\\',
];

test('any text in any language parses without throwing (or with a UserError), and ranges stay inside it', () => {
  fc.assert(
    fc.property(fc.constantFrom(...LANGUAGES), fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 8 })), { maxLength: 80 }), (lang, parts) => {
      const text = parts.join('');
      let findings;
      try {
        findings = recognise(text, lang);
      } catch (e) {
        assert.ok(e instanceof UserError, `${lang} threw ${String(e)} on ${JSON.stringify(text)}`);
        return;
      }
      const lines = text.split('\n');
      for (const f of findings) {
        assert.ok(f.confidence >= 0.5 && f.confidence <= 1);
        assert.ok(f.range.start.line <= f.range.end.line && f.range.end.line < lines.length, JSON.stringify(f.range));
        assert.ok(f.range.end.character <= lines[f.range.end.line]!.length);
      }
    }),
    { numRuns: 400 },
  );
});

test('pathological nesting ends in a clear error or a result, never a crash', () => {
  for (const lang of LANGUAGES) {
    const deep = '('.repeat(20_000) + 'x' + ')'.repeat(20_000);
    try { recognise(deep, lang); } catch (e) { assert.ok(e instanceof UserError && /nested too deeply/.test(e.message), `${lang}: ${String(e)}`); }
  }
  assert.throws(() => recognise('x'.repeat(1_000_001), 'go'), /too large to explain/);
});

test('comments and strings hide code: a % in them is not sharding', () => {
  assert.deepEqual(recognise('// return crc32(key) % shards\n/* fnv(k) % servers.length */', 'java'), []);
  assert.deepEqual(recognise('# hash(key) % len(nodes)\ns = """hash(key) % len(nodes)"""', 'python'), []);
  assert.deepEqual(recognise('s := `crc32.ChecksumIEEE(k) % uint32(len(shards))`', 'go'), []);
});

test('the tokenizer reads each language\'s literals', () => {
  const go = tokenize('x := `raw\nstring` + 0x1F + 1_000\n', 'go');
  assert.deepEqual(go.filter((t) => t.kind !== 'newline').map((t) => t.num ?? t.str ?? t.text), ['x', ':=', 'raw\nstring', '+', 31, '+', 1000]);
  const py = tokenize('k = f"idem:{m.id}" + r"\\d" + b\'x\'', 'python');
  assert.deepEqual(py.filter((t) => t.kind === 'string').map((t) => [t.str, t.template === true]), [['idem:{m.id}', true], ['\\d', false], ['x', false]]);
  const java = tokenize('long n = 100L; float f = 0.75f; String s = "a\\"b"; char c = \'x\';', 'java');
  assert.deepEqual(java.filter((t) => t.kind === 'number' || t.kind === 'string').map((t) => t.num ?? t.str), [100, 0.75, 'a"b', 'x']);
});

test('functions and classes are found with their names, parameters and owners', () => {
  const go = parseSource('type Ring struct { keys []uint32 }\nfunc (r *Ring) Get(key string, n int) string {\n\treturn ""\n}\nfunc New() *Ring { return &Ring{} }', 'go');
  assert.deepEqual(go.functions.map((f) => [f.name, f.params, f.className]), [['Get', ['key', 'n'], 'Ring'], ['New', [], null]]);
  const py = parseSource('class Cache(Base):\n    def get(self, key: str, default=None):\n        return 1\n\ndef top(x):\n    pass\n', 'python');
  assert.deepEqual(py.functions.map((f) => [f.name, f.params, f.className]), [['get', ['key', 'default'], 'Cache'], ['top', ['x'], null]]);
  const java = parseSource('public class A { @Override public int hashCode() { return 1; } public A(final Map<String, Integer> m) { } }', 'java');
  assert.deepEqual(java.functions.map((f) => [f.name, f.params, f.className, f.annotations.length]), [['hashCode', [], 'A', 1], ['A', ['m'], 'A', 0]]);
});

test('values: numbers through constants, durations with their units, key shapes', () => {
  const facts = (text: string, lang: Parameters<typeof parseSource>[1]) => new Facts(parseSource(text, lang));
  const go = facts('const shards = 8\nd := 90 * time.Second\ne := 2*time.Minute + 30*time.Second', 'go');
  const value = (f: Facts, name: string) => f.assigns.find((a) => a.target.k === 'name' && a.target.name === name)!.value;
  assert.equal(evalNumber({ k: 'name', name: 'shards', span: { start: 0, end: 0 } }, go.scope), 8);
  assert.equal(evalDurationMs(value(go, 'd'), go.scope), 90_000);
  assert.equal(evalDurationMs(value(go, 'e'), go.scope), 150_000);
  const java = facts('long a = Duration.ofMinutes(30).toMillis(); long b = TimeUnit.SECONDS.toMillis(45); String k = "idem:" + id + ":" + 7;', 'java');
  assert.equal(evalDurationMs(value(java, 'a'), java.scope), 1_800_000);
  assert.equal(evalDurationMs(value(java, 'b'), java.scope), 45_000);
  assert.equal(evalTemplate(value(java, 'k'), java.scope, java.unit.text), 'idem:{id}:7');
  const py = facts('t = timedelta(hours=1, minutes=30)\nk = "order:%s:%d" % (oid, n)\nr = 60 * 60', 'python');
  assert.equal(evalDurationMs(value(py, 't'), py.scope), 5_400_000);
  assert.equal(evalTemplate(value(py, 'k'), py.scope, py.unit.text), 'order:{oid}:{n}');
  assert.equal(evalDurationMs(value(py, 'r'), py.scope, 1000), 3_600_000);
  // A name assigned twice with different values is not a constant.
  const twice = facts('n = 4\nn = 5\nx = n', 'python');
  assert.equal(evalNumber(value(twice, 'x'), twice.scope), null);
});

test('selections keep their place in the document', () => {
  const [f] = recognise('\n  return zlib.crc32(k) % NUM', 'python', { origin: { line: 10, character: 4 } });
  assert.deepEqual(f!.range.start, { line: 11, character: 9 });
  const [g] = recognise('crc32(k) % NUM_SHARDS', 'go', { origin: { line: 3, character: 8 } });
  assert.deepEqual(g!.range.start, { line: 3, character: 8 });
});

test('VS Code language ids map to languages; others are refused with what is supported', () => {
  assert.equal(languageFromId('typescriptreact'), 'typescript');
  assert.equal(languageFromId('javascriptreact'), 'javascript');
  assert.equal(languageFromId('.py'), 'python');
  assert.throws(() => languageFromId('rust'), /does not read "rust" code.*typescript, javascript, java, go, python/);
});
