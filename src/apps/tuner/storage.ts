import type { StudyJSON } from './study.js';

/** Where a study is saved after every trial, and resumed from (the Node search offers a JSON file). */
export interface StudyStorage {
  /** The saved study, or undefined when there is none yet. */
  load(): Promise<StudyJSON | undefined>;
  /** Replaces the saved study. */
  save(study: StudyJSON): Promise<void>;
}

/** Keeps the study in memory (tests, browsers). */
export class MemoryStorage implements StudyStorage {
  /** The last saved study. */
  data?: StudyJSON;
  async load(): Promise<StudyJSON | undefined> {
    return this.data ? (JSON.parse(JSON.stringify(this.data)) as StudyJSON) : undefined;
  }
  async save(study: StudyJSON): Promise<void> {
    this.data = JSON.parse(JSON.stringify(study)) as StudyJSON;
  }
}
