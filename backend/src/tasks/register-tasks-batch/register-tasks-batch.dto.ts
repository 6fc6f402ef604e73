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
