import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export class AdminError extends Error {
  override name = 'AdminError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function requireAdmin(token: string, req: FastifyRequest): void {
  const given = Buffer.from(req.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AdminError(401, 'admin endpoints need Authorization: Bearer <SIM_ADMIN_TOKEN>');
  }
}
