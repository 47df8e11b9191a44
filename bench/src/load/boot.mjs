// Worker threads do not inherit the parent's module hooks (tsx): register them, then load the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
