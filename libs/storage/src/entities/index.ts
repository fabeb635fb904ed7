import { ApiKeyEntity } from './api-key.entity';
import { OutboxEventEntity } from './outbox-event.entity';
import { WorkspaceEntity } from './workspace.entity';

export { ApiKeyEntity, OutboxEventEntity, WorkspaceEntity };
export type { ApiKeyScope } from './api-key.entity';

/** Entity classes registered with the DataSource. Other libs may query tables with raw SQL too. */
export const entities = [WorkspaceEntity, ApiKeyEntity, OutboxEventEntity];
