#!/usr/bin/env node
// The package's `blotter` bin, which is what `pnpm blotter` runs at the repository root (an exec,
// so no script banner lands on stdout): the same launcher as ./blotter.
await import(new URL('../../../blotter', import.meta.url).href);
