import { applyDecorators } from '@nestjs/common';
import {
  type ApiBodyOptions,
  ApiBody,
  ApiProperty,
  type ApiPropertyOptions,
  ApiQuery,
  type SchemaObject,
} from '@nestjs/swagger';
import type { TObject, TSchema } from '@sinclair/typebox';

/**
 * The request schemas (TypeBox, api/request-schema.ts) in the OpenAPI document. Each schema with a
 * `title` becomes a component of that name, referenced wherever it is used, so the generated client
 * types name them (`components['schemas']['CronSchedule']`).
 */
const documented = new Set<TSchema>();

/** A reference to the schema's component, for a body or a response property; records the schema. */
export function schemaRef(schema: TSchema): { $ref: string } {
  documented.add(schema);
  return { $ref: refTo(titleOf(schema)) };
}

/** The route's body is this schema. */
export const ApiSchemaBody = (schema: TSchema, options: Omit<ApiBodyOptions, 'schema' | 'type'> = {}) =>
  ApiBody({ ...options, schema: schemaRef(schema) });

/** A response class's property whose shape is the schema's (a task's schedule shown as it was sent). */
export const ApiSchemaProperty = (schema: TSchema, options: ApiPropertyOptions = {}) =>
  ApiProperty({ ...options, ...schemaRef(schema) });

/**
 * The route's query string is this schema: one query parameter per property, in order, with the
 * property's schema; its description and examples are the parameter's (where OpenAPI 3.0 puts them).
 */
export function ApiSchemaQuery(schema: TObject): MethodDecorator {
  const required = new Set(schema.required ?? []);
  return applyDecorators(
    ...Object.entries(schema.properties).map(([name, property]) => {
      const { description, examples, ...rest } = toOpenApi(property, (titled) => schemaRef(titled)) as {
        description?: string;
        examples?: unknown[];
      };
      return ApiQuery({
        name,
        required: required.has(name),
        ...(description === undefined ? {} : { description }),
        ...(examples === undefined ? {} : { examples: namedExamples(examples) }),
        schema: rest as SchemaObject,
      });
    }),
  );
}

/** JSON Schema's list of examples as OpenAPI's named ones (a parameter's schema cannot hold them). */
const namedExamples = (values: unknown[]) =>
  Object.fromEntries(values.map((value) => [String(value), { value }]));

/** Every recorded schema and the titled schemas inside it, as OpenAPI 3.0 components. */
export function documentedComponents(): Record<string, SchemaObject> {
  const components: Record<string, SchemaObject> = {};
  const add = (schema: TSchema): void => {
    const name = titleOf(schema);
    if (components[name]) return;
    components[name] = {}; // reserved first: a schema may contain itself
    components[name] = toOpenApi(schema, add, true) as SchemaObject;
  };
  for (const schema of documented) add(schema);
  return components;
}

/**
 * A copy in OpenAPI 3.0's dialect: titled schemas inside become references, `const` an `enum`, and a
 * discriminator maps each tag value to its branch (Ajv reads the values from the branches; OpenAPI
 * tools would otherwise take the branch's name for its tag).
 */
function toOpenApi(value: unknown, add: (schema: TSchema) => void, root = false): unknown {
  if (Array.isArray(value)) return value.map((item) => toOpenApi(item, add));
  if (typeof value !== 'object' || value === null) return value;
  const schema = value as Record<string, unknown>;
  if (!root && typeof schema.title === 'string') {
    add(schema as TSchema);
    return { $ref: refTo(schema.title) };
  }
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(schema)) {
    if (key === 'const') copy.enum = [item];
    else if (key === 'discriminator') copy[key] = withMapping(schema, item as { propertyName: string });
    else copy[key] = toOpenApi(item, add);
  }
  return copy;
}

function withMapping(schema: Record<string, unknown>, discriminator: { propertyName: string }) {
  const branches = schema.oneOf as { title: string; properties: Record<string, { const: string }> }[];
  const mapping = Object.fromEntries(
    branches.map((branch) => [branch.properties[discriminator.propertyName].const, refTo(branch.title)]),
  );
  return { ...discriminator, mapping };
}

function titleOf(schema: TSchema): string {
  if (typeof schema.title !== 'string')
    throw new Error('A documented schema needs a title (its component name)');
  return schema.title;
}

const refTo = (name: string) => `#/components/schemas/${name}`;
