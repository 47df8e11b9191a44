// The gateway as a Fastify instance that is built but not listening: server.ts listens, tests
// inject. Connections are plugins that decorate the instance and close themselves with it.
import { createKeyRing, parseKey } from '@blotter/accounts';
import { uuidv7 } from '@blotter/eventstore';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { GatewayConfig } from './config.ts';
import adminRoutes from './admin/routes.ts';
import { TradingControl } from './admin/trading-control.ts';
import alertRoutes from './alerts/routes.ts';
import auditRoutes from './audit/routes.ts';
import authRoutes from './auth/routes.ts';
import asyncApiRoutes from './contract/asyncapi.ts';
import schemaRoutes from './contract/schemas.ts';
import executorStats from './health/executor-stats.ts';
import healthRoutes from './health/routes.ts';
import liveRoutes from './live/routes.ts';
import market from './market/plugin.ts';
import marketRoutes from './market/routes.ts';
import meRoutes from './me/routes.ts';
import orderRoutes from './orders/routes.ts';
import auth from './plugins/auth.ts';
import db from './plugins/db.ts';
import errorHandler from './plugins/error-handler.ts';
import metrics from './plugins/metrics.ts';
import nats from './plugins/nats.ts';
import portfolioRoutes from './portfolio/routes.ts';
import type { RouteOptions } from './route-options.ts';

/**
 * One line per request, at debug: at info, a load test's requests (fastify's two lines each) buried
 * the lines a person starting the stack needs (start, stop, errors). A request that errored is still
 * logged as an error.
 */
class DebugRequestLogs extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) {
      reply.log.error({ err: error, statusCode: reply.statusCode, ms: reply.elapsedTime }, 'request errored');
      return;
    }
    reply.log.debug({ method: request.method, url: request.url, statusCode: reply.statusCode, ms: reply.elapsedTime }, 'request');
  }
}

export interface BuildOptions {
  /** Logger settings; tests pass `false`. */
  logger?: boolean | { level: string };
}

export async function buildApp(config: GatewayConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.LOG_LEVEL,
            // Secrets never reach a log line, whatever a handler logs.
            redact: ['req.headers.authorization', '*.password', '*.apiSecret', '*.apiKey', '*.token', '*.ticket'],
          },
    bodyLimit: config.BODY_LIMIT_BYTES,
    genReqId: () => uuidv7(),
    logController: new DebugRequestLogs(),
    // Errors raised before routing (a malformed URL, an over-long path parameter) use the envelope too.
    frameworkErrors: (error, _request, reply) => {
      reply.raw.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
      reply.raw.end(JSON.stringify({ error: { code: 'VALIDATION_FAILED', message: error.message || 'malformed request' } }));
    },
    // Requests the HTTP parser cannot even read get a plain 400 with the envelope, then the socket closes.
    clientErrorHandler: (error, socket) => {
      if (!socket.writable) return;
      const body = JSON.stringify({
        error: { code: 'VALIDATION_FAILED', message: `malformed HTTP request (${(error as { code?: string }).code ?? 'parse error'})` },
      });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    },
  });
  // A NUL byte has no business in a URL; refusing it early keeps it away from file-serving routes.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.includes('%00') || request.url.includes('\u0000')) {
      return reply.status(400).send({ error: { code: 'VALIDATION_FAILED', message: 'the URL contains a NUL byte' } });
    }
  });
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  // JSON only: a text/plain body is refused with 415 rather than half-parsed.
  app.removeContentTypeParser('text/plain');

  await app.register(errorHandler);
  await app.register(metrics);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Blotter API',
        version: '1.0.0',
        description: 'Event-sourced trading back office. Decimals are strings; errors are {error: {code, message, details?}}.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          admin: { type: 'apiKey', in: 'header', name: 'x-admin-token' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  await app.register(db, { url: config.DATABASE_URL, schema: config.READ_MODEL_SCHEMA });
  await app.register(nats, { url: config.NATS_URL, namespace: config.BLOTTER_NAMESPACE, sizing: config });
  await app.register(market);
  await app.register(executorStats);
  await app.register(auth, { secret: config.JWT_SECRET, ttlSeconds: config.JWT_TTL_SECONDS });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  const keyRing = createKeyRing(
    parseKey(config.KEY_ENCRYPTION_KEY, 'KEY_ENCRYPTION_KEY'),
    config.KEY_ENCRYPTION_KEY_PREVIOUS.split(',')
      .filter(Boolean)
      .map((k) => parseKey(k, 'KEY_ENCRYPTION_KEY_PREVIOUS')),
  );
  const control = new TradingControl(app.store);
  await control.start();
  app.addHook('onClose', async () => control.stop());
  const routeOptions: RouteOptions = { config, keyRing, halted: () => control.halted };
  await app.register(healthRoutes);
  await app.register(schemaRoutes);
  await app.register(asyncApiRoutes, { namespace: config.BLOTTER_NAMESPACE });
  await app.register(authRoutes, routeOptions);
  await app.register(meRoutes, routeOptions);
  await app.register(marketRoutes);
  await app.register(orderRoutes, routeOptions);
  await app.register(portfolioRoutes);
  await app.register(alertRoutes);
  await app.register(auditRoutes, routeOptions);
  await app.register(adminRoutes, { adminToken: config.ADMIN_TOKEN, control });
  await app.register(liveRoutes);
  return app;
}
