// What the root `tsc` (NodeNext, no Vue plugin) sees of a component; `npm run typecheck:app` (vue-tsc) checks the components themselves.
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent
  export default component
}
