import { type PipeTransform, Query } from '@nestjs/common';
import type { Static, TObject } from '@sinclair/typebox';
import { ApiSchemaQuery } from './openapi-schemas';
import { compileParser } from './request-schema';

/**
 * The query string, checked against its schema (an object of the parameters, closed: a parameter it
 * does not name is refused; a 400 problem+json naming every failing parameter otherwise) and documented
 * as one query parameter per property. Type the parameter `Static<typeof Schema>`.
 */
export function ValidQuery(schema: TObject): ParameterDecorator {
  const parse = compileQueryParser(schema);
  const pipe: PipeTransform = { transform: (value: unknown) => parse(value) };
  return (target, method, index) => {
    Query(pipe)(target, method, index);
    if (method === undefined) throw new Error('ValidQuery decorates a route handler parameter');
    ApiSchemaQuery(schema)(target, method, Object.getOwnPropertyDescriptor(target, method)!);
  };
}

/**
 * The query string's values are text, read as the schema's types (`limit=50` is a number; see
 * request-schema.ts). A list parameter takes its items comma-separated, repeated, or both
 * (`type=A,B&type=C`). The parsed query is a copy: Express's is left as it came.
 */
export function compileQueryParser<S extends TObject>(schema: S): (query: unknown) => Static<S> {
  if (schema.additionalProperties !== false) {
    throw new Error('A query schema names every parameter: give it additionalProperties: false');
  }
  const parse = compileParser(schema, 'query');
  const lists = Object.keys(schema.properties).filter((name) => schema.properties[name].type === 'array');
  return (query) => {
    const values: Record<string, unknown> = { ...(query as object) };
    for (const name of lists) {
      if (Object.hasOwn(values, name)) values[name] = splitList(values[name]);
    }
    return parse(values);
  };
}

function splitList(value: unknown): unknown[] {
  const parts: unknown[] = Array.isArray(value) ? value : [value];
  return parts.flatMap((part) => (typeof part === 'string' ? part.split(',').map((t) => t.trim()) : [part]));
}
