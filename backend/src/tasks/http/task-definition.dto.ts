import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  HTTP_METHODS,
  type HttpMethod,
  type JsonValue,
  type MisfirePolicy,
  type OverlapPolicy,
} from '../domain/task';
import { IsCronExpression, IsInstant, IsNotBefore, IsStringRecord, IsTimeZone } from './schedule-validators';

/** The request bodies that define a task (design brief section 7). Validation happens here, once. */

/** Any JSON value, in the OpenAPI document (`unknown`-like in the generated types, not `{}`). */
export const JSON_VALUE_SCHEMA = {
  oneOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'object', additionalProperties: true },
    { type: 'array', items: {} },
  ],
};

const SCHEDULE_KINDS = ['once', 'cron', 'interval'] as const;
const ACTION_KINDS = ['http', 'log'] as const;

/** Used when `kind` is missing or unknown: then `kind` is the error reported. */
export class ScheduleKindDto {
  @ApiProperty({ enum: SCHEDULE_KINDS })
  @IsIn(SCHEDULE_KINDS, { message: `must be one of ${SCHEDULE_KINDS.join(', ')}` })
  kind!: string;
}

export class OnceScheduleDto {
  @ApiProperty({ enum: ['once'] }) @IsIn(['once']) kind!: 'once';
  @ApiProperty({ example: '2026-11-24T09:00:00Z' }) @IsInstant() at!: string;
}

export class CronScheduleDto {
  @ApiProperty({ enum: ['cron'] }) @IsIn(['cron']) kind!: 'cron';
  @ApiProperty({ example: '0 */5 * * * *', description: '5 fields, or 6 with seconds first' })
  @IsString()
  @MaxLength(200)
  @IsCronExpression()
  expression!: string;
  @ApiProperty({ example: 'Europe/Berlin' }) @IsTimeZone() timezone!: string;
  @ApiPropertyOptional() @IsOptional() @IsInstant() startAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsInstant() @IsNotBefore('startAt') endAt?: string;
}

export class IntervalScheduleDto {
  @ApiProperty({ enum: ['interval'] }) @IsIn(['interval']) kind!: 'interval';
  @ApiProperty({ minimum: 1, example: 30 })
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(1)
  @Max(3_153_600_000)
  everySeconds!: number;
  @ApiPropertyOptional({ description: 'anchor: occurrences fall on startAt + k × everySeconds' })
  @IsOptional()
  @IsInstant()
  startAt?: string;
}

export class ScheduleKindActionDto {
  @ApiProperty({ enum: ACTION_KINDS })
  @IsIn(ACTION_KINDS, { message: `must be one of ${ACTION_KINDS.join(', ')}` })
  kind!: string;
}

export class HttpActionDto {
  @ApiProperty({ enum: ['http'] }) @IsIn(['http']) kind!: 'http';
  @ApiProperty({ example: 'https://example.com/hooks/report' })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true },
    { message: 'must be an absolute http or https URL' },
  )
  @MaxLength(2048)
  url!: string;
  @ApiPropertyOptional({ enum: HTTP_METHODS, default: 'POST' })
  @IsOptional()
  @IsIn(HTTP_METHODS, { message: `must be one of ${HTTP_METHODS.join(', ')}` })
  method?: HttpMethod;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsStringRecord(50)
  headers?: Record<string, string>;
  @ApiPropertyOptional({
    ...JSON_VALUE_SCHEMA,
    nullable: true,
    description: 'text or JSON sent as the request body',
  })
  @IsOptional()
  @Allow()
  body?: JsonValue;
}

export class LogActionDto {
  @ApiProperty({ enum: ['log'] }) @IsIn(['log']) kind!: 'log';
  @ApiProperty({ example: 'hello' }) @IsString() @MaxLength(4096) message!: string;
}

export class RetryPolicyDto {
  @ApiPropertyOptional({ default: 3, minimum: 1, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxAttempts?: number;
  @ApiPropertyOptional({ default: 1000 }) @IsOptional() @IsInt() @Min(0) @Max(86_400_000) backoffMs?: number;
  @ApiPropertyOptional({ default: 2 }) @IsOptional() @IsNumber() @Min(1) @Max(10) backoffFactor?: number;
  @ApiPropertyOptional({ default: 300000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  maxBackoffMs?: number;
}

/** class-transformer's choice of schedule DTO by `kind`. */
const scheduleType = () =>
  Type(() => ScheduleKindDto, {
    keepDiscriminatorProperty: true,
    discriminator: {
      property: 'kind',
      subTypes: [
        { value: OnceScheduleDto, name: 'once' },
        { value: CronScheduleDto, name: 'cron' },
        { value: IntervalScheduleDto, name: 'interval' },
      ],
    },
  });

const actionType = () =>
  Type(() => ScheduleKindActionDto, {
    keepDiscriminatorProperty: true,
    discriminator: {
      property: 'kind',
      subTypes: [
        { value: HttpActionDto, name: 'http' },
        { value: LogActionDto, name: 'log' },
      ],
    },
  });

/** A schedule or an action in the OpenAPI document: one of its kinds. */
export const SCHEDULE_SCHEMA = {
  oneOf: [OnceScheduleDto, CronScheduleDto, IntervalScheduleDto].map((dto) => ({ $ref: getSchemaPath(dto) })),
};
export const ACTION_SCHEMA = {
  oneOf: [HttpActionDto, LogActionDto].map((dto) => ({ $ref: getSchemaPath(dto) })),
};

/** A body's `schedule`: one of the schedule kinds, documented and validated as that kind. */
export const ScheduleProperty = () =>
  applyDecorators(ApiProperty(SCHEDULE_SCHEMA), IsDefined(), IsObject(), ValidateNested(), scheduleType());

@ApiExtraModels(OnceScheduleDto, CronScheduleDto, IntervalScheduleDto, HttpActionDto, LogActionDto)
export class TaskDefinitionDto {
  @ApiProperty({ example: 'nightly-report', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) description?: string;

  @ScheduleProperty()
  schedule!: OnceScheduleDto | CronScheduleDto | IntervalScheduleDto;

  @ApiProperty(ACTION_SCHEMA)
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @actionType()
  action!: HttpActionDto | LogActionDto;

  @ApiPropertyOptional({ type: RetryPolicyDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RetryPolicyDto)
  retry?: RetryPolicyDto;

  @ApiPropertyOptional({ default: 30000, minimum: 1, maximum: 3_600_000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  timeoutMs?: number;

  @ApiPropertyOptional({ enum: ['skip', 'allow'], default: 'skip' })
  @IsOptional()
  @IsIn(['skip', 'allow'])
  overlap?: OverlapPolicy;

  @ApiPropertyOptional({ enum: ['fire_once', 'skip', 'fire_all'], default: 'fire_once' })
  @IsOptional()
  @IsIn(['fire_once', 'skip', 'fire_all'])
  misfire?: MisfirePolicy;
}
