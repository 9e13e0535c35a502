import { notesVitestConfig } from '@notes/vitest-preset';
import { defineConfig } from 'vitest/config';

export default defineConfig(notesVitestConfig());
