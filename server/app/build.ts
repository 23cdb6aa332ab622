import { execFile } from 'node:child_process'
import { createHash, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const appRoot = join(repoRoot, 'clients', 'app')
/** Where builds go, one folder per source fingerprint (ignored by git). */
const buildsDir = join(appRoot, 'dist')
/** Prefix of a build still being written; never served and never cleaned up by another process. */
const pendingPrefix = '.pending-'
/** What the build may print before it is cut off (it prints only errors: `--logLevel error`). */
const buildOutputLimitBytes = 16 * 1024 * 1024

/**
 * Everything the app's bundle is made of: the browser code of `clients/` (the app and the SDK it
 * imports), the schema it shares with the server, and the locked dependency versions. Earlier
 * builds in `clients/app/dist/` are not inputs.
 */
function appInputs(): string[] {
  const files: string[] = []
  const walk = (dir: string, keep: (name: string) => boolean): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (path !== buildsDir && entry.name !== 'node_modules') walk(path, keep)
      } else if (keep(entry.name)) files.push(path)
    }
  }
  walk(join(repoRoot, 'clients'), () => true)
  walk(join(repoRoot, 'schema'), (name) => name.endsWith('.ts'))
  files.push(join(repoRoot, 'package-lock.json'))
  return files.sort()
}

/** A short hash of every input's path and contents: a build made from the same sources has the same name. */
function appSourceFingerprint(): string {
  const hash = createHash('sha256')
  for (const file of appInputs()) {
    // The path separator is fixed so one checkout gives one fingerprint on every platform.
    hash.update(relative(repoRoot, file).split(sep).join('/')).update('\0').update(readFileSync(file)).update('\0')
  }
  return hash.digest('base64url').slice(0, 16)
}

/** Runs `vite build` of `clients/app` into `outDir`, in a child process so the server's own loop and heap stay out of it. */
function viteBuild(outDir: string): Promise<void> {
  const viteCli = join(createRequire(import.meta.url).resolve('vite/package.json'), '..', 'bin', 'vite.js')
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [viteCli, 'build', appRoot, '--config', join(appRoot, 'vite.config.ts'), '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
      // A production build whatever the server runs under (vitest sets NODE_ENV=test, which would
      // give Vue's development build), so one fingerprint always names the same bundle.
      { cwd: repoRoot, env: { ...process.env, NODE_ENV: 'production' }, maxBuffer: buildOutputLimitBytes },
      (error, _stdout, stderr) => (error ? reject(new Error(`vite build of clients/app failed: ${stderr.trim() || error.message}`)) : resolve()),
    )
  })
}

/**
 * The folder of the built app for the current sources, building it first when it is missing or
 * stale. The build is written next to its final place and renamed into it, so a half-written build
 * is never served, and two servers building at once both end up with one complete folder. Builds
 * of other sources are removed once the new one is in place.
 */
export async function ensureAppBuilt(): Promise<{ dir: string; built: boolean }> {
  const fingerprint = appSourceFingerprint()
  const dir = join(buildsDir, fingerprint)
  if (existsSync(join(dir, 'index.html'))) return { dir, built: false }
  mkdirSync(buildsDir, { recursive: true })
  const pending = join(buildsDir, `${pendingPrefix}${randomUUID()}`)
  try {
    await viteBuild(pending)
    try {
      renameSync(pending, dir)
    } catch (error) {
      // Another server finished the same build first: use that one.
      if (!existsSync(join(dir, 'index.html'))) throw error
    }
  } finally {
    rmSync(pending, { recursive: true, force: true })
  }
  for (const entry of readdirSync(buildsDir)) {
    if (entry !== fingerprint && !entry.startsWith(pendingPrefix)) rmSync(join(buildsDir, entry), { recursive: true, force: true })
  }
  return { dir, built: true }
}
