import Type, { type Static } from 'typebox';
import { parseEnv, StackSettings } from '@blotter/schemas';

export const ProjectorConfig = Type.Object({
  NATS_URL: StackSettings.NATS_URL,
  DATABASE_URL: StackSettings.DATABASE_URL,
  BLOTTER_NAMESPACE: StackSettings.BLOTTER_NAMESPACE,
  STREAM_PARTITIONS: StackSettings.STREAM_PARTITIONS,
  STREAM_REPLICAS: StackSettings.STREAM_REPLICAS,
  READ_MODEL_SCHEMA: StackSettings.READ_MODEL_SCHEMA,
  /**
   * Which partitions this process serves: "auto" shares them with the other projectors through
   * leases; a list ("0,2") pins them; "all" takes every partition without leases.
   */
  PROJECTOR_PARTITIONS: Type.String({ default: 'auto', pattern: '^(auto|all|[0-9]+(,[0-9]+)*)$' }),
  /**
   * Identifies this instance in the leases; by default one of its own (host, pid, random). A stable
   * one per instance lets a restarted instance take its leases back without waiting for expiry.
   */
  INSTANCE_ID: Type.String({ default: '', pattern: '^[A-Za-z0-9_.-]*$' }),
  PROJECTOR_LEASE_TTL_MS: Type.Integer({ default: 15_000, minimum: 1000 }),
  PROJECTOR_BATCH_SIZE: Type.Integer({ default: 500, minimum: 1, maximum: 5000 }),
  PROJECTOR_ACK_WAIT_MS: Type.Integer({ default: 30_000, minimum: 1000 }),
  LOG_LEVEL: Type.String({ default: 'info' }),
});
export type ProjectorConfig = Static<typeof ProjectorConfig>;

export const loadProjectorConfig = (env = process.env) => parseEnv(ProjectorConfig, env);
