import Type, { type Static } from 'typebox';
import { parseEnv } from '@blotter/schemas';

export const ProjectorConfig = Type.Object({
  NATS_URL: Type.String({ description: 'NATS server(s), comma separated' }),
  DATABASE_URL: Type.String({ description: 'Postgres holding the read models' }),
  BLOTTER_NAMESPACE: Type.String({ default: 'blotter', pattern: '^[a-z][a-z0-9]*$' }),
  READ_MODEL_SCHEMA: Type.String({ default: 'public' }),
  /** Comma-separated partitions this process serves; empty means all. */
  PROJECTOR_PARTITIONS: Type.String({ default: '' }),
  PROJECTOR_BATCH_SIZE: Type.Integer({ default: 500, minimum: 1, maximum: 5000 }),
  PROJECTOR_ACK_WAIT_MS: Type.Integer({ default: 30_000, minimum: 1000 }),
  LOG_LEVEL: Type.String({ default: 'info' }),
});
export type ProjectorConfig = Static<typeof ProjectorConfig>;

export const loadProjectorConfig = (env = process.env) => parseEnv(ProjectorConfig, env);
