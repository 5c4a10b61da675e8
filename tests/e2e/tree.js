// node tree.js NIXCHILD OUTDIR: a foreign Node.js parent. Writes its own
// environment to OUTDIR/self, runs the NixOS child (which reports to
// $NIXCHILD_LOG) by spawnSync and through /bin/sh, and the foreign
// /usr/bin/env, whose output goes to OUTDIR/env-child.
const fs = require('fs');
const cp = require('child_process');
const [nixchild, out] = process.argv.slice(2);
const lines = (env) => Object.entries(env).map(([k, v]) => `env ${k}=${v}\n`).join('');
fs.writeFileSync(`${out}/self`, lines(process.env));
const r = cp.spawnSync(nixchild, [], { stdio: 'inherit' });
console.log(`spawnSync: status ${r.status} signal ${r.signal}`);
cp.execSync(`'${nixchild}'`, { stdio: 'inherit' });
console.log('execSync: ok');
const e = cp.execFileSync('/usr/bin/env', [], { encoding: 'utf8' });
fs.writeFileSync(`${out}/env-child`, e.split('\n').filter(Boolean).map((l) => `env ${l}\n`).join(''));
console.log(`node ${process.version} done`);
