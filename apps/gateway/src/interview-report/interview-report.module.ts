import { Module } from '@nestjs/common';
import { ChatModule } from '../chat/chat.module';
import { QuestionBanksModule } from '../question-banks/question-banks.module';
import { InterviewReportController } from './interview-report.controller';
import { InterviewReportService } from './interview-report.service';

@Module({
  imports: [ChatModule, QuestionBanksModule],
  controllers: [InterviewReportController],
  providers: [InterviewReportService],
})
export class InterviewReportModule {}
