import type { Provider } from '@nestjs/common';
import { PersonaAvatarRepository } from '@zhibing/persona';
import { DataSource } from 'typeorm';

export const personaAvatarRepositoryProvider: Provider = {
  provide: PersonaAvatarRepository,
  inject: [DataSource],
  useFactory: (db: DataSource) => new PersonaAvatarRepository(db),
};
