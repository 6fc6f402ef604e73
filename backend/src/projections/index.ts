/**
 * The read model's public face: its projector, schema, change feed and rebuild (ADR 006). Code outside
 * backend/src/projections imports from here only (ESLint holds it to that); tests may reach inside.
 */
export {
  ChangeFeed,
  type ChangeFeedOptions,
  type ExecutionKey,
  type ReadModelChange,
  CHANGE_CHANNEL,
  REDIS_CHANGE_CHANNEL,
} from './change-feed/change-feed';
export { ProjectionsModule, READ_MODEL_POOL } from './projections.module';
export { ProjectorModule, ProjectorService } from './projector/projector.module';
export { Projector, type ProjectorOptions } from './projector/projector';
export { addHistograms, emptyLagHistogram, lagQuantile } from './read-model/lag-histogram';
export { readModelPosition, waitForPosition } from './read-model/read-model-position';
export { READ_MODEL_SCHEMA, migrateReadModel } from './read-model/read-model-schema';
export { REBUILD_LOCK, rebuildReadModel, type RebuildOptions, type RebuildResult } from './rebuild/rebuild';
