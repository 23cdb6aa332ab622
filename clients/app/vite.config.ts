import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

/**
 * The web app's build. The server runs it (`server/app/build.ts`, with `--outDir`) and serves the
 * result: the page at the app's addresses, the hashed scripts and styles under `/app/`, a path no
 * other route of the server takes.
 */
export default defineConfig({
  plugins: [vue()],
  build: {
    assetsDir: 'app',
    target: 'es2022',
    // Stylesheets stay files: the page's Content-Security-Policy allows no inline <style>.
    assetsInlineLimit: 0,
    // Quill, Yjs and Vue make one bundle of about 600 kB; it is loaded once and cached for good.
    chunkSizeWarningLimit: 1024,
  },
})
