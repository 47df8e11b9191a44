// Prints the top functions by self time of a .cpuprofile, or where one function's self time came from:
//   node --import @blotter/ts-loader/register bench/src/bin/profile-top.ts bench/results/<file>.cpuprofile [count]
//   node --import @blotter/ts-loader/register bench/src/bin/profile-top.ts bench/results/<file>.cpuprofile --callers writev [depth]
// A profile exists only after a bench run wrote it: on a fresh clone the command says which run
// makes it instead of failing with ENOENT.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type CpuProfile, callersOf, formatTop, topSelfTime } from '../profile.ts';

const usage = 'usage: profile-top.ts <file.cpuprofile> [count] | <file.cpuprofile> --callers <function> [depth]\n';
const [file, ...rest] = process.argv.slice(2);
if (file === '--help' || file === '-h') {
  process.stdout.write(usage);
  process.exit(0);
}
if (!file) {
  process.stderr.write(usage);
  process.exit(2);
}
if (!existsSync(file)) {
  const id = /^profile-(.+)\.cpuprofile$/.exec(basename(file))?.[1];
  const make = id ? `make bench, or just this one: pnpm --filter @blotter/bench run bench -- --only ${id} --quick` : 'make bench';
  process.stderr.write(`profile-top: no profile at ${file} yet; a bench run writes it (${make})\n`);
  process.exit(1);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
if (rest[0] === '--callers' && rest[1]) {
  for (const { selfMs, stack } of callersOf(profile, rest[1], Number(rest[2] ?? 8))) {
    process.stdout.write(`${selfMs.toFixed(0).padStart(7)} ms\n${stack.map((f) => `          ${f}`).join('\n')}\n`);
  }
} else {
  process.stdout.write(`${formatTop(topSelfTime(profile, Number(rest[0] ?? 20)))}\n`);
}
