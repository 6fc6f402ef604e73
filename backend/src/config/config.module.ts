import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { KairosConfig } from './config';

/** The injection token of the process's configuration (read once at start, see config.ts). */
export const KAIROS_CONFIG = Symbol('KairosConfig');

@Global()
@Module({})
export class ConfigModule {
  static withConfig(config: KairosConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: KAIROS_CONFIG, useValue: config }],
      exports: [KAIROS_CONFIG],
    };
  }
}
