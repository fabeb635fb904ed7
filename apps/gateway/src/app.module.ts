import { type DynamicModule, Module } from '@nestjs/common';
import type { ZhibingConfig } from '@zhibing/config';
import type { DataSource } from 'typeorm';
import { AuthModule } from './auth/auth.module';
import { ChatModule } from './chat/chat.module';
import { ConsoleModule } from './console/console.module';
import { ConversationsModule } from './conversations/conversations.module';
import { EngineModule } from './engine/engine.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HandoffsModule } from './handoffs/handoffs.module';
import { HealthModule } from './health/health.module';
import { InterviewReportModule } from './interview-report/interview-report.module';
import { KnowledgeModule } from './knowledge/knowledge.module';
import { MetricsModule } from './metrics/metrics.module';
import { OpenAiModule } from './openai/openai.module';
import { PersonasModule } from './personas/personas.module';
import { QuestionBanksModule } from './question-banks/question-banks.module';
import { ScenarioModule } from './scenario/scenario.module';
import { ScenarioRecordsModule } from './scenario-records/scenario-records.module';
import { WidgetModule } from './widget/widget.module';
import { WorkspacesModule } from './workspaces/workspaces.module';

/** The gateway: built from an already validated config and an opened database. */
@Module({})
export class AppModule {
  static forRoot(config: ZhibingConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(dataSource),
        MetricsModule,
        HealthModule,
        AuthModule,
        WorkspacesModule,
        WidgetModule,
        KnowledgeModule,
        EngineModule,
        ChatModule,
        ScenarioModule,
        PersonasModule,
        ConversationsModule,
        QuestionBanksModule,
        InterviewReportModule,
        ScenarioRecordsModule,
        HandoffsModule,
        OpenAiModule,
        ConsoleModule,
      ],
    };
  }
}
