// Turns the TypeScript that antlr-ng generated (and the grammar's antlr4ng
// base classes) into ES modules node can run: types are stripped with the
// TypeScript compiler's single-file transpiler, no type check (the generated
// parser is ~100k lines; a full check would take minutes and proves nothing
// about the statements).
//   node transpile.mjs <typescript-module-dir> <dir-with-.ts-files>
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const [typescriptDir, dir] = process.argv.slice(2);
const ts = createRequire(join(typescriptDir, "package.json"))(typescriptDir);
for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
  const source = readFileSync(join(dir, file), "utf8");
  const out = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, useDefineForClassFields: false },
    fileName: file,
  });
  writeFileSync(join(dir, file.replace(/\.ts$/, ".js")), out.outputText);
}
writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
