import { Inject, Injectable } from '@nestjs/common';
import { type CreateWorkspaceDto, type WorkspaceDto, ZhibingError } from '@zhibing/protocol';
import { WorkspaceEntity } from '@zhibing/storage';
import { DataSource, QueryFailedError } from 'typeorm';
import { canManageWorkspace, type Principal } from '../auth/principal';
import { AuthError } from '../auth/auth.errors';

@Injectable()
export class WorkspacesService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async create(principal: Principal, input: CreateWorkspaceDto): Promise<WorkspaceDto> {
    if (principal.scope !== 'root') throw AuthError.forbidden('Only the operator (root) key creates workspaces');
    try {
      return toDto(await this.db.getRepository(WorkspaceEntity).save({ name: input.name }));
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '23505') {
        throw new ZhibingError('workspace_conflict', `A workspace named "${input.name}" already exists`);
      }
      throw error;
    }
  }

  async list(principal: Principal): Promise<WorkspaceDto[]> {
    const repo = this.db.getRepository(WorkspaceEntity);
    const rows =
      principal.scope === 'root'
        ? await repo.find({ order: { createdAt: 'ASC' } })
        : await repo.findBy({ id: principal.workspaceId });
    return rows.map(toDto);
  }

  /** Throws unless the principal may manage the workspace (which must exist). */
  assertCanManage(principal: Principal, workspaceId: string): void {
    if (!/^[0-9a-f-]{36}$/i.test(workspaceId))
      throw new ZhibingError('workspace_not_found', `No workspace ${workspaceId}`);
    if (!canManageWorkspace(principal, workspaceId)) throw AuthError.forbidden('This key cannot manage that workspace');
  }
}

function toDto(workspace: WorkspaceEntity): WorkspaceDto {
  return { id: workspace.id, name: workspace.name, createdAt: new Date(workspace.createdAt).toISOString() };
}
