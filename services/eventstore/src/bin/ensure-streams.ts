#!/usr/bin/env -S node --import=@blotter/ts-loader/register
// `make up` runs this so a fresh server has Blotter's streams before any service starts.
import { parseEnv, StackSettings, StreamSettings } from '@blotter/schemas';
import Type from 'typebox';
import { connectNats } from '../connect.ts';
import { EventStore } from '../event-store.ts';
import { defaultStreamOptions } from '../streams.ts';

const { NATS_URL, BLOTTER_NAMESPACE } = parseEnv(Type.Pick(Type.Object(StackSettings), ['NATS_URL', 'BLOTTER_NAMESPACE']));
const { STREAM_PARTITIONS, STREAM_REPLICAS } = parseEnv(StreamSettings);
const nc = await connectNats(NATS_URL, 'blotter-ensure-streams');
// STREAM_REPLICAS (3 from .data/cluster.env after `make cluster`) and STREAM_PARTITIONS shape new
// streams; an existing stream keeps what it was created with.
const options = defaultStreamOptions(BLOTTER_NAMESPACE, { STREAM_PARTITIONS, STREAM_REPLICAS });
const store = await EventStore.open(nc, options);
const info = await store.jsm.streams.info(store.streams.events);
console.error(
  `[infra] streams ready: ${store.streams.events}, ${store.streams.deadLetters} (${store.partitions} partitions, ${info.config.num_replicas} replicas)`,
);
if (info.config.num_replicas !== options.replicas)
  console.error(
    `[infra] ${store.streams.events} already existed with ${info.config.num_replicas} replicas; STREAM_REPLICAS=${options.replicas} applies to new streams only`,
  );
if (store.partitions !== options.partitions)
  console.error(
    `[infra] ${store.streams.events} already existed with ${store.partitions} partitions; STREAM_PARTITIONS=${options.partitions} applies to new streams only`,
  );
await nc.drain();
