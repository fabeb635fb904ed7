import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { scenarioRecordsQuerySchema, type ScenarioRecordsQuery } from '@zhibing/protocol';
import type { Response } from 'express';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ZodPipe } from '../common/zod-body.pipe';
import { scenarioRecordsCsv } from './scenario-records-csv';
import { ScenarioRecordsRepository } from './scenario-records.repository';

/** Records scenarios stored (a front desk's visitor registrations), to list or download. */
@ApiTags('scenarios')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('v1/scenario-records')
export class ScenarioRecordsController {
  constructor(private readonly records: ScenarioRecordsRepository) {}

  /**
   * A page of records, newest first (X-Total-Count: how many match in all); `format=csv` downloads
   * them as a spreadsheet (up to `limit`, 1000 unless given).
   */
  @Get()
  @ApiQuery({ name: 'kind', required: false, example: 'registration' })
  @ApiQuery({ name: 'personaId', required: false, example: 'front-desk' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiProduces('application/json', 'text/csv')
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodPipe(scenarioRecordsQuerySchema)) query: ScenarioRecordsQuery,
    @Res({ passthrough: true }) response: Response,
  ) {
    const csv = query.format === 'csv';
    const { total, items } = await this.records.list(principal.workspaceId, {
      ...query,
      limit: query.limit ?? (csv ? 1000 : 50),
    });
    response.setHeader('x-total-count', String(total));
    if (!csv) return items;
    response.type('text/csv');
    response.setHeader('content-disposition', `attachment; filename="scenario-records.csv"`);
    return scenarioRecordsCsv(items);
  }
}
