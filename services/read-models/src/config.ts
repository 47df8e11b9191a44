import Type, { type Static } from 'typebox';
import { parseEnv } from '@blotter/schemas';

export const ProjectorConfig = Type.Object({
  NATS_URL: Type.String({ description: 'NATS server(s), comma separated' }),
  DATABASE_URL: Type.String({ description: 'Postgres holding the read models' }),
  BLOTTER_NAMESPACE: Type.String({ default: 'blotter', pattern: '^[a-z][a-z0-9]*$' }),
  READ_MODEL_SCHEMA: Type.String({ default: 'public' }),
  /**
   * Which partitions this process serves: "auto" shares them with the other projectors through
   * leases; a list ("0,2") pins them; "all" takes every partition without leases.
   */
  PROJECTOR_PARTITIONS: Type.String({ default: 'auto', pattern: '^(auto|all|[0-9]+(,[0-9]+)*)$' }),
  /** Identifies this instance in the leases; must differ between instances, stay the same across restarts. */
  INSTANCE_ID: Type.String({ default: '', pattern: '^[A-Za-z0-9_.-]*$' }),
  PROJECTOR_LEASE_TTL_MS: Type.Integer({ default: 15_000, minimum: 1000 }),
  PROJECTOR_BATCH_SIZE: Type.Integer({ default: 500, minimum: 1, maximum: 5000 }),
  PROJECTOR_ACK_WAIT_MS: Type.Integer({ default: 30_000, minimum: 1000 }),
  LOG_LEVEL: Type.String({ default: 'info' }),
});
export type ProjectorConfig = Static<typeof ProjectorConfig>;

export const loadProjectorConfig = (env = process.env) => parseEnv(ProjectorConfig, env);
