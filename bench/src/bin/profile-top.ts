// Prints the top functions by self time of a .cpuprofile, or where one function's self time came from:
//   node --import tsx bench/src/bin/profile-top.ts bench/results/<file>.cpuprofile [count]
//   node --import tsx bench/src/bin/profile-top.ts bench/results/<file>.cpuprofile --callers writev [depth]
import { readFileSync } from 'node:fs';
import { type CpuProfile, callersOf, formatTop, topSelfTime } from '../profile.ts';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: profile-top.ts <file.cpuprofile> [count] | --callers <function> [depth]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
if (rest[0] === '--callers' && rest[1]) {
  for (const { selfMs, stack } of callersOf(profile, rest[1], Number(rest[2] ?? 8))) {
    process.stdout.write(`${selfMs.toFixed(0).padStart(7)} ms\n${stack.map((f) => `          ${f}`).join('\n')}\n`);
  }
} else {
  process.stdout.write(`${formatTop(topSelfTime(profile, Number(rest[0] ?? 20)))}\n`);
}
