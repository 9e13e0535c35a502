import type { UserConfig } from 'vitest/config';
/** Shared vitest configuration for @notes packages; `overrides` are merged into `test`. */
export declare function notesVitestConfig(overrides?: UserConfig['test']): UserConfig;
