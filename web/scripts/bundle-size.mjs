// Measures the JavaScript the app ships: every .js under dist/assets, raw and gzipped
// (level 9, as a server would send it). `npm run size` prints it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export function jsBundleSize(dist) {
  const dir = join(dist, 'assets');
  const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const b = readFileSync(join(dir, f));
    raw += b.length;
    gz += gzipSync(b, { level: 9 }).length;
  }
  return { files, raw_bytes: raw, gzip_bytes: gz };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = jsBundleSize(join(dirname(fileURLToPath(import.meta.url)), '../dist'));
  console.log(`${r.files.length} files: ${(r.raw_bytes / 1024).toFixed(1)} KB, ${(r.gzip_bytes / 1024).toFixed(1)} KB gzipped`);
}
