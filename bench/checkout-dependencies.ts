import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';

/** The packages a patch-package patch changes, from its `diff --git a/node_modules/<package>/…` lines. */
function packagesPatchedBy(patch: string): string[] {
  const names = [...patch.matchAll(/^diff --git a\/node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((match) => match[1]);
  return [...new Set(names)];
}

const patchesIn = (dir: string): Map<string, string> => {
  const patchDir = path.join(dir, 'patches');
  if (!existsSync(patchDir)) return new Map();
  return new Map(readdirSync(patchDir).filter((file) => file.endsWith('.patch')).map((file) => [file, readFileSync(path.join(patchDir, file), 'utf8')]));
};

/**
 * Gives a checkout of an older commit (`dir`) this repository's installed packages, as the commit
 * would have them: every package is a link to the repository's node_modules, except those changed by
 * a patch of ours (patches/, applied by `npm ci`) that the commit does not have, which are copied
 * with that patch taken back out. So a before/after bench measures our patches with the rest of the
 * change, instead of lending them to "before".
 */
export function linkDependencies(root: string, dir: string): void {
  const theirs = patchesIn(dir);
  const foreign = [...patchesIn(root)].filter(([file, patch]) => theirs.get(file) !== patch);
  const unpatched = new Set(foreign.flatMap(([, patch]) => packagesPatchedBy(patch)));
  const source = path.join(root, 'node_modules');
  const target = path.join(dir, 'node_modules');
  if (unpatched.size === 0) {
    symlinkSync(source, target, 'dir');
    return;
  }
  const place = (name: string) => {
    if (unpatched.has(name)) cpSync(path.join(source, name), path.join(target, name), { recursive: true, verbatimSymlinks: true });
    else symlinkSync(path.join(source, name), path.join(target, name), 'dir');
  };
  mkdirSync(target);
  for (const entry of readdirSync(source)) {
    if (!entry.startsWith('@')) {
      place(entry);
      continue;
    }
    mkdirSync(path.join(target, entry));
    for (const name of readdirSync(path.join(source, entry))) place(`${entry}/${name}`);
  }
  for (const [file] of foreign) execFileSync('git', ['apply', '--reverse', path.join(root, 'patches', file)], { cwd: dir });
}
