import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/** The pad's browser code and its stylesheet, built from `clients/pad/main.ts`. */
export interface PadBundle {
  script: BundleFile
  style: BundleFile
}

export interface BundleFile {
  /** Its own ArrayBuffer (a copy of esbuild's view), as a Response body wants. */
  contents: Uint8Array<ArrayBuffer>
  /** A strong ETag of the contents, so revalidating browsers get a 304. */
  etag: string
}

const entryPoint = fileURLToPath(new URL('../../clients/pad/main.ts', import.meta.url))

/**
 * Builds the bundle in memory with esbuild: ES module for browsers, minified, the CSS the client
 * imports (Quill's snow theme, quill-cursors, the page's own) collected into one stylesheet.
 */
export async function buildPadBundle(): Promise<PadBundle> {
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    // Only names the outputs: nothing is written (`write: false`).
    outdir: 'pad-bundle',
    logLevel: 'silent',
  })
  const file = (extension: string): BundleFile => {
    const output = result.outputFiles.find((candidate) => candidate.path.endsWith(extension))
    if (!output) throw new Error(`the pad bundle has no ${extension} output`)
    return { contents: new Uint8Array(output.contents), etag: `"${createHash('sha256').update(output.contents).digest('base64url').slice(0, 22)}"` }
  }
  return { script: file('.js'), style: file('.css') }
}

/**
 * The bundle, built on first use and then kept in memory for the life of the process (the
 * sources do not change under a running server). A failed build is not cached, so the next
 * request tries again.
 */
export function lazyPadBundle(buildBundle: () => Promise<PadBundle> = buildPadBundle): () => Promise<PadBundle> {
  let pending: Promise<PadBundle> | null = null
  return () => {
    pending ??= buildBundle().catch((error: unknown) => {
      pending = null
      throw error
    })
    return pending
  }
}
