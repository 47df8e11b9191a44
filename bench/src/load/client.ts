// The main thread's side of the load worker: one request at a time, answered in order.
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { FanoutResult, LatencyResult, RoundParams, Setup, ThroughputResult, WorkerMessage, WorkerRequest } from './jobs.ts';

export class LoadWorker {
  private readonly worker: Worker;
  private waiting: { resolve: (m: WorkerMessage) => void; reject: (e: Error) => void } | null = null;
  private failed: Error | null = null;

  constructor(onProgress: (text: string) => void) {
    // Workers do not inherit the parent's module hooks: boot.mjs registers the TypeScript loader, then loads worker.ts.
    this.worker = new Worker(new URL('./boot.mjs', import.meta.url));
    this.worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') return onProgress(m.text);
      const w = this.waiting;
      this.waiting = null;
      if (m.type === 'error') w?.reject(new Error(`load worker: ${m.message}`));
      else w?.resolve(m);
    });
    const fail = (err: Error) => {
      this.failed = err;
      this.waiting?.reject(err);
      this.waiting = null;
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`load worker exited (${code})`)));
  }

  private call(req: WorkerRequest): Promise<WorkerMessage> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.waiting) throw new Error('load worker is busy');
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.worker.postMessage(req);
    });
  }

  async setup(setup: Setup): Promise<string> {
    const m = await this.call({ cmd: 'setup', setup });
    return m.type === 'ready' ? m.info : '';
  }

  async round<T extends ThroughputResult | LatencyResult | FanoutResult>(params: RoundParams): Promise<T> {
    const m = await this.call({ cmd: 'round', params });
    if (m.type !== 'round') throw new Error(`unexpected answer ${m.type}`);
    return m.result as T;
  }

  async close(): Promise<void> {
    await Promise.race([this.call({ cmd: 'close' }).catch(() => {}), sleep(5000)]);
    await this.worker.terminate();
  }
}
