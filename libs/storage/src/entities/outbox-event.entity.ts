import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A change waiting to reach a projection (Qdrant, Neo4j). Written in the same transaction as the
 * change itself, so a crash between the database and the projection never loses or forks data.
 */
@Entity('outbox')
export class OutboxEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column('text')
  target: string;

  @Column('text')
  topic: string;

  @Column('text', { name: 'aggregate_id' })
  aggregateId: string;

  @Column('jsonb')
  payload: unknown;

  @Column('integer', { default: 0 })
  attempts: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @Column('timestamptz', { name: 'available_at', default: () => 'now()' })
  availableAt: Date;

  @Column('timestamptz', { name: 'processed_at', nullable: true })
  processedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
