import { Global, Module } from '@nestjs/common';
import { AdminAuthGuard } from './admin-auth.guard';
import { ApiKeysService } from './api-keys.service';
import { RateLimitsService } from '../limits/rate-limits.service';

@Global()
@Module({
  providers: [ApiKeysService, AdminAuthGuard, RateLimitsService],
  exports: [ApiKeysService, AdminAuthGuard, RateLimitsService],
})
export class AuthModule {}
