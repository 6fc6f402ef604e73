import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BearerAuthGuard } from './api/bearer-auth.guard';
import { installBodyParsers } from './api/body-parsers';
import { documentedComponents } from './api/openapi-schemas';
import { type AppDependencies, AppModule } from './app.module';
import { serveGui } from './gui/serve-gui';

/**
 * Creates the HTTP application with everything requests pass through (body limits, auth, problem+json
 * errors, OpenAPI at /api/docs). Each route checks its own body and query string against their schemas
 * (`@ValidBody`, `@ValidQuery`). Used by main and by the end-to-end tests alike.
 */
export async function createHttpApp(
  dependencies: AppDependencies,
  options: { logger?: false | LoggerService | ('error' | 'warn' | 'log')[] } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(dependencies), {
    bodyParser: false,
    logger: options.logger ?? ['error', 'warn'],
  });
  app.disable('x-powered-by');
  if (dependencies.config.roles.includes('api')) serveGui(app);
  installBodyParsers(app);
  app.useGlobalGuards(new BearerAuthGuard(dependencies.config.apiToken));
  SwaggerModule.setup('api/docs', app, openApiDocument(app), { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}

/** The API's OpenAPI document: served at /api/docs, and the source of the contract (scripts/contract.ts). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Kairos')
      .setDescription('Distributed task scheduler: register tasks, watch them fire. Errors are problem+json.')
      .setVersion('0.1')
      .addBearerAuth()
      .build(),
  );
  // The request schemas (TypeBox) join the components the response classes made.
  const schemas = { ...document.components?.schemas, ...documentedComponents() };
  document.components = { ...document.components, schemas: sortedByName(schemas) };
  return document;
}

const sortedByName = <T>(record: Record<string, T>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
