/** The read model: its projector, schema, change feed and rebuild (see docs/decisions/006). */
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
export { readModelPosition, waitForPosition } from './read-model/read-model-position';
export { READ_MODEL_SCHEMA, migrateReadModel } from './read-model/read-model-schema';
export { rebuildReadModel, type RebuildOptions, type RebuildResult } from './rebuild/rebuild';
