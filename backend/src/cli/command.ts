import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';
import type { KairosClient } from './http-client';
import type { CliIo } from './io';

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandContext {
  /** Positional arguments after the command name (and sub-command). */
  args: string[];
  values: OptionValues;
  client: KairosClient;
  io: CliIo;
  json: boolean;
}

export interface Command {
  name: string;
  /** e.g. `get <id>`. */
  usage: string;
  summary: string;
  /** Option lines for help, e.g. `--limit n   at most n tasks`. */
  help?: string[];
  options?: NonNullable<ParseArgsConfig['options']>;
  /** How many positionals it takes. */
  positionals?: { min: number; max: number; names: string };
  run(context: CommandContext): Promise<number | void>;
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function stringsOption(values: OptionValues, name: string): string[] {
  const value = values[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

export function intOption(values: OptionValues, name: string): number | undefined {
  const value = stringOption(values, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return Number(value);
}

export function oneOf<T extends string>(
  values: OptionValues,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = stringOption(values, name);
  if (value !== undefined && !allowed.includes(value as T)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T | undefined;
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

export function taskPath(id: string, suffix = ''): string {
  return `api/tasks/${encodeURIComponent(id)}${suffix}`;
}
