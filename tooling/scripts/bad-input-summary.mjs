#!/usr/bin/env node
// Sums the bad-input sweeps: every package's sweep test writes bad-input-results.json
// ({ package, counts: { typed, accepted, silent, untyped, mutated, total }, exemptions: [...] }).
// Prints one line per package and the totals, with the typed share of the cases that did not succeed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const total = { typed: 0, accepted: 0, silent: 0, untyped: 0, mutated: 0, total: 0 };
let exemptions = 0;
for (const group of ['packages', 'apps']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name, 'bad-input-results.json');
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8'));
    // A package may split its sweep into sections (bad-input-results.<section>.json); the main file's `own`
    // counts exclude them, so each section is added once whatever order the test files ran in.
    const parts = [{ label: r.package ?? name, counts: r.own ?? r.counts, exemptions: r.exemptions ?? [] }];
    for (const f of readdirSync(join(dir, name))) {
      const m = /^bad-input-results\.(.+)\.json$/.exec(f);
      if (!m || !r.own) continue;
      const sec = JSON.parse(readFileSync(join(dir, name, f), 'utf8'));
      parts.push({ label: `${r.package ?? name} (${m[1]})`, counts: sec.counts, exemptions: sec.exemptions ?? [] });
    }
    for (const part of parts) {
      for (const k of Object.keys(total)) total[k] += part.counts[k] ?? 0;
      exemptions += part.exemptions.length;
      console.log(`${part.label}: ${JSON.stringify(part.counts)}${part.exemptions.length ? `, ${part.exemptions.length} exempt` : ''}`);
    }
  }
}
const rejected = total.typed + total.silent + total.untyped + total.mutated;
const share = rejected === 0 ? 1 : total.typed / rejected;
console.log(
  `total: ${total.total} bad-input calls; ${total.typed} typed NotesError, ${total.accepted} accepted with finite results, ` +
    `${total.silent} silent NaN/Infinity, ${total.untyped} untyped, ${total.mutated} mutated inputs; ` +
    `typed share of the rest ${(100 * share).toFixed(2)} %; ${exemptions} exempt exports`,
);
