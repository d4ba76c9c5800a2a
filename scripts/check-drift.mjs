// Fails when regenerating the clients from the specs changed a committed file: the generated
// types must always match the specs they come from.
import { execFileSync } from 'node:child_process';

const out = execFileSync('git', ['status', '--porcelain', '--', 'packages/*/src/generated'], {
  encoding: 'utf8',
});
if (out.trim() !== '') {
  console.error('Generated code is out of date with the specs. Run `npm run generate` and commit:');
  console.error(out);
  process.exit(1);
}
console.log('generated code matches the specs');
