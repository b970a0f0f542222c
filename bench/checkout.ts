import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { linkDependencies } from './checkout-dependencies';

const git = promisify(execFile);

export interface Checkout {
  dir: string;
  /** The commit checked out, abbreviated. */
  commit: string;
  subject: string;
  remove(): Promise<void>;
}

/**
 * Checks out `ref` of this repository in a temporary worktree sharing the repository's
 * node_modules (without our patches the commit did not have: checkout-dependencies.ts), so that an older gateway runs beside the current one in the same bench run: a
 * before/after pair measured on the same machine, at the same moment, on the same subgraphs.
 */
export async function checkoutRef(root: string, ref: string): Promise<Checkout> {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-before-')), 'repo');
  await git('git', ['worktree', 'add', '--detach', dir, ref], { cwd: root });
  linkDependencies(root, dir);
  const { stdout } = await git('git', ['log', '-1', '--format=%h %s', 'HEAD'], { cwd: dir });
  const [commit, ...subject] = stdout.trim().split(' ');
  return {
    dir,
    commit,
    subject: subject.join(' '),
    remove: async () => {
      await git('git', ['worktree', 'remove', '--force', dir], { cwd: root });
      rmSync(path.dirname(dir), { recursive: true, force: true });
    },
  };
}
