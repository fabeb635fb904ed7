import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { interviewReportCsv, interviewReportMarkdown } from '@zhibing/scenario';
import type { Response } from 'express';
import { z } from 'zod';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ZodPipe } from '../common/zod-body.pipe';
import { InterviewReportService } from './interview-report.service';

const formatQuery = z.object({ format: z.enum(['json', 'markdown', 'csv']).default('json') }).strict();

/** What a recruiter reads after an interview: each question, the answer, scores with quoted evidence, timings. */
@ApiTags('conversations')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('v1/conversations/:id/interview-report')
export class InterviewReportController {
  constructor(private readonly reports: InterviewReportService) {}

  /**
   * The report as JSON (InterviewReport), or a download: `?format=markdown` (text/markdown) or
   * `?format=csv` (a row per question and criterion). 404 interview_not_found when the
   * conversation's persona runs no interview.
   */
  @Get()
  @ApiProduces('application/json', 'text/markdown', 'text/csv')
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'markdown', 'csv'] })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query(new ZodPipe(formatQuery)) query: z.infer<typeof formatQuery>,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { report, locale } = await this.reports.report(principal.workspaceId, id);
    if (query.format === 'json') return report;
    const markdown = query.format === 'markdown';
    response.type(markdown ? 'text/markdown; charset=utf-8' : 'text/csv; charset=utf-8');
    response.setHeader(
      'content-disposition',
      `attachment; filename="interview-${report.conversationId}.${markdown ? 'md' : 'csv'}"`,
    );
    return markdown ? interviewReportMarkdown(report, locale) : interviewReportCsv(report);
  }
}
