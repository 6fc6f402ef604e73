import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

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
