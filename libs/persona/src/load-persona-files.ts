import * as fs from 'node:fs';
import * as path from 'node:path';
import { validate, ZhibingError } from '@zhibing/protocol';
import { parse } from 'yaml';
import { type Persona, personaSchema } from './persona.schema';

/**
 * Reads every `*.yaml` persona in a folder. A bad file fails with its name and each bad field,
 * so an author sees exactly what to fix.
 */
export function loadPersonaFiles(folder: string): Persona[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => {
      const file = path.join(folder, name);
      let raw: unknown;
      try {
        raw = parse(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        throw new ZhibingError('persona_invalid', `${file}: not valid YAML: ${(error as Error).message}`);
      }
      try {
        return validate(personaSchema, raw, 'persona_invalid');
      } catch (error) {
        throw new ZhibingError('persona_invalid', `${file}: ${(error as Error).message}`);
      }
    });
}
