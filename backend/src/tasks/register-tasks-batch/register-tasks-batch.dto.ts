import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsUUID } from 'class-validator';
import { TaskDefinitionDto } from '../http/task-definition.dto';

export const MAX_BATCH_ITEMS = 1000;

/** The envelope; each item is validated on its own so one bad item does not refuse the others. */
export class RegisterTasksBatchDto {
  @ApiProperty({ type: () => [BatchTaskDto], maxItems: MAX_BATCH_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS, { message: `must have at most ${MAX_BATCH_ITEMS} items` })
  @Allow()
  items!: unknown[];
}

export class BatchTaskDto extends TaskDefinitionDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'a client-chosen id (idempotent); a new one when absent',
  })
  @IsOptional()
  @IsUUID()
  id?: string;
}

export class FieldProblem {
  @ApiProperty({ example: 'items[3].schedule.expression' }) field!: string;
  @ApiProperty() reason!: string;
}

/** One item's result: registered (201), already registered (200), or refused (400, 409). */
export class BatchItemResultView {
  @ApiProperty({ enum: [200, 201, 400, 409] }) status!: 200 | 201 | 400 | 409;
  @ApiPropertyOptional({ format: 'uuid', description: 'absent when a refused item had no valid id' })
  id?: string;
  @ApiPropertyOptional({ description: 'registered: the stream revision' }) revision?: number;
  @ApiPropertyOptional({ description: 'registered: the log position' }) position?: number;
  @ApiPropertyOptional({ description: 'refused: why, as a problem code' }) code?: string;
  @ApiPropertyOptional({ description: 'refused: in words' }) detail?: string;
  @ApiPropertyOptional() field?: string;
  @ApiPropertyOptional({ type: [FieldProblem] }) errors?: FieldProblem[];
}

export class BatchResultView {
  @ApiProperty({ type: [BatchItemResultView], description: 'one per item, in request order' })
  items!: BatchItemResultView[];
}
