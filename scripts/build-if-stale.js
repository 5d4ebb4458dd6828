// `npm run reproduce` builds only when a source file is newer than the last build (dist/.built); tests always
// build. The self-link (scripts/link-self.js) is checked either way.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', '.built');
function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}
const inputs = Math.max(newest(path.join(root, 'src')), fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs);
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
if (built < inputs) {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
} else process.stderr.write('build: dist/ is current (no source newer than dist/.built); tsc skipped\n');
require('./link-self.js');
