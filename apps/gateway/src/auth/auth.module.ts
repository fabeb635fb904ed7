import { Global, Module } from '@nestjs/common';
import { AdminAuthGuard } from './admin-auth.guard';
import { ApiKeysService } from './api-keys.service';

@Global()
@Module({ providers: [ApiKeysService, AdminAuthGuard], exports: [ApiKeysService, AdminAuthGuard] })
export class AuthModule {}
