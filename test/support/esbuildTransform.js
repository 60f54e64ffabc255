/**
 * Jest transform: TypeScript to ES modules with esbuild, file by file. Types are not checked here
 * (`npm run typecheck` does that before jest runs), so this only strips them, which esbuild does in
 * a fraction of the time ts-jest's TypeScript transpile takes on a fresh machine with no cache.
 * tsconfig.json has isolatedModules on, so every file can be compiled alone.
 */
import { transformSync } from 'esbuild';

// The compiler options that change emitted JavaScript; the rest only affect type checking.
const tsconfigRaw = { compilerOptions: { target: 'ES2022', useDefineForClassFields: true, verbatimModuleSyntax: false } };

export default {
  canInstrument: false,
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      platform: 'node',
      sourcefile: filename,
      sourcemap: 'external',
      tsconfigRaw,
    });
    return { code, map };
  },
};
