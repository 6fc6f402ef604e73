import { ApiProperty } from '@nestjs/swagger';
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

/** The task as it was: a TaskView of that revision, and when that revision was recorded. */
export class TaskAsOfView extends TaskView {
  @ApiProperty({ description: 'when the revision shown was recorded' }) recordedAt!: string;
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
