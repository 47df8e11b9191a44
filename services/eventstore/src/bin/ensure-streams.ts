#!/usr/bin/env -S node --import=tsx
// `make up` runs this so a fresh server has Blotter's streams before any service starts.
import { connectNats } from '../connect.ts';
import { EventStore } from '../event-store.ts';
import { defaultStreamOptions } from '../streams.ts';

const url = process.env.NATS_URL;
if (!url) throw new Error('NATS_URL is not set');
const namespace = process.env.BLOTTER_NAMESPACE ?? 'blotter';
const nc = await connectNats(url, 'blotter-ensure-streams');
const store = await EventStore.open(nc, defaultStreamOptions(namespace));
console.error(`[infra] streams ready: ${store.streams.events}, ${store.streams.deadLetters} (${store.partitions} partitions)`);
await nc.drain();
