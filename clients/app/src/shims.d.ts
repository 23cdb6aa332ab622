// What the root `tsc` (NodeNext, no Vue plugin) sees of a component; `npm run typecheck:app` (vue-tsc) checks the components themselves.
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent
  export default component
}

// Vite's `?url` imports (pdf.js's worker file): the address of the emitted file.
declare module '*?url' {
  const url: string
  export default url
}
