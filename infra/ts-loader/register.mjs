// `node --import @blotter/ts-loader/register entry.ts`: runs Blotter's TypeScript sources as they
// are, for every process the project starts (services under `make dev`, the test files, the
// stacks the tests start, `./blotter`, the bench).
//
// Why not tsx, which did this before: on Node 20 every module a process loads (node_modules too)
// goes through the loader's hooks on their own thread, and tsx's resolve hook does real work for
// each one (tsconfig paths, extension guessing). Blotter needs none of it: the code imports
// relative files with their `.ts` extension and packages through their `exports`, which Node's
// own resolver handles, and `verbatimModuleSyntax` makes each file transpilable on its own. So
// the hooks below only `load` `.ts` files, transpiled once by esbuild and cached on disk. Measured
// importing the gateway app (2 cores): 2.9 s of CPU against tsx's 4.5 s, and each test file and
// service process pays that once.
import { register } from 'node:module';

// Stack traces point at the TypeScript lines (the transpiled files carry inline source maps).
process.setSourceMapsEnabled(true);
register('./hooks.mjs', import.meta.url);
