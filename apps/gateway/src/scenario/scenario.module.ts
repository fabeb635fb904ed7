import { Module } from '@nestjs/common';
import { ChatModule } from '../chat/chat.module';
import { ScenarioTimersService } from './scenario-timers.service';

/** Scenarios on the gateway: their timers (and, as they come, their REST routes). */
@Module({
  imports: [ChatModule],
  providers: [ScenarioTimersService],
  exports: [ScenarioTimersService],
})
export class ScenarioModule {}
