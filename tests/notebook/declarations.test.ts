import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

// tslab type-checks every notebook cell with its own bundled TypeScript 5.0.4, whatever the project builds with
// (scripts/build.js runs the declared `typescript`, 5.9). So the package's emitted .d.ts must be readable by 5.0:
// a declaration 5.9 writes as `Float64Array<ArrayBuffer>` is an error there ("Type 'Float64Array' is not generic").
// Other packages' declarations are not ours to check (tslab skips them too: skipLibCheck).
const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');

function declarations(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? declarations(join(dir, e.name)) : e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

test("the built package's .d.ts files type-check under tslab's TypeScript 5.0 with no error in any of them", () => {
  const ts = require(join(ROOT, 'node_modules', '@tslab', 'typescript-for-tslab'));
  assert.match(ts.version, /^5\.0\./, `tslab's bundled TypeScript is ${ts.version}: update this test and the README`);
  const files = declarations(DIST);
  assert.ok(files.length > 20, `dist/ holds ${files.length} declaration files: run the build first`);
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    moduleResolution: ts.ModuleResolutionKind.NodeJs,
  });
  const ours = program.getSourceFiles().filter((sf: { fileName: string }) => sf.fileName.startsWith(DIST));
  assert.equal(ours.length, files.length);
  const problems = ours.flatMap((sf: unknown) =>
    [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map(
      (d: { file?: { fileName: string }; messageText: unknown }) =>
        `${relative(ROOT, d.file?.fileName ?? '')}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    ),
  );
  assert.deepEqual(problems, []);
});

test('a declaration written the way TypeScript 5.9 infers it (generic typed array) is caught by that check', () => {
  const ts = require(join(ROOT, 'node_modules', '@tslab', 'typescript-for-tslab'));
  const host = ts.createCompilerHost({ noEmit: true, lib: ['lib.es2022.d.ts'], types: [] });
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name: string, v: unknown) =>
    name === '/probe.d.ts'
      ? ts.createSourceFile(name, 'export declare const x: Float64Array<ArrayBuffer>;', v)
      : read(name, v);
  const orig = host.fileExists.bind(host);
  host.fileExists = (n: string) => n === '/probe.d.ts' || orig(n);
  const p = ts.createProgram(['/probe.d.ts'], { noEmit: true, lib: ['lib.es2022.d.ts'], types: [] }, host);
  const sf = p.getSourceFile('/probe.d.ts');
  const msgs = p
    .getSemanticDiagnostics(sf)
    .map((d: { messageText: unknown }) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
  assert.ok(
    msgs.some((m: string) => /not generic/.test(m)),
    msgs.join('; '),
  );
});
