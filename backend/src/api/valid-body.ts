import { Body, type PipeTransform } from '@nestjs/common';
import type { TSchema } from '@sinclair/typebox';
import { ApiSchemaBody } from './openapi-schemas';
import { compileParser } from './request-schema';

/**
 * The request body, checked against its schema (a 400 problem+json naming every failing field
 * otherwise) and documented as that schema in the OpenAPI document. Type the parameter
 * `Static<typeof Schema>`.
 */
export function ValidBody(schema: TSchema): ParameterDecorator {
  const parse = compileParser(schema);
  const pipe: PipeTransform = { transform: (value: unknown) => parse(value) };
  return (target, method, index) => {
    Body(pipe)(target, method, index);
    if (method === undefined) throw new Error('ValidBody decorates a route handler parameter');
    ApiSchemaBody(schema)(target, method, Object.getOwnPropertyDescriptor(target, method)!);
  };
}
