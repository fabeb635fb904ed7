import { InitialSchema1763800000000 } from './1763800000000-InitialSchema';

/** Every migration, oldest first. Add one line per new migration file; never edit a landed one. */
export const migrations = [InitialSchema1763800000000];
