import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { TaskView } from '../get-task/task-view';
import { TASK_DEFINITION_FIELDS } from '../domain/task';
import type { DefinitionField } from './definition-diff';

/** Any JSON value, in the OpenAPI document (`unknown`-like in the generated types, not `{}`). */
const JSON_VALUE_SCHEMA = {
  oneOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'object', additionalProperties: true },
    { type: 'array', items: {} },
  ],
};

/** GET /api/tasks/{id}?asOf=: the part of its query the log answers. */
export class AsOfQueryDto {
  @ApiPropertyOptional({
    description:
      'Time travel: the task as it was at this revision of its stream, or at this ISO 8601 instant ' +
      '(the last revision recorded at or before it), folded from the event log',
    examples: { revision: { value: '12' }, instant: { value: '2026-12-01T09:00:00Z' } },
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  asOf?: string;
}

/** The task as it was: a TaskView of that revision, and when that revision was recorded. */
export class TaskAsOfView extends TaskView {
  @ApiProperty({ description: 'when the revision shown was recorded' }) recordedAt!: string;
}

export class TaskDiffQueryDto {
  @ApiProperty({ minimum: 0, description: 'the earlier revision' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  from!: number;

  @ApiProperty({ minimum: 0, description: 'the later revision' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  to!: number;
}

export class RevisionStamp {
  @ApiProperty() revision!: number;
  @ApiProperty() recordedAt!: string;
}

export class FieldChangeView {
  @ApiProperty({ enum: TASK_DEFINITION_FIELDS }) field!: DefinitionField;
  @ApiProperty({
    ...JSON_VALUE_SCHEMA,
    nullable: true,
    description: 'the value at `from` (secret headers masked); null: unset',
  })
  before!: unknown;
  @ApiProperty({ ...JSON_VALUE_SCHEMA, nullable: true, description: 'the value at `to`' })
  after!: unknown;
}

export class TaskDiffView {
  @ApiProperty() from!: RevisionStamp;
  @ApiProperty() to!: RevisionStamp;
  @ApiProperty({ type: [FieldChangeView], description: 'the definition fields that differ' })
  changes!: FieldChangeView[];
}
