// Worker threads do not inherit the parent's module hooks: register them, then load the worker.
await import('@blotter/ts-loader/register');
await import('./worker.ts');
