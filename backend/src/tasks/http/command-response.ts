import { ApiProperty } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CommandResult } from '../task-repository';

/** What every command answers (design brief section 7). */
export class CommandResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: "the task stream's revision after the command; send it as If-Match" })
  revision!: number;
  @ApiProperty({ description: 'global log position written; pass it as ?minPosition= to read your write' })
  position!: number;
}

export function commandResponse(result: CommandResult, response?: Response): CommandResponse {
  response?.setHeader('ETag', `"${result.revision}"`);
  return { id: result.id, revision: result.revision, position: result.position };
}
