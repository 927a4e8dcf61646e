import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SerializationError } from '../../engine/errors.js';
import type { StudyStorage } from '../../apps/tuner/storage.js';
import type { StudyJSON } from '../../apps/tuner/study.js';

/**
 * Saves a study as a JSON file (written to a temporary file, then renamed, so a crash never
 * leaves half a file) and loads it back to resume.
 */
export class JsonFileStorage implements StudyStorage {
  // Saves from parallel trials are written one after another, newest last.
  private queue: Promise<void> = Promise.resolve();

  constructor(
    /** The study file. */
    readonly path: string,
  ) {}

  async load(): Promise<StudyJSON | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      return JSON.parse(text) as StudyJSON;
    } catch (e) {
      throw new SerializationError(`tuner: the study file ${this.path} is not valid JSON (${(e as Error).message})`);
    }
  }

  save(study: StudyJSON): Promise<void> {
    const text = JSON.stringify(study, null, 1);
    const write = async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, this.path);
    };
    this.queue = this.queue.then(write, write);
    return this.queue;
  }
}
