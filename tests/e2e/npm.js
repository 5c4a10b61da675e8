// node npm.js NPMDIR OUTDIR: npm packages with native code, from a foreign
// Node.js: esbuild's JS API (which runs its prebuilt binary as a child)
// bundles a module; rollup's prebuilt N-API addon (a .node library that
// node dlopen()s, needing libgcc_s from the store) hashes.
const fs = require('fs');
const path = require('path');
const [npm, out] = process.argv.slice(2);
const mod = (m) => require(path.join(npm, 'node_modules', m));

fs.writeFileSync(path.join(out, 'a.js'), 'export const who = "ldshim";\n');
fs.writeFileSync(path.join(out, 'main.js'), 'import { who } from "./a.js";\nconsole.log(who);\n');
const esbuild = mod('esbuild');
const r = esbuild.buildSync({ entryPoints: [path.join(out, 'main.js')], bundle: true, write: false, format: 'iife' });
console.log(`esbuild ${esbuild.version}: bundle has "ldshim": ${r.outputFiles[0].text.includes('"ldshim"')}`);

const rollup = mod('@rollup/rollup-linux-x64-gnu/rollup.linux-x64-gnu.node');
console.log(`rollup native: xxhash ${rollup.xxhashBase16(Buffer.from('ldshim'))}`);
